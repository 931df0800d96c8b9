import * as tf from '@tensorflow/tfjs-core';
import { BnxError, type DropoutLayer, type ShapedLayer } from '@bnx/ir';
import { toChannelsLast } from './layout.js';
import type { LayerRuntime } from './layer.js';

/**
 * Inverted dropout with the mask the driver provides (values 0 or 1/(1-rate), channels-first), so that every
 * backend drops the same units; evaluation passes x through.
 */
export function dropoutLayer(layer: DropoutLayer, shaped: ShapedLayer): LayerRuntime {
  const inputShape = shaped.inShape;
  const sampleSize = inputShape.reduce((a, b) => a * b, 1);
  return {
    name: layer.name,
    op: 'dropout',
    inputShape,
    outputShape: shaped.outShape,
    params: [],
    buffers: [],
    forward(x, ctx) {
      if (!ctx.training || layer.rate === 0) return { y: x, backward: (dy) => dy };
      const batch = x.shape[0]!;
      const values = ctx.dropoutMasks[layer.name];
      if (!values || values.length < batch * sampleSize) {
        throw new BnxError(
          `layer '${layer.name}' (dropout): the training batch carries no mask of ${batch * sampleSize} values ` +
            `(got ${values ? values.length : 'none'}); dropout masks come from @bnx/core's driver`,
          'E_TFJS_DROPOUT_MASK',
        );
      }
      const mask = toChannelsLast(tf.tensor(values.subarray(0, batch * sampleSize), [batch, ...inputShape]));
      return { y: tf.mul(x, mask), backward: (dy) => tf.mul(dy, mask) };
    },
  };
}
