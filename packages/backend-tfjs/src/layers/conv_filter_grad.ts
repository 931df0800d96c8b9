// Gradient of a convolution with respect to its filter, as a forward convolution. The tfjs wasm backend has no
// Conv2DBackpropFilter kernel (docs/runtime-traps.md), and the cpu backend's is very slow (measured 3 s per call
// for a 32->64-channel 3x3 conv at batch 8), so every engine takes this route. Earlier attempts, measured on
// wasm: an im2col gather (GatherV2 costs some 30 ns per element) and one slice + matMul per kernel offset.
import * as tf from '@tensorflow/tfjs-core';
import type { AxisGeometry } from '@bnx/ir';

export interface FilterGradGeometry {
  inHeight: number;
  inWidth: number;
  kernel: [number, number];
  stride: [number, number];
  padding: 'same' | 'valid';
  rows: AxisGeometry;
  cols: AxisGeometry;
}

/** dL/dW in HWIO layout for x [N, H, W, C] and dy [N, Ho, Wo, O]. */
export function convFilterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: [number, number, number, number], g: FilterGradGeometry): tf.Tensor4D {
  const c = x.shape[3];
  const [kh, kw, , o] = filterShape;
  const [sh, sw] = g.stride;
  const padded =
    g.rows.padBefore + g.rows.padAfter + g.cols.padBefore + g.cols.padAfter > 0
      ? tf.pad(x, [
          [0, 0],
          [g.rows.padBefore, g.rows.padAfter],
          [g.cols.padBefore, g.cols.padAfter],
          [0, 0],
        ])
      : x;
  // dW[i, j, c, o] = sum over n, oh, ow of padded[n, s*oh + i, s*ow + j, c] * dy[n, oh, ow, o]: a valid
  // convolution of the padded input seen as C images of N channels ([C, Hp, Wp, N]) with dy seen as an
  // [Ho, Wo, N, O] filter dilated by the stride. One Conv2D call (XNNPACK on wasm); slicing the input per kernel
  // offset measured slower, as tf.slice copies its whole source on wasm.
  const images = tf.transpose(padded, [3, 1, 2, 0]) as tf.Tensor4D;
  const filter = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D;
  const out = tf.conv2d(images, filter, 1, 'valid', 'NHWC', [sh, sw]);
  // With a stride the valid output can be a little larger than the kernel: the first kh x kw are dW.
  const [, oh, ow] = out.shape;
  const kernelOnly = oh === kh && ow === kw ? out : tf.slice(out, [0, 0, 0, 0], [c, kh, kw, o]);
  return tf.transpose(kernelOnly, [1, 2, 0, 3]) as tf.Tensor4D;
}
