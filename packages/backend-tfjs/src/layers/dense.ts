import * as tf from '@tensorflow/tfjs-core';
import type { DenseLayer, ShapedLayer } from '@bnx/ir';
import { columnSums } from './column_sums.js';
import { stored, tensorSpecs, type LayerRuntime } from './layer.js';

/** y = x·W + b with W stored [in, out] (the bnx layout). */
export function denseLayer(layer: DenseLayer, shaped: ShapedLayer): LayerRuntime {
  const weightName = `${layer.name}.weight`;
  const biasName = `${layer.name}.bias`;
  return {
    name: layer.name,
    op: 'dense',
    inputShape: shaped.inShape,
    outputShape: shaped.outShape,
    ...tensorSpecs(shaped),
    forward(x, ctx) {
      const w = stored(ctx, weightName) as tf.Tensor2D;
      // The bias rides in the fused matMul (one pass fewer); never with a transpose flag, which gives wrong
      // results on wasm (docs/runtime-traps.md).
      const y = layer.bias ? tf.fused.matMul({ a: x as tf.Tensor2D, b: w, bias: stored(ctx, biasName) }) : tf.matMul(x as tf.Tensor2D, w);
      return {
        y,
        backward(dy, needInputGrad, grads) {
          // Explicit transposes: the wasm matMul transpose flags run about 10x slower (docs/runtime-traps.md).
          grads.set(weightName, tf.matMul(tf.transpose(x as tf.Tensor2D), dy as tf.Tensor2D));
          if (layer.bias) grads.set(biasName, columnSums(dy as tf.Tensor2D));
          return needInputGrad ? tf.matMul(dy as tf.Tensor2D, tf.transpose(w)) : null;
        },
      };
    },
  };
}
