import * as tf from '@tensorflow/tfjs-core';
import type { ActivationLayer, EluLayer, LeakyReluLayer, ShapedLayer } from '@bnx/ir';
import type { LayerRuntime } from './layer.js';

type AnyActivation = ActivationLayer | LeakyReluLayer | EluLayer;

/** Forward value and local derivative rule of each element-wise activation (softmax: over the last axis). */
function apply(layer: AnyActivation, x: tf.Tensor): { y: tf.Tensor; grad: (dy: tf.Tensor) => tf.Tensor } {
  switch (layer.op) {
    case 'relu': {
      const y = tf.relu(x);
      return { y, grad: (dy) => tf.mul(dy, tf.step(x)) };
    }
    case 'leaky_relu': {
      const y = tf.leakyRelu(x, layer.alpha);
      return { y, grad: (dy) => tf.mul(dy, tf.where(tf.greater(x, 0), tf.onesLike(x), tf.fill(x.shape, layer.alpha))) };
    }
    case 'elu': {
      // tf.elu has alpha fixed at 1; bnx's elu(alpha) is alpha*(exp(x)-1) for x <= 0, slope y + alpha there.
      const positive = tf.greater(x, 0);
      const y = tf.where(positive, x, tf.mul(tf.sub(tf.exp(x), 1), layer.alpha));
      return { y, grad: (dy) => tf.mul(dy, tf.where(positive, tf.onesLike(x), tf.add(y, layer.alpha))) };
    }
    case 'sigmoid': {
      const y = tf.sigmoid(x);
      return { y, grad: (dy) => tf.mul(dy, tf.mul(y, tf.sub(1, y))) };
    }
    case 'tanh': {
      const y = tf.tanh(x);
      return { y, grad: (dy) => tf.mul(dy, tf.sub(1, tf.square(y))) };
    }
    case 'softmax': {
      // Over the LAST bnx axis, as the reference (and tfjs, Keras, ONNX Softmax-13) define it: the features
      // after dense, W on a (C, H, W) sample, which is axis 2 of the NHWC activation.
      if (x.rank !== 4) {
        const y = tf.softmax(x);
        return { y, grad: (dy) => tf.mul(y, tf.sub(dy, tf.sum(tf.mul(dy, y), -1, true))) };
      }
      const swap = [0, 1, 3, 2];
      const y = tf.transpose(tf.softmax(tf.transpose(x, swap)), swap);
      return { y, grad: (dy) => tf.mul(y, tf.sub(dy, tf.sum(tf.mul(dy, y), 2, true))) };
    }
  }
}

export function activationLayer(layer: AnyActivation, shaped: ShapedLayer): LayerRuntime {
  return {
    name: layer.name,
    op: layer.op,
    inputShape: shaped.inShape,
    outputShape: shaped.outShape,
    params: [],
    buffers: [],
    forward(x) {
      const { y, grad } = apply(layer, x);
      return { y, backward: (dy, needInputGrad) => (needInputGrad ? grad(dy) : null) };
    },
  };
}
