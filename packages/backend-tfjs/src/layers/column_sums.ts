import * as tf from '@tensorflow/tfjs-core';

/** Up to this many rows are summed in one pass: the error of a float32 sum grows with its length. */
const ONE_PASS_ROWS = 1024;

/**
 * How many equal blocks to sum M rows in (then the block sums): the divisor k of M (a reshape is free, a
 * slice on wasm is not) that minimises the longest accumulation, M/k + k. 1 when M is small.
 */
export function blockCount(rows: number): number {
  if (rows <= ONE_PASS_ROWS) return 1;
  let best = 1;
  for (let k = 2; k * k <= rows; k++) {
    if (rows % k === 0) best = k; // the largest divisor up to sqrt(M) minimises M/k + k
  }
  return best;
}

/**
 * Sum over the rows of [M, C] as matMuls with a row of ones. On the wasm engine a reduction over axis 0
 * transposes first and measured about 10x slower (0.13 ms against 1.7 ms at 512 x 300).
 *
 * A single ones[1, M] · x accumulates M floats in sequence: after a conv, M = N·H·W (50,176 for batch 64 at
 * 28x28) and the sums were off by 9e-6 relative, which moved batch-norm gradients of nearly cancelling sums
 * by percents against the float64 reference. Summing k blocks of M/k rows, then the k block sums (a batched
 * matMul and a small one), makes the longest accumulation M/k + k: 448 instead of 50,176 there.
 */
export function columnSums(x: tf.Tensor2D): tf.Tensor1D {
  const [rows, columns] = x.shape;
  const blocks = blockCount(rows);
  if (blocks === 1) return tf.reshape(tf.matMul(tf.ones([1, rows]), x), [columns]);
  const perBlock = rows / blocks;
  const partial = tf.matMul(tf.ones([blocks, 1, perBlock]), tf.reshape(x, [blocks, perBlock, columns])); // [blocks, 1, C]
  return tf.reshape(tf.matMul(tf.ones([1, blocks]), tf.reshape(partial, [blocks, columns])), [columns]);
}

/** The column sums of [M, C] read back as C floats (for per-channel arithmetic outside tfjs). */
export function columnSumValues(x: tf.Tensor2D): Float32Array {
  const sums = columnSums(x);
  // A copy: on the cpu engine dataSync returns the tensor's own buffer, which the tidy scope will release.
  const values = Float32Array.from(sums.dataSync() as Float32Array);
  sums.dispose();
  return values;
}
