import * as tf from '@tensorflow/tfjs-core';
import { normGroups, type GroupNormLayer, type LayerNormLayer, type ShapedLayer } from '@bnx/ir';
import { columnSums } from './column_sums.js';
import { stored, tensorSpecs, type LayerRuntime } from './layer.js';

/**
 * Group normalization, and layer normalization as its one-group case (PyTorch conventions: biased variance,
 * per-channel scale and shift, the same in training and evaluation). Activations are channels-last, so
 * [N, (H, W,) C] is viewed as [N, H·W, G, C/G]: a group's values are axes 1 and 3 of one sample.
 */
export function groupNormLayer(layer: LayerNormLayer | GroupNormLayer, shaped: ShapedLayer): LayerRuntime {
  const channels = shaped.inShape[0]!;
  const groups = normGroups(layer);
  const spatial = shaped.inShape.slice(1).reduce((a, b) => a * b, 1);
  const grouped = [-1, spatial, groups, channels / groups];
  const gammaName = `${layer.name}.gamma`;
  const betaName = `${layer.name}.beta`;
  return {
    name: layer.name,
    op: layer.op,
    inputShape: shaped.inShape,
    outputShape: shaped.outShape,
    ...tensorSpecs(shaped),
    forward(x, ctx) {
      const xg = tf.reshape(x, grouped);
      const { mean, variance } = tf.moments(xg, [1, 3], true);
      const invStd = tf.rsqrt(tf.add(variance, layer.epsilon));
      const xhat = tf.reshape(tf.mul(tf.sub(xg, mean), invStd), x.shape);
      const gamma = layer.affine ? stored(ctx, gammaName) : null;
      const y = gamma ? tf.add(tf.mul(xhat, gamma), stored(ctx, betaName)) : xhat;
      return {
        y,
        backward(dy, needInputGrad, grads) {
          if (gamma) {
            grads.set(gammaName, columnSums(tf.reshape(tf.mul(dy, xhat), [-1, channels]) as tf.Tensor2D));
            grads.set(betaName, columnSums(tf.reshape(dy, [-1, channels]) as tf.Tensor2D));
          }
          if (!needInputGrad) return null;
          // dx = invStd · (dxhat - mean(dxhat) - xhat · mean(dxhat · xhat)) over each group, dxhat = dy · gamma.
          const dxhat = tf.reshape(gamma ? tf.mul(dy, gamma) : dy, grouped);
          const xhatGrouped = tf.reshape(xhat, grouped);
          const centred = tf.sub(dxhat, tf.mean(dxhat, [1, 3], true));
          const slope = tf.mean(tf.mul(dxhat, xhatGrouped), [1, 3], true);
          return tf.reshape(tf.mul(tf.sub(centred, tf.mul(xhatGrouped, slope)), invStd), x.shape);
        },
      };
    },
  };
}
