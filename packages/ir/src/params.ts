// Every parameter tensor and buffer of a model, named `<layer>.<role>`, with its shape, fans and resolved
// initializer: what @bnx/core needs to draw the initial state that every backend starts from.
import { DEFAULT_WEIGHT_INIT } from './defaults.js';
import { BnxError } from './errors.js';
import type { ParamRole } from './ops.js';
import { opSpec } from './ops.js';
import { inferShapes } from './shapes.js';
import type { Initializer, Layer, ModelIR, TrainIR } from './types.js';

export interface ParamSpec {
  /** `dense_1.weight`, `batchnorm_2.running_var` */
  name: string;
  layer: string;
  role: ParamRole;
  shape: number[];
  /** False for buffers (running statistics), which the optimizer never touches. */
  trainable: boolean;
  fanIn: number;
  fanOut: number;
  init: Initializer;
}

/** Input shape of every layer (index i: what layer i receives); throws BnxError on a model that does not check. */
export function layerInputShapes(model: ModelIR): number[][] {
  const shapes = inferShapes(model);
  const firstError = shapes.diagnostics.find((d) => d.severity === 'error');
  if (firstError !== undefined || shapes.outputs.length !== model.layers.length) {
    const where = firstError?.range ? `${firstError.range.file}:${firstError.range.start.line}:${firstError.range.start.column}: ` : '';
    throw new BnxError(`${where}model '${model.name}' does not check: ${firstError?.message ?? 'shape inference failed'}`, firstError?.code);
  }
  return [shapes.input, ...shapes.outputs.slice(0, -1)];
}

/**
 * The initializer of one tensor. Weights: the layer's own, else the recipe's `init`, else glorot_uniform.
 * Biases: zeros, except under `torch_default`, where PyTorch draws them from U(±1/sqrt(fanIn)) too.
 * gamma and running_var start at ones, beta and running_mean at zeros.
 */
function initFor(layer: Layer, role: ParamRole, recipe: Pick<TrainIR, 'init'> | undefined): Initializer {
  const weightInit = ('init' in layer ? layer.init : null) ?? recipe?.init ?? DEFAULT_WEIGHT_INIT;
  switch (role) {
    case 'weight':
      return weightInit;
    case 'bias':
      return weightInit.kind === 'torch_default' ? weightInit : { kind: 'zeros' };
    case 'gamma':
    case 'running_var':
      return { kind: 'ones' };
    case 'beta':
    case 'running_mean':
      return { kind: 'zeros' };
  }
}

/** The parameter tensors and buffers of one layer, given its input shape. */
export function layerParamSpecs(layer: Layer, input: readonly number[], recipe?: Pick<TrainIR, 'init'>): ParamSpec[] {
  const spec = opSpec(layer.op);
  if (spec === undefined) return [];
  return spec.paramShapes(layer, input).map((p) => ({
    name: `${layer.name}.${p.role}`,
    layer: layer.name,
    role: p.role,
    shape: p.shape,
    trainable: p.trainable,
    fanIn: p.fanIn,
    fanOut: p.fanOut,
    init: initFor(layer, p.role, recipe),
  }));
}

export function paramSpecs(model: ModelIR, recipe?: Pick<TrainIR, 'init'>): ParamSpec[] {
  return shapeLayers(model, recipe).flatMap((shaped) => shaped.params);
}

/** One layer with the sample shapes (no batch axis) it takes and gives and the tensors it owns. */
export interface ShapedLayer<L extends Layer = Layer> {
  layer: L;
  inShape: number[];
  outShape: number[];
  params: ParamSpec[];
}

/**
 * Every layer of a model with its shapes and tensors, from the op catalogue: what each backend builds its
 * kernels from. Throws BnxError on a model that does not check.
 */
export function shapeLayers(model: ModelIR, recipe?: Pick<TrainIR, 'init'>): ShapedLayer[] {
  const inputs = layerInputShapes(model);
  const outputs = inferShapes(model).outputs;
  return model.layers.map((layer, i) => {
    const inShape = inputs[i]!;
    return { layer, inShape, outShape: outputs[i]!, params: layerParamSpecs(layer, inShape, recipe) };
  });
}

/** The value every element of a tensor starts at when its initializer is a constant (ones, zeros). */
export function constantInitValue(spec: Pick<ParamSpec, 'init'>): number | undefined {
  if (spec.init.kind === 'ones') return 1;
  if (spec.init.kind === 'zeros') return 0;
  return undefined;
}

export interface LayerSummary {
  name: string;
  op: Layer['op'];
  outputShape: number[];
  /** Values updated by the optimizer. */
  trainable: number;
  /** Buffers (BN running statistics). */
  nonTrainable: number;
}

export interface ParamCount {
  layers: LayerSummary[];
  trainable: number;
  nonTrainable: number;
  total: number;
}

/** Parameter counts per layer and in total, like Keras' `model.summary()`. */
export function paramCount(model: ModelIR): ParamCount {
  const specs = paramSpecs(model);
  const outputs = inferShapes(model).outputs;
  const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
  const layers = model.layers.map((layer, i): LayerSummary => {
    const own = specs.filter((s) => s.layer === layer.name);
    return {
      name: layer.name,
      op: layer.op,
      outputShape: outputs[i] ?? [],
      trainable: own.filter((s) => s.trainable).reduce((a, s) => a + size(s.shape), 0),
      nonTrainable: own.filter((s) => !s.trainable).reduce((a, s) => a + size(s.shape), 0),
    };
  });
  const trainable = layers.reduce((a, l) => a + l.trainable, 0);
  const nonTrainable = layers.reduce((a, l) => a + l.nonTrainable, 0);
  return { layers, trainable, nonTrainable, total: trainable + nonTrainable };
}
