import * as tf from '@tensorflow/tfjs-core';
import { BnxError, type BatchNormLayer, type ShapedLayer } from '@bnx/ir';
import { columnSumValues } from './column_sums.js';
import { stored, tensorSpecs, type LayerRuntime } from './layer.js';

/** f applied to each channel's value (float64 arithmetic), as a Float32Array ready to become a tensor. */
function perChannel(values: ArrayLike<number>, f: (value: number, channel: number) => number): Float32Array {
  const out = new Float32Array(values.length);
  for (let j = 0; j < values.length; j++) out[j] = f(values[j]!, j);
  return out;
}

/**
 * Batch normalization as the IR states it (PyTorch conventions): training normalizes with the batch mean and
 * BIASED batch variance and moves the running statistics by `momentum` (the weight of the new batch), keeping
 * the unbiased (m/(m-1)) or biased variance; evaluation uses the running statistics. Per feature after dense,
 * per channel over (N, H, W) after conv: NHWC activations are viewed as [N*H*W, C] so both are the same code.
 */
export function batchNormLayer(layer: BatchNormLayer, shaped: ShapedLayer): LayerRuntime {
  const channels = shaped.inShape[0]!;
  const n = (s: string) => `${layer.name}.${s}`;
  return {
    name: layer.name,
    op: 'batchnorm',
    inputShape: shaped.inShape,
    outputShape: shaped.outShape,
    ...tensorSpecs(shaped),
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
        return {
          y,
          backward: () => {
            throw new Error('internal: backward through evaluation-mode batchnorm');
          },
        };
      }
      const m = x2.shape[0];
      if (m < 2) {
        throw new BnxError(
          `layer '${layer.name}' (batchnorm): a training batch needs more than one value per channel, got ${m} ` +
            '(a batch of one sample); use a larger batch or drop the last incomplete batch',
          'E_TFJS_BN_BATCH',
        );
      }
      // The full-size work (centering, squares, scaling, column sums as matMuls) runs in tfjs; the per-channel
      // arithmetic runs here in float64 on values read back, which takes some twenty tiny kernels off every
      // step (each costs tens of microseconds on wasm, the bulk of BN's cost at small batches).
      const mean = perChannel(columnSumValues(x2), (s) => s / m);
      const centered = tf.sub(x2, tf.tensor1d(mean));
      const variance = perChannel(columnSumValues(tf.square(centered) as tf.Tensor2D), (s) => s / m);
      const invStd = perChannel(variance, (v) => 1 / Math.sqrt(v + layer.epsilon));
      const gammaValues = gamma ? (gamma.dataSync() as Float32Array) : null;
      const scale = gammaValues ? perChannel(invStd, (s, j) => s * gammaValues[j]!) : invStd;
      const scaleTensor = tf.tensor1d(scale);
      const scaled = tf.mul(centered, scaleTensor);
      const y2 = beta ? tf.add(scaled, beta) : scaled;
      const keep = 1 - layer.momentum;
      const varianceWeight = layer.momentum * (layer.runningVar === 'unbiased' ? m / (m - 1) : 1);
      const runningMean = stored(ctx, n('running_mean')).dataSync() as Float32Array;
      const runningVar = stored(ctx, n('running_var')).dataSync() as Float32Array;
      ctx.bufferUpdates.set(n('running_mean'), tf.tensor1d(perChannel(mean, (v, j) => keep * runningMean[j]! + layer.momentum * v)));
      ctx.bufferUpdates.set(n('running_var'), tf.tensor1d(perChannel(variance, (v, j) => keep * runningVar[j]! + varianceWeight * v)));
      return {
        y: tf.reshape(y2, x.shape),
        backward(dy, needInputGrad, grads) {
          const dy2 = tf.reshape(dy, [-1, channels]) as tf.Tensor2D;
          const dBeta = columnSumValues(dy2);
          // sum(dy * xHat) = invStd * sum(dy * centered)
          const dGamma = perChannel(columnSumValues(tf.mul(dy2, centered) as tf.Tensor2D), (s, j) => s * invStd[j]!);
          if (gamma) {
            grads.set(n('gamma'), tf.tensor1d(dGamma));
            grads.set(n('beta'), tf.tensor1d(dBeta));
          }
          if (!needInputGrad) return null;
          // dx = scale * (dy - sum(dy)/m - xHat * sum(dy * xHat)/m), written as dy * scale + centered * b + c
          // with per-channel b = -scale * invStd * dGamma / m and c = -scale * dBeta / m.
          const b = tf.tensor1d(perChannel(dGamma, (g, j) => (-scale[j]! * invStd[j]! * g) / m));
          const c = tf.tensor1d(perChannel(dBeta, (d, j) => (-scale[j]! * d) / m));
          return tf.reshape(tf.add(tf.add(tf.mul(dy2, scaleTensor), tf.mul(centered, b)), c), x.shape);
        },
      };
    },
  };
}
