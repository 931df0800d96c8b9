import * as tf from '@tensorflow/tfjs-core';
import { layerWindow, type PoolLayer, type ShapedLayer } from '@bnx/ir';
import type { LayerRuntime } from './layer.js';
import { maxPoolGrad, maxPoolGradTiled, windowIndices, type PoolWindows } from './maxpool_grad.js';

/** Max or average pooling without padding (PyTorch's default, floor mode) on NHWC activations. */
export function poolLayer(layer: PoolLayer, shaped: ShapedLayer): LayerRuntime {
  const [, height, width] = shaped.inShape as [number, number, number];
  const { rows, cols } = layerWindow(layer, shaped.inShape);
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
    inputShape: shaped.inShape,
    outputShape: shaped.outShape,
    params: [],
    buffers: [],
    forward(x) {
      const x4 = x as tf.Tensor4D;
      const y = layer.op === 'maxpool' ? tf.maxPool(x4, layer.size, layer.stride, 'valid') : tf.avgPool(x4, layer.size, layer.stride, 'valid');
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
