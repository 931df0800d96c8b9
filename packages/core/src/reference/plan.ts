// Shape inference for a sequential ModelIR and the names and shapes of every parameter, buffer and optimizer
// slot. Samples are channels-first; a 2-D input (H, W) is read as (1, H, W), so `input(28, 28)` feeds a conv
// directly and flattens to 784 like `input(1, 28, 28)`.
import type { Layer, ModelIR, Optimizer } from '@bnx/ir';
import { BnxError } from '@bnx/ir';
import { conv2dOutputSize } from './conv2d.js';
import { optimizerSlotNames } from './optimizers.js';
import { poolOutputSize } from './pool.js';

export interface ParamSpec {
  /** `<layer>.<weight|bias|gamma|beta|running_mean|running_var>` */
  name: string;
  shape: number[];
  /** Updated by the optimizer (weight, bias, gamma, beta); false for the running statistics. */
  trainable: boolean;
}

export interface LayerPlan {
  layer: Layer;
  /** Sample shape in and out, without the batch axis. */
  inShape: number[];
  outShape: number[];
  params: ParamSpec[];
}

export interface NetworkPlan {
  model: ModelIR;
  inputShape: number[];
  inputSize: number;
  layers: LayerPlan[];
  outputSize: number;
}

export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** " (file:line:column)" when the layer carries a source location. */
export function whereIs(layer: Layer): string {
  const r = layer.loc?.range;
  return r === undefined ? '' : ` (${r.file}:${r.start.line}:${r.start.column})`;
}

function describe(shape: number[]): string {
  return `(${shape.join(', ')})`;
}

function needsImage(layer: Layer, inShape: number[]): [number, number, number] {
  if (inShape.length !== 3) {
    throw new BnxError(
      `${layer.op} layer '${layer.name}'${whereIs(layer)} needs a (channels, height, width) input, got ${describe(inShape)}`,
    );
  }
  return [inShape[0]!, inShape[1]!, inShape[2]!];
}

function planLayer(layer: Layer, inShape: number[]): LayerPlan {
  const param = (role: string, shape: number[], trainable = true): ParamSpec => ({
    name: `${layer.name}.${role}`,
    shape,
    trainable,
  });
  switch (layer.op) {
    case 'dense': {
      if (inShape.length !== 1) {
        throw new BnxError(
          `dense layer '${layer.name}'${whereIs(layer)} needs a flat input, got ${describe(inShape)}: add flatten before it`,
        );
      }
      const inputs = inShape[0]!;
      const params = [param('weight', [inputs, layer.units])];
      if (layer.bias) params.push(param('bias', [layer.units]));
      return { layer, inShape, outShape: [layer.units], params };
    }
    case 'conv2d': {
      const [c, h, w] = needsImage(layer, inShape);
      const [oh, ow] = conv2dOutputSize({
        batch: 1,
        inChannels: c,
        inHeight: h,
        inWidth: w,
        outChannels: layer.filters,
        kernel: layer.kernel,
        stride: layer.stride,
        padding: layer.padding,
      });
      const params = [param('weight', [layer.filters, c, layer.kernel[0], layer.kernel[1]])];
      if (layer.bias) params.push(param('bias', [layer.filters]));
      return { layer, inShape, outShape: [layer.filters, oh, ow], params };
    }
    case 'maxpool':
    case 'avgpool': {
      const [c, h, w] = needsImage(layer, inShape);
      const [oh, ow] = poolOutputSize({
        batch: 1,
        channels: c,
        inHeight: h,
        inWidth: w,
        size: layer.size,
        stride: layer.stride,
        padding: 'valid',
      });
      return { layer, inShape, outShape: [c, oh, ow], params: [] };
    }
    case 'flatten':
      return { layer, inShape, outShape: [sizeOf(inShape)], params: [] };
    case 'batchnorm': {
      const channels = [inShape[0]!];
      const params = layer.affine ? [param('gamma', channels), param('beta', channels)] : [];
      params.push(param('running_mean', channels, false), param('running_var', channels, false));
      return { layer, inShape, outShape: inShape, params };
    }
    case 'dropout':
    case 'relu':
    case 'leaky_relu':
    case 'sigmoid':
    case 'tanh':
    case 'elu':
    case 'softmax':
      return { layer, inShape, outShape: inShape, params: [] };
  }
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
