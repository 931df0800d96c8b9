import * as tf from '@tensorflow/tfjs-core';

/** [N, C, H, W] to the [N, H, W, C] that tfjs kernels take; other ranks pass through. */
export function toChannelsLast(t: tf.Tensor): tf.Tensor {
  if (t.rank !== 4) return t;
  // One channel: the two layouts hold the same bytes, so a reshape avoids a copy.
  if (t.shape[1] === 1) return tf.reshape(t, [t.shape[0]!, t.shape[2]!, t.shape[3]!, 1]);
  return tf.transpose(t, [0, 2, 3, 1]);
}

/** [N, H, W, C] back to bnx's [N, C, H, W]; other ranks pass through. */
export function toChannelsFirst(t: tf.Tensor): tf.Tensor {
  if (t.rank !== 4) return t;
  if (t.shape[3] === 1) return tf.reshape(t, [t.shape[0]!, 1, t.shape[1]!, t.shape[2]!]);
  return tf.transpose(t, [0, 3, 1, 2]);
}
