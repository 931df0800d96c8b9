import * as tf from '@tensorflow/tfjs-core';
import { BnxError, type DenseLayer } from '@bnx/ir';
import { columnSums } from './column_sums.js';
import { stored, type LayerRuntime } from './layer.js';

/** y = x·W + b with W stored [in, out] (the bnx layout). */
export function denseLayer(layer: DenseLayer, inputShape: number[]): LayerRuntime {
  if (inputShape.length !== 1) {
    throw new BnxError(
      `layer '${layer.name}' (dense) needs a flat input but gets shape (${inputShape.join(', ')}); add flatten before it`,
      'E_TFJS_SHAPE',
    );
  }
  const inputs = inputShape[0]!;
  const weightName = `${layer.name}.weight`;
  const biasName = `${layer.name}.bias`;
  const params = [{ name: weightName, shape: [inputs, layer.units], layout: 'same' as const }];
  if (layer.bias) params.push({ name: biasName, shape: [layer.units], layout: 'same' as const });
  return {
    name: layer.name,
    op: 'dense',
    inputShape,
    outputShape: [layer.units],
    params,
    buffers: [],
    forward(x, ctx) {
      const w = stored(ctx, weightName) as tf.Tensor2D;
      // The bias rides in the fused matMul (one pass fewer); never with a transpose flag, which gives wrong
      // results on wasm (DESIGN.md section 3).
      const y = layer.bias
        ? tf.fused.matMul({ a: x as tf.Tensor2D, b: w, bias: stored(ctx, biasName) })
        : tf.matMul(x as tf.Tensor2D, w);
      return {
        y,
        backward(dy, needInputGrad, grads) {
          // Explicit transposes: the wasm matMul transpose flags run about 10x slower (DESIGN.md section 3).
          grads.set(weightName, tf.matMul(tf.transpose(x as tf.Tensor2D), dy as tf.Tensor2D));
          if (layer.bias) grads.set(biasName, columnSums(dy as tf.Tensor2D));
          return needInputGrad ? tf.matMul(dy as tf.Tensor2D, tf.transpose(w)) : null;
        },
      };
    },
  };
}
