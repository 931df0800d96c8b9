import * as tf from '@tensorflow/tfjs-core';
import { BnxError, type BatchNormLayer } from '@bnx/ir';
import { columnSums } from './column_sums.js';
import { stored, type LayerRuntime, type TensorSpec } from './layer.js';

/**
 * Batch normalization as the IR states it (PyTorch conventions): training normalizes with the batch mean and
 * BIASED batch variance and moves the running statistics by `momentum` (the weight of the new batch), keeping
 * the unbiased (m/(m-1)) or biased variance; evaluation uses the running statistics. Per feature after dense,
 * per channel over (N, H, W) after conv: NHWC activations are viewed as [N*H*W, C] so both are the same code.
 */
export function batchNormLayer(layer: BatchNormLayer, inputShape: number[]): LayerRuntime {
  const channels = inputShape[0]!;
  const n = (s: string) => `${layer.name}.${s}`;
  const params: TensorSpec[] = layer.affine
    ? [
        { name: n('gamma'), shape: [channels], layout: 'same', fallback: 1 },
        { name: n('beta'), shape: [channels], layout: 'same', fallback: 0 },
      ]
    : [];
  const buffers: TensorSpec[] = [
    { name: n('running_mean'), shape: [channels], layout: 'same', fallback: 0 },
    { name: n('running_var'), shape: [channels], layout: 'same', fallback: 1 },
  ];
  return {
    name: layer.name,
    op: 'batchnorm',
    inputShape,
    outputShape: inputShape,
    params,
    buffers,
    forward(x, ctx) {
      const x2 = tf.reshape(x, [-1, channels]) as tf.Tensor2D;
      const gamma = layer.affine ? stored(ctx, n('gamma')) : null;
      const beta = layer.affine ? stored(ctx, n('beta')) : null;
      if (!ctx.training) {
        // Fold the running statistics into one scale and shift: two element-wise passes over x.
        const invStd = tf.rsqrt(tf.add(stored(ctx, n('running_var')), layer.epsilon));
        const scale = gamma ? tf.mul(gamma, invStd) : invStd;
        const shifted = tf.mul(tf.neg(stored(ctx, n('running_mean'))), scale);
        const shift = beta ? tf.add(shifted, beta) : shifted;
        const y = tf.reshape(tf.add(tf.mul(x2, scale), shift), x.shape);
        return { y, backward: () => { throw new Error('internal: backward through evaluation-mode batchnorm'); } };
      }
      const m = x2.shape[0];
      if (m < 2) {
        throw new BnxError(
          `layer '${layer.name}' (batchnorm): a training batch needs more than one value per channel, got ${m} ` +
            '(a batch of one sample); use a larger batch or drop the last incomplete batch',
          'E_TFJS_BN_BATCH',
        );
      }
      // Column sums as matMuls (see column_sums.ts); the output is centered * (gamma * invStd) + beta, and the
      // backward pass reuses `centered`, so no separate x-hat tensor is kept.
      const mean = tf.div(columnSums(x2), m);
      const centered = tf.sub(x2, mean);
      const variance = tf.div(columnSums(tf.square(centered) as tf.Tensor2D), m);
      const invStd = tf.rsqrt(tf.add(variance, layer.epsilon));
      const scale = gamma ? tf.mul(gamma, invStd) : invStd;
      const scaled = tf.mul(centered, scale);
      const y2 = beta ? tf.add(scaled, beta) : scaled;
      const keep = 1 - layer.momentum;
      const runningVariance = layer.runningVar === 'unbiased' ? tf.mul(variance, m / (m - 1)) : variance;
      ctx.bufferUpdates.set(
        n('running_mean'),
        tf.add(tf.mul(stored(ctx, n('running_mean')), keep), tf.mul(mean, layer.momentum)),
      );
      ctx.bufferUpdates.set(
        n('running_var'),
        tf.add(tf.mul(stored(ctx, n('running_var')), keep), tf.mul(runningVariance, layer.momentum)),
      );
      return {
        y: tf.reshape(y2, x.shape),
        backward(dy, needInputGrad, grads) {
          const dy2 = tf.reshape(dy, [-1, channels]) as tf.Tensor2D;
          const dBeta = columnSums(dy2);
          // sum(dy * xHat) with xHat = centered * invStd, the product taken on the small per-channel vector.
          const dGamma = tf.mul(columnSums(tf.mul(dy2, centered) as tf.Tensor2D), invStd);
          if (gamma) {
            grads.set(n('gamma'), dGamma);
            grads.set(n('beta'), dBeta);
          }
          if (!needInputGrad) return null;
          // dx = scale * (dy - sum(dy)/m - xHat * sum(dy * xHat)/m), scale = gamma * invStd, written as
          // dy * scale + centered * b + c with per-channel vectors b and c.
          const b = tf.neg(tf.mul(scale, tf.mul(invStd, tf.div(dGamma, m))));
          const c = tf.neg(tf.mul(scale, tf.div(dBeta, m)));
          return tf.reshape(tf.add(tf.add(tf.mul(dy2, scale), tf.mul(centered, b)), c), x.shape);
        },
      };
    },
  };
}
