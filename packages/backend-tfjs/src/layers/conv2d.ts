import * as tf from '@tensorflow/tfjs-core';
import { layerWindow, type Conv2dLayer, type ShapedLayer } from '@bnx/ir';
import { columnSums } from './column_sums.js';
import { convFilterGrad, type FilterGradGeometry } from './conv_filter_grad.js';
import { stored, tensorSpecs, type LayerRuntime } from './layer.js';

/** 2-D convolution on NHWC activations; the weight is stored HWIO and exposed in bnx's OIHW layout. */
export function conv2dLayer(layer: Conv2dLayer, shaped: ShapedLayer): LayerRuntime {
  const [channels, height, width] = shaped.inShape as [number, number, number];
  const [kh, kw] = layer.kernel;
  const { rows, cols } = layerWindow(layer, shaped.inShape);
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
  return {
    name: layer.name,
    op: 'conv2d',
    inputShape: shaped.inShape,
    outputShape: shaped.outShape,
    ...tensorSpecs(shaped, { weight: 'oihw_as_hwio' }),
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
