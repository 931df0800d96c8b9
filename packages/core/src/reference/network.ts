// Forward and backward passes of a planned sequential network, in float64, one op file per layer kind.
// Pure functions: parameters are read, never written; running statistics are returned, not applied.
import { BnxError } from '@bnx/ir';
import { kernelOf, type KernelContext, type Mode } from './kernels.js';
import type { LayerPlan, NetworkPlan } from './plan.js';

export type { Mode } from './kernels.js';

/** Parameters and buffers by name (`dense_1.weight`, `bn_1.running_mean`). */
export type Float64Params = Record<string, Float64Array>;

export interface ForwardPass {
  batch: number;
  mode: Mode;
  /** Input of layer i is inputs[i]; its output is inputs[i + 1]; the last entry is the logits. */
  inputs: Float64Array[];
  /** Per layer index: what its kernel kept for the backward pass (batch-norm intermediates, a dropout mask). */
  saved: Map<number, unknown>;
}

function context(plan: LayerPlan, params: Float64Params, batch: number, mode: Mode, mask: Float32Array | undefined): KernelContext<LayerPlan['layer']> {
  const l = plan.layer;
  return {
    layer: l,
    inShape: plan.inShape,
    outShape: plan.outShape,
    batch,
    mode,
    mask,
    param(role) {
      const p = params[`${l.name}.${role}`];
      if (p === undefined) throw new BnxError(`the state has no entry '${l.name}.${role}'`);
      return p;
    },
  };
}

export function forward(
  net: NetworkPlan,
  params: Float64Params,
  x: Float64Array,
  batch: number,
  mode: Mode,
  masks: Record<string, Float32Array> = {},
): ForwardPass {
  if (x.length !== batch * net.inputSize) {
    throw new BnxError(`model '${net.model.name}' expects ${net.inputSize} values per sample, got ${x.length} values for ${batch} samples`);
  }
  const pass: ForwardPass = { batch, mode, inputs: [x], saved: new Map() };
  net.layers.forEach((plan, index) => {
    const ctx = context(plan, params, batch, mode, masks[plan.layer.name]);
    const result = kernelOf(plan.layer).forward(ctx, pass.inputs[index]!);
    if (result.saved !== undefined) pass.saved.set(index, result.saved);
    pass.inputs.push(result.y);
  });
  return pass;
}

/** The logits of a forward pass (output of the last layer). */
export const logitsOf = (pass: ForwardPass): Float64Array => pass.inputs[pass.inputs.length - 1]!;

/**
 * Gradients of every trainable parameter given dL/dlogits, for a TRAINING-mode pass (batch normalization
 * backpropagates through its batch statistics).
 */
export function backward(net: NetworkPlan, params: Float64Params, pass: ForwardPass, dlogits: Float64Array): Float64Params {
  if (pass.mode !== 'train') throw new Error('backward needs a training-mode forward pass');
  const grads: Float64Params = {};
  let dy = dlogits;
  for (let index = net.layers.length - 1; index >= 0; index--) {
    const plan = net.layers[index]!;
    const ctx = context(plan, params, pass.batch, pass.mode, undefined);
    const result = kernelOf(plan.layer).backward(ctx, pass.inputs[index]!, pass.inputs[index + 1]!, dy, pass.saved.get(index));
    for (const [role, g] of Object.entries(result.grads ?? {})) grads[`${plan.layer.name}.${role}`] = g;
    dy = result.dx;
  }
  return grads;
}
