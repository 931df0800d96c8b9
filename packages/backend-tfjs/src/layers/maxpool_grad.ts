// Gradient of max pooling in portable ops. The wasm MaxPoolGrad kernel of tfjs 4.22 loses gradient entries
// (measured against the cpu kernel: wrong in about a third of random cases, with one channel or several), so
// the gradient is routed explicitly. Each output's gradient goes to the FIRST maximum of its window in row-major
// order, as PyTorch and @bnx/core's reference do.
//   - Tiled windows (stride = size, the usual maxpool(2)): a mask of the maxima, kept to the first one with an
//     exclusive cumsum, times dy; element-wise work only, and the fast route on every engine.
//   - Overlapping or gapped windows: gather each window (im2col), argMax, scatter-add dy to that pixel.
import * as tf from '@tensorflow/tfjs-core';

export interface PoolWindows {
  inHeight: number;
  inWidth: number;
  outHeight: number;
  outWidth: number;
  size: [number, number];
  stride: [number, number];
}

/** For each output position and window offset (row-major), the flat index of its input pixel. */
export function windowIndices(g: PoolWindows): Int32Array {
  const [kh, kw] = g.size;
  const indices = new Int32Array(g.outHeight * g.outWidth * kh * kw);
  let k = 0;
  for (let oh = 0; oh < g.outHeight; oh++) {
    for (let ow = 0; ow < g.outWidth; ow++) {
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) indices[k++] = (oh * g.stride[0] + i) * g.inWidth + (ow * g.stride[1] + j);
      }
    }
  }
  return indices;
}

/** dx [N, H, W, C] for x [N, H, W, C] and dy [N, Ho, Wo, C]. */
export function maxPoolGrad(x: tf.Tensor4D, dy: tf.Tensor4D, g: PoolWindows, indices: Int32Array): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const window = g.size[0] * g.size[1];
  const outputs = g.outHeight * g.outWidth;
  const patches = tf.reshape(tf.gather(tf.reshape(x, [n, h * w, c]), tf.tensor1d(indices, 'int32'), 1), [n, outputs, window, c]);
  const winner = tf.argMax(patches, 2); // [N, outputs, C], int32 offset within the window
  // Flat input pixel of each winner: indices[output * window + offset].
  const base = tf.reshape(tf.range(0, outputs * window, window, 'int32'), [1, outputs, 1]);
  const pixel = tf.gather(tf.tensor1d(indices, 'int32'), tf.add(base, winner)); // [N, outputs, C]
  // Scatter-add into [N * H * W * C] at ((n * H*W) + pixel) * C + channel; duplicates (overlapping windows) sum.
  const sampleBase = tf.reshape(tf.range(0, n * h * w * c, h * w * c, 'int32'), [n, 1, 1]);
  const channel = tf.reshape(tf.range(0, c, 1, 'int32'), [1, 1, c]);
  const target = tf.add(tf.add(sampleBase, tf.mul(pixel, tf.scalar(c, 'int32'))), channel);
  const flat = tf.scatterND(tf.reshape(target, [-1, 1]), tf.reshape(dy, [-1]), [n * h * w * c]);
  return tf.reshape(flat, [n, h, w, c]);
}

/** dx for tiled windows (stride = size): x [N, H, W, C], its max pool y and dy [N, Ho, Wo, C]. */
export function maxPoolGradTiled(x: tf.Tensor4D, y: tf.Tensor4D, dy: tf.Tensor4D, g: PoolWindows): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const [kh, kw] = g.size;
  const [ho, wo] = [g.outHeight, g.outWidth];
  const [hc, wc] = [ho * kh, wo * kw];
  const cropped = hc < h || wc < w;
  const covered = cropped ? tf.slice(x, [0, 0, 0, 0], [n, hc, wc, c]) : x;
  const rows = n * ho * wo * c;
  const window = kh * kw;
  // One row per output value, its window's pixels in row-major order.
  const windows = tf.reshape(tf.transpose(tf.reshape(covered, [n, ho, kh, wo, kw, c]), [0, 1, 3, 5, 2, 4]), [rows, window]);
  // y and dy repeated along each row by a matMul with ones: the wasm kernels for Equal and Multiply are slow
  // to broadcast a [rows, 1] column (measured 40 ms against about 1), and StridedSlice and Pack no better.
  const ones = tf.ones([1, window]);
  const repeat = (t: tf.Tensor) => tf.matMul(tf.reshape(t, [rows, 1]) as tf.Tensor2D, ones as tf.Tensor2D);
  const isMax = tf.cast(tf.equal(windows, repeat(y)), 'float32');
  // Keep the first maximum: a hit counts only when no earlier pixel of the window was one.
  const first = tf.mul(isMax, tf.relu(tf.sub(1, tf.cumsum(isMax, 1, true))));
  const grads = tf.mul(first, repeat(dy));
  const dx = tf.reshape(tf.transpose(tf.reshape(grads, [n, ho, wo, c, kh, kw]), [0, 1, 4, 2, 5, 3]), [n, hc, wc, c]);
  return (
    cropped
      ? tf.pad(dx, [
          [0, 0],
          [0, h - hc],
          [0, w - wc],
          [0, 0],
        ])
      : dx
  ) as tf.Tensor4D;
}
