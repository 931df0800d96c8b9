import * as tf from '@tensorflow/tfjs-core';
import type { FlattenLayer } from '@bnx/ir';
import { toChannelsFirst, toChannelsLast } from './layout.js';
import type { LayerRuntime } from './layer.js';

/** Flattens in channels-first order (C, H, W), as PyTorch does, so dense weights after it mean the same thing. */
export function flattenLayer(layer: FlattenLayer, inputShape: number[]): LayerRuntime {
  const features = inputShape.reduce((a, b) => a * b, 1);
  return {
    name: layer.name,
    op: 'flatten',
    inputShape,
    outputShape: [features],
    params: [],
    buffers: [],
    forward(x) {
      const batch = x.shape[0]!;
      const y = tf.reshape(toChannelsFirst(x), [batch, features]);
      return {
        y,
        backward(dy, needInputGrad) {
          if (!needInputGrad) return null;
          return x.rank === 4 ? toChannelsLast(tf.reshape(dy, [batch, ...inputShape])) : tf.reshape(dy, x.shape);
        },
      };
    },
  };
}
