// Gradient of a convolution with respect to its filter. The tfjs wasm backend has no Conv2DBackpropFilter kernel
// (DESIGN.md section 3), so where the active backend lacks it the gradient is computed as im2col + matMul in
// portable ops: gather every receptive field into a [N*Ho*Wo, kh*kw*C] matrix and multiply by dY.
import * as tf from '@tensorflow/tfjs-core';
import type { AxisGeometry } from './conv_geometry.js';

export interface FilterGradGeometry {
  inHeight: number;
  inWidth: number;
  kernel: [number, number];
  stride: [number, number];
  padding: 'same' | 'valid';
  rows: AxisGeometry;
  cols: AxisGeometry;
}

/** For each output position (oh, ow) and kernel offset (i, j), the flat index of its pixel in the padded input. */
export function im2colIndices(g: FilterGradGeometry): Int32Array {
  const [kh, kw] = g.kernel;
  const [sh, sw] = g.stride;
  const paddedWidth = g.inWidth + g.cols.padBefore + g.cols.padAfter;
  const indices = new Int32Array(g.rows.out * g.cols.out * kh * kw);
  let k = 0;
  for (let oh = 0; oh < g.rows.out; oh++) {
    for (let ow = 0; ow < g.cols.out; ow++) {
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) indices[k++] = (oh * sh + i) * paddedWidth + (ow * sw + j);
      }
    }
  }
  return indices;
}

/** dL/dW in HWIO layout for x [N, H, W, C] and dy [N, Ho, Wo, O]. */
export function convFilterGrad(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  g: FilterGradGeometry,
  indices: Int32Array,
): tf.Tensor4D {
  const backend = tf.getBackend();
  if (tf.getKernel('Conv2DBackpropFilter', backend)) {
    return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
      strides: g.stride,
      pad: g.padding,
      dataFormat: 'NHWC',
      dimRoundingMode: undefined,
      filterShape,
    } as unknown as tf.NamedAttrMap) as tf.Tensor4D;
  }
  const [n, , , c] = x.shape;
  const [kh, kw, , o] = filterShape;
  const padded =
    g.rows.padBefore + g.rows.padAfter + g.cols.padBefore + g.cols.padAfter > 0
      ? tf.pad(x, [
          [0, 0],
          [g.rows.padBefore, g.rows.padAfter],
          [g.cols.padBefore, g.cols.padAfter],
          [0, 0],
        ])
      : x;
  const [, hp, wp] = padded.shape;
  const flat = tf.reshape(padded, [n, hp * wp, c]);
  const patches = tf.reshape(tf.gather(flat, tf.tensor1d(indices, 'int32'), 1), [
    n * g.rows.out * g.cols.out,
    kh * kw * c,
  ]) as tf.Tensor2D;
  // dW^T = dY^T · patches: transposing dY ([M, O]) is cheaper than transposing the patch matrix.
  const dyT = tf.transpose(tf.reshape(dy, [n * g.rows.out * g.cols.out, o]) as tf.Tensor2D);
  const ohwi = tf.reshape(tf.matMul(dyT, patches), [o, kh, kw, c]);
  return tf.transpose(ohwi, [1, 2, 3, 0]) as tf.Tensor4D;
}
