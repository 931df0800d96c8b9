import * as tf from '@tensorflow/tfjs-core';
import type { FlattenLayer, ShapedLayer } from '@bnx/ir';
import { toChannelsFirst, toChannelsLast } from './layout.js';
import type { LayerRuntime } from './layer.js';

/** Flattens in channels-first order (C, H, W), as PyTorch does, so dense weights after it mean the same thing. */
export function flattenLayer(layer: FlattenLayer, shaped: ShapedLayer): LayerRuntime {
  const inputShape = shaped.inShape;
  const features = shaped.outShape[0]!;
  return {
    name: layer.name,
    op: 'flatten',
    inputShape,
    outputShape: shaped.outShape,
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
