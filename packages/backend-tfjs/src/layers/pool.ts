import * as tf from '@tensorflow/tfjs-core';
import { BnxError, type PoolLayer } from '@bnx/ir';
import { axisGeometry } from './conv_geometry.js';
import type { LayerRuntime } from './layer.js';
import { maxPoolGrad, maxPoolGradTiled, windowIndices, type PoolWindows } from './maxpool_grad.js';

/** Max or average pooling without padding (PyTorch's default, floor mode) on NHWC activations. */
export function poolLayer(layer: PoolLayer, inputShape: number[]): LayerRuntime {
  if (inputShape.length !== 3) {
    throw new BnxError(
      `layer '${layer.name}' (${layer.op}) needs an image input (channels, height, width) but gets shape (${inputShape.join(', ')})`,
      'E_TFJS_SHAPE',
    );
  }
  const [channels, height, width] = inputShape as [number, number, number];
  const rows = axisGeometry(height, layer.size[0], layer.stride[0], 'valid');
  const cols = axisGeometry(width, layer.size[1], layer.stride[1], 'valid');
  if (rows.out < 1 || cols.out < 1) {
    throw new BnxError(
      `layer '${layer.name}' (${layer.op}): window ${layer.size.join('x')} does not fit the ${height}x${width} input`,
      'E_TFJS_SHAPE',
    );
  }
  const attrs = { filterSize: layer.size, strides: layer.stride, pad: 'valid', dimRoundingMode: undefined };
  const windows: PoolWindows = {
    inHeight: height,
    inWidth: width,
    outHeight: rows.out,
    outWidth: cols.out,
    size: layer.size,
    stride: layer.stride,
  };
  const tiled = layer.size[0] === layer.stride[0] && layer.size[1] === layer.stride[1];
  let indices: Int32Array | undefined;
  return {
    name: layer.name,
    op: layer.op,
    inputShape,
    outputShape: [channels, rows.out, cols.out],
    params: [],
    buffers: [],
    forward(x) {
      const x4 = x as tf.Tensor4D;
      const y =
        layer.op === 'maxpool'
          ? tf.maxPool(x4, layer.size, layer.stride, 'valid')
          : tf.avgPool(x4, layer.size, layer.stride, 'valid');
      return {
        y,
        backward(dy, needInputGrad) {
          if (!needInputGrad) return null;
          // The pooling gradient kernels have no public op; call them directly (wasm max pooling: see maxpool_grad.ts).
          const named = attrs as unknown as tf.NamedAttrMap;
          if (layer.op === 'avgpool') return tf.engine().runKernel('AvgPoolGrad', { dy, input: x4 }, named) as tf.Tensor;
          if (tiled) return maxPoolGradTiled(x4, y as tf.Tensor4D, dy as tf.Tensor4D, windows);
          if (tf.getBackend() !== 'wasm') {
            return tf.engine().runKernel('MaxPoolGrad', { dy, input: x4, output: y }, named) as tf.Tensor;
          }
          indices ??= windowIndices(windows);
          return maxPoolGrad(x4, dy as tf.Tensor4D, windows, indices);
        },
      };
    },
  };
}
