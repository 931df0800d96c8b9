import * as tf from '@tensorflow/tfjs-core';

/**
 * Sum over the rows of [M, C]: ones[1, M] · x. On the wasm engine a reduction over axis 0 transposes first and
 * measured about 10x slower than this matMul (0.13 ms against 1.7 ms at 512 x 300).
 */
export function columnSums(x: tf.Tensor2D): tf.Tensor1D {
  const [rows, columns] = x.shape;
  return tf.reshape(tf.matMul(tf.ones([1, rows]), x), [columns]);
}
