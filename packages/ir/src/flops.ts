// Floating-point work per sample, for benchmarks: samples/s times this is the achieved FLOP/s.
import { opSpec } from './ops.js';
import { layerInputShapes } from './params.js';
import { inferShapes } from './shapes.js';
import type { ModelIR } from './types.js';

export interface FlopCount {
  /** 2 × the multiply-adds of dense and conv layers; elementwise ops are negligible beside them. */
  forward: number;
  /** A training step ≈ 3 × forward: the forward pass, then gradients for inputs and for weights. */
  training: number;
}

/** Throws BnxError on a model that does not check. */
export function flopsPerSample(model: ModelIR): FlopCount {
  const inputs = layerInputShapes(model);
  const outputs = inferShapes(model).outputs;
  let macs = 0;
  model.layers.forEach((layer, i) => {
    const spec = opSpec(layer.op);
    const input = inputs[i];
    const output = outputs[i];
    if (spec && input && output) macs += spec.macs(layer, input, output);
  });
  return { forward: 2 * macs, training: 6 * macs };
}
