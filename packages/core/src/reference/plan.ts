// Shape inference for a sequential ModelIR and the names and shapes of every parameter, buffer and optimizer
// slot. Samples are channels-first; a 2-D input (H, W) is read as (1, H, W), so `input(28, 28)` feeds a conv
// directly and flattens to 784 like `input(1, 28, 28)`.
import type { Layer, ModelIR, Optimizer } from '@bnx/ir';
import { BnxError } from '@bnx/ir';
import { kernelOf, sizeOf, type PlannedTensor } from './kernels.js';
import { optimizerSlotNames } from './optimizers.js';

export { sizeOf, whereIs, type PlannedTensor } from './kernels.js';

export interface LayerPlan {
  layer: Layer;
  /** Sample shape in and out, without the batch axis. */
  inShape: number[];
  outShape: number[];
  params: PlannedTensor[];
}

export interface NetworkPlan {
  model: ModelIR;
  inputShape: number[];
  inputSize: number;
  layers: LayerPlan[];
  outputSize: number;
}

function describe(shape: number[]): string {
  return `(${shape.join(', ')})`;
}

function planLayer(layer: Layer, inShape: number[]): LayerPlan {
  const { outShape, tensors } = kernelOf(layer).plan(layer, inShape);
  const params = tensors.map((t) => ({ name: `${layer.name}.${t.role}`, shape: t.shape, trainable: t.trainable ?? true }));
  return { layer, inShape, outShape, params };
}

export function planNetwork(model: ModelIR): NetworkPlan {
  const inputShape = model.input.length === 2 ? [1, ...model.input] : [...model.input];
  if (inputShape.length === 0 || inputShape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new BnxError(`model '${model.name}' has an invalid input shape ${describe(model.input)}`);
  }
  const layers: LayerPlan[] = [];
  let shape = inputShape;
  for (const layer of model.layers) {
    const planned = planLayer(layer, shape);
    layers.push(planned);
    shape = planned.outShape;
  }
  return { model, inputShape, inputSize: sizeOf(inputShape), layers, outputSize: sizeOf(shape) };
}

export interface StateEntrySpec {
  name: string;
  shape: number[];
  kind: 'parameter' | 'buffer' | 'slot';
}

/** Every entry of a trainer's state: parameters, BN running statistics, then `<param>.<slot>` optimizer slots. */
export function stateSpecs(plan: NetworkPlan, optimizer: Optimizer): StateEntrySpec[] {
  const specs: StateEntrySpec[] = [];
  const slots = optimizerSlotNames(optimizer);
  for (const { params } of plan.layers) {
    for (const p of params) specs.push({ name: p.name, shape: p.shape, kind: p.trainable ? 'parameter' : 'buffer' });
  }
  for (const { params } of plan.layers) {
    for (const p of params) {
      if (!p.trainable) continue;
      for (const s of slots) specs.push({ name: `${p.name}.${s}`, shape: p.shape, kind: 'slot' });
    }
  }
  return specs;
}
