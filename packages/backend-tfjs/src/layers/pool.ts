import * as tf from '@tensorflow/tfjs-core';
import { BnxError, type PoolLayer } from '@bnx/ir';
import { axisGeometry } from './conv_geometry.js';
import type { LayerRuntime } from './layer.js';

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
  // Rows and columns that some window covers. The wasm MaxPoolGrad kernel gives wrong gradients when windows
  // leave a remainder uncovered (the conformance suite's odd-input case), so the op runs on the covered crop
  // and the gradient is padded back with zeros: uncovered pixels never reach the output anyway.
  const coveredRows = (rows.out - 1) * layer.stride[0] + layer.size[0];
  const coveredCols = (cols.out - 1) * layer.stride[1] + layer.size[1];
  const crop = coveredRows < height || coveredCols < width;
  return {
    name: layer.name,
    op: layer.op,
    inputShape,
    outputShape: [channels, rows.out, cols.out],
    params: [],
    buffers: [],
    forward(x) {
      const full = x as tf.Tensor4D;
      const x4 = crop ? tf.slice(full, [0, 0, 0, 0], [-1, coveredRows, coveredCols, -1]) : full;
      const y =
        layer.op === 'maxpool'
          ? tf.maxPool(x4, layer.size, layer.stride, 'valid')
          : tf.avgPool(x4, layer.size, layer.stride, 'valid');
      return {
        y,
        backward(dy, needInputGrad) {
          if (!needInputGrad) return null;
          // The pooling gradient kernels exist on every engine but have no public op; call them directly.
          const named = attrs as unknown as tf.NamedAttrMap;
          const dx =
            layer.op === 'maxpool'
              ? (tf.engine().runKernel('MaxPoolGrad', { dy, input: x4, output: y }, named) as tf.Tensor4D)
              : (tf.engine().runKernel('AvgPoolGrad', { dy, input: x4 }, named) as tf.Tensor4D);
          return crop
            ? tf.pad(dx, [
                [0, 0],
                [0, height - coveredRows],
                [0, width - coveredCols],
                [0, 0],
              ])
            : dx;
        },
      };
    },
  };
}
