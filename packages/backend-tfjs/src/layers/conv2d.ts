import * as tf from '@tensorflow/tfjs-core';
import { BnxError, type Conv2dLayer } from '@bnx/ir';
import { columnSums } from './column_sums.js';
import { axisGeometry } from './conv_geometry.js';
import { convFilterGrad, type FilterGradGeometry } from './conv_filter_grad.js';
import { stored, type LayerRuntime, type TensorSpec } from './layer.js';

/** 2-D convolution on NHWC activations; the weight is stored HWIO and exposed in bnx's OIHW layout. */
export function conv2dLayer(layer: Conv2dLayer, inputShape: number[]): LayerRuntime {
  if (inputShape.length !== 3) {
    throw new BnxError(
      `layer '${layer.name}' (conv2d) needs an image input (channels, height, width) but gets shape (${inputShape.join(', ')})`,
      'E_TFJS_SHAPE',
    );
  }
  const [channels, height, width] = inputShape as [number, number, number];
  const [kh, kw] = layer.kernel;
  const rows = axisGeometry(height, kh, layer.stride[0], layer.padding);
  const cols = axisGeometry(width, kw, layer.stride[1], layer.padding);
  if (rows.out < 1 || cols.out < 1) {
    throw new BnxError(
      `layer '${layer.name}' (conv2d): kernel ${kh}x${kw} does not fit the ${height}x${width} input`,
      'E_TFJS_SHAPE',
    );
  }
  const geometry: FilterGradGeometry = {
    inHeight: height,
    inWidth: width,
    kernel: layer.kernel,
    stride: layer.stride,
    padding: layer.padding,
    rows,
    cols,
  };
  const filterShape: [number, number, number, number] = [kh, kw, channels, layer.filters];
  const weightName = `${layer.name}.weight`;
  const biasName = `${layer.name}.bias`;
  const params: TensorSpec[] = [
    { name: weightName, shape: [layer.filters, channels, kh, kw], layout: 'oihw_as_hwio' },
  ];
  if (layer.bias) params.push({ name: biasName, shape: [layer.filters], layout: 'same' });
  return {
    name: layer.name,
    op: 'conv2d',
    inputShape,
    outputShape: [layer.filters, rows.out, cols.out],
    params,
    buffers: [],
    forward(x, ctx) {
      const w = stored(ctx, weightName) as tf.Tensor4D;
      const x4 = x as tf.Tensor4D;
      const conv = tf.conv2d(x4, w, layer.stride, layer.padding);
      const y = layer.bias ? tf.add(conv, stored(ctx, biasName)) : conv;
      return {
        y,
        backward(dy, needInputGrad, grads) {
          grads.set(weightName, convFilterGrad(x4, dy as tf.Tensor4D, filterShape, geometry));
          if (layer.bias) grads.set(biasName, columnSums(tf.reshape(dy, [-1, layer.filters])));
          if (!needInputGrad) return null;
          if (layer.stride[0] !== 1 || layer.stride[1] !== 1) {
            return tf.conv2dTranspose(dy as tf.Tensor4D, w, x4.shape, layer.stride, layer.padding);
          }
          // Stride 1: dx is the "full" convolution of dy with the flipped filter, in/out channels swapped. It runs
          // on the forward Conv2D kernel (XNNPACK on wasm), where Conv2DBackpropInput measured 10x slower.
          const padded = tf.pad(dy, [
            [0, 0],
            [kh - 1 - rows.padBefore, kh - 1 - rows.padAfter],
            [kw - 1 - cols.padBefore, kw - 1 - cols.padAfter],
            [0, 0],
          ]);
          const flipped = tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
          return tf.conv2d(padded as tf.Tensor4D, flipped, 1, 'valid');
        },
      };
    },
  };
}
