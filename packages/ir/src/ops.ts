// The op catalogue: for every layer op its attributes (with types, defaults and allowed ranges), its
// parameter tensors and buffers (with the layouts every backend follows), and its shape rule. Shape
// inference, parameter specs, validation and the DSL's argument lowering all read this one table.
import { BATCHNORM_DEFAULTS, CONV2D_DEFAULTS, DENSE_DEFAULTS, ELU_DEFAULTS, GROUPNORM_DEFAULTS, LAYERNORM_DEFAULTS, LEAKY_RELU_DEFAULTS } from './defaults.js';
import type { DiagnosticCode } from './codes.js';
import { formatShape } from './format.js';
import type { NumberRange } from './ranges.js';
import type { ActivationLayer, Conv2dLayer, EluLayer, GroupNormLayer, Layer, LayerNormLayer, LayerOp, LeakyReluLayer, PoolLayer } from './types.js';

export type AttrType = 'int' | 'number' | 'bool' | 'enum' | 'int_pair' | 'initializer';

export interface AttrSpec {
  /** Field name in the IR layer (`runningVar`). */
  name: string;
  /** Argument name in the `.bnx` language (`running_var`); also the key of `loc.fields`. */
  dsl: string;
  type: AttrType;
  /** Index when the argument may be given positionally: `dense(128)`, `dropout(0.2)`. */
  positional?: number;
  /** Absent: required. For `int_pair`, a single number in the file means the same value on both axes. */
  default?: number | boolean | string | null | [number, number];
  /** Pool stride: the default is the value of this other attribute. */
  defaultFrom?: string;
  range?: NumberRange;
  values?: readonly string[];
  doc: string;
}

export type ParamRole = 'weight' | 'bias' | 'gamma' | 'beta' | 'running_mean' | 'running_var';

/** One parameter tensor or buffer of a layer, given the layer's input shape. */
export interface ParamShape {
  role: ParamRole;
  shape: number[];
  /** Parameters are updated by the optimizer; buffers (BN running statistics) are not. */
  trainable: boolean;
  /** Inputs feeding one output unit (dense: in; conv: in*kh*kw). */
  fanIn: number;
  /** Outputs fed by one input unit (dense: out; conv: out*kh*kw). */
  fanOut: number;
}

export type ShapeResult =
  { ok: true; shape: number[] } | { ok: false; code: DiagnosticCode; message: string; /** `loc.fields` key of the value at fault */ field?: string };

export type OpKind = 'linear' | 'normalization' | 'activation' | 'pool' | 'reshape' | 'regularization';

export interface OpSpec<L extends Layer = Layer> {
  op: L['op'];
  kind: OpKind;
  doc: string;
  attrs: readonly AttrSpec[];
  /** Role names of the layer's tensors, in the order `paramShapes` returns them (for documentation). */
  tensors: readonly ParamRole[];
  /** Output sample shape (no batch axis) for an input sample shape, or why the input does not fit. */
  outputShape(layer: L, input: readonly number[]): ShapeResult;
  /** Parameter tensors and buffers for an input shape that `outputShape` accepted. */
  paramShapes(layer: L, input: readonly number[]): ParamShape[];
  /** Multiply-adds per sample in the forward pass (0 for cheap elementwise ops). */
  macs(layer: L, input: readonly number[], output: readonly number[]): number;
}

const WHOLE_AT_LEAST_1: NumberRange = { integer: true, min: 1 };

/** One spatial axis of a convolution or pooling window. SAME pads like TF/ONNX SAME_UPPER: extra at the end. */
export interface AxisGeometry {
  out: number;
  padBefore: number;
  padAfter: number;
}

export function windowAxis(size: number, kernel: number, stride: number, padding: 'same' | 'valid'): AxisGeometry {
  if (padding === 'same') {
    const out = Math.ceil(size / stride);
    const total = Math.max((out - 1) * stride + kernel - size, 0);
    const padBefore = Math.floor(total / 2);
    return { out, padBefore, padAfter: total - padBefore };
  }
  return { out: Math.floor((size - kernel) / stride) + 1, padBefore: 0, padAfter: 0 };
}

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function imageProblem(op: string, input: readonly number[]): ShapeResult | undefined {
  if (input.length === 3) return undefined;
  return {
    ok: false,
    code: 'E1102',
    message: `${op} needs an input of shape (channels, height, width); it gets ${formatShape(input)}`,
  };
}

/** Both spatial axes of a convolution or pooling window over a (C, H, W) input; pools never pad. */
export interface WindowGeometry {
  rows: AxisGeometry;
  cols: AxisGeometry;
}

/** The window geometry of a conv2d, maxpool or avgpool layer: every backend pads and sizes from this. */
export function layerWindow(layer: Conv2dLayer | PoolLayer, input: readonly number[]): WindowGeometry {
  const [, h = 0, w = 0] = input;
  const kernel = layer.op === 'conv2d' ? layer.kernel : layer.size;
  const padding = layer.op === 'conv2d' ? layer.padding : 'valid';
  return {
    rows: windowAxis(h, kernel[0], layer.stride[0], padding),
    cols: windowAxis(w, kernel[1], layer.stride[1], padding),
  };
}

function windowed(layer: Conv2dLayer | PoolLayer, input: readonly number[]): ShapeResult {
  const notImage = imageProblem(layer.op, input);
  if (notImage) return notImage;
  const [channels = 0, h = 0, w = 0] = input;
  const { rows, cols } = layerWindow(layer, input);
  if (rows.out < 1 || cols.out < 1) {
    const [kernelField, kernel] = layer.op === 'conv2d' ? ['kernel', layer.kernel] : ['size', layer.size];
    return {
      ok: false,
      code: 'E1104',
      field: kernelField,
      message: `${layer.op} window ${kernel[0]}×${kernel[1]} is larger than its input ${h}×${w} (padding valid)`,
    };
  }
  return { ok: true, shape: [layer.op === 'conv2d' ? layer.filters : channels, rows.out, cols.out] };
}

/** Normalization layers take (features) or (channels, height, width) and give the same shape. */
function normalizedShape(op: string, input: readonly number[]): ShapeResult {
  if (input.length !== 1 && input.length !== 3) {
    return {
      ok: false,
      code: 'E1105',
      message: `${op} needs an input of shape (features) or (channels, height, width); it gets ${formatShape(input)}`,
    };
  }
  return { ok: true, shape: [...input] };
}

/** The learnable per-channel scale and shift of a normalization layer, when affine. */
function affineParams(affine: boolean, input: readonly number[]): ParamShape[] {
  const c = input[0] ?? 0;
  return affine ? (['gamma', 'beta'] as const).map((role) => ({ role, shape: [c], trainable: true, fanIn: c, fanOut: c })) : [];
}

const EPSILON_ATTR = (fallback: number): AttrSpec => ({
  name: 'epsilon',
  dsl: 'epsilon',
  type: 'number',
  default: fallback,
  range: { min: 0, minExclusive: true },
  doc: 'added to the variance before the square root',
});
const AFFINE_ATTR = (fallback: boolean): AttrSpec => ({
  name: 'affine',
  dsl: 'affine',
  type: 'bool',
  default: fallback,
  doc: 'learn a per-channel scale gamma (init 1) and shift beta (init 0)',
});

/**
 * The group count of a groupnorm or layernorm layer (layer norm is one group). Every backend and the
 * reference normalize each sample's (C / groups) × H × W values of a group together.
 */
export function normGroups(layer: LayerNormLayer | GroupNormLayer): number {
  return layer.op === 'groupnorm' ? layer.groups : 1;
}

const sameShape = (_layer: Layer, input: readonly number[]): ShapeResult => ({ ok: true, shape: [...input] });
const noParams = (): ParamShape[] => [];
const noMacs = (): number => 0;

function activation<L extends Layer>(op: L['op'], doc: string, attrs: readonly AttrSpec[] = []): OpSpec<L> {
  return { op, kind: 'activation', doc, attrs, tensors: [], outputShape: sameShape, paramShapes: noParams, macs: noMacs };
}

/** The layer type whose `op` can be K (PoolLayer for both 'maxpool' and 'avgpool'). */
export type LayerOf<K extends LayerOp> = Layer extends infer L ? (L extends Layer ? (K extends L['op'] ? L : never) : never) : never;

type Catalogue = { [K in LayerOp]: OpSpec<LayerOf<K>> };

export const OPS: Catalogue = {
  dense: {
    op: 'dense',
    kind: 'linear',
    doc: 'Fully connected: y = x·W + b, W of shape [in, out].',
    attrs: [
      { name: 'units', dsl: 'units', type: 'int', positional: 0, range: WHOLE_AT_LEAST_1, doc: 'output features' },
      { name: 'init', dsl: 'init', type: 'initializer', default: DENSE_DEFAULTS.init, doc: "weight initializer; null: the recipe's, else glorot_uniform" },
      { name: 'bias', dsl: 'bias', type: 'bool', default: DENSE_DEFAULTS.bias, doc: 'add a learned bias' },
    ],
    tensors: ['weight', 'bias'],
    outputShape(layer, input) {
      if (input.length !== 1) {
        return {
          ok: false,
          code: 'E1103',
          message: `dense needs a 1-D input (features); it gets ${formatShape(input)}; add flatten before it`,
        };
      }
      return { ok: true, shape: [layer.units] };
    },
    paramShapes(layer, input) {
      const fanIn = input[0] ?? 0;
      const fanOut = layer.units;
      const params: ParamShape[] = [{ role: 'weight', shape: [fanIn, fanOut], trainable: true, fanIn, fanOut }];
      if (layer.bias) params.push({ role: 'bias', shape: [fanOut], trainable: true, fanIn, fanOut });
      return params;
    },
    macs: (layer, input) => (input[0] ?? 0) * layer.units,
  },
  conv2d: {
    op: 'conv2d',
    kind: 'linear',
    doc: '2-D convolution (cross-correlation, like every framework), weight OIHW [out, in, kh, kw].',
    attrs: [
      { name: 'filters', dsl: 'filters', type: 'int', positional: 0, range: WHOLE_AT_LEAST_1, doc: 'output channels' },
      { name: 'kernel', dsl: 'kernel', type: 'int_pair', range: WHOLE_AT_LEAST_1, doc: 'window height and width' },
      { name: 'stride', dsl: 'stride', type: 'int_pair', default: CONV2D_DEFAULTS.stride, range: WHOLE_AT_LEAST_1, doc: 'step between windows' },
      {
        name: 'padding',
        dsl: 'padding',
        type: 'enum',
        default: CONV2D_DEFAULTS.padding,
        values: ['same', 'valid'],
        doc: 'same: output = ceil(in/stride), extra padding at the end; valid: no padding',
      },
      { name: 'init', dsl: 'init', type: 'initializer', default: CONV2D_DEFAULTS.init, doc: 'weight initializer' },
      { name: 'bias', dsl: 'bias', type: 'bool', default: CONV2D_DEFAULTS.bias, doc: 'add a learned bias per output channel' },
    ],
    tensors: ['weight', 'bias'],
    outputShape: windowed,
    paramShapes(layer, input) {
      const [kh, kw] = layer.kernel;
      const channels = input[0] ?? 0;
      const fanIn = channels * kh * kw;
      const fanOut = layer.filters * kh * kw;
      const params: ParamShape[] = [{ role: 'weight', shape: [layer.filters, channels, kh, kw], trainable: true, fanIn, fanOut }];
      if (layer.bias) params.push({ role: 'bias', shape: [layer.filters], trainable: true, fanIn, fanOut });
      return params;
    },
    macs: (layer, input, output) => product(output) * (input[0] ?? 0) * layer.kernel[0] * layer.kernel[1],
  },
  maxpool: {
    op: 'maxpool',
    kind: 'pool',
    doc: 'Maximum over each window, per channel, no padding.',
    attrs: [
      { name: 'size', dsl: 'size', type: 'int_pair', positional: 0, range: WHOLE_AT_LEAST_1, doc: 'window height and width' },
      { name: 'stride', dsl: 'stride', type: 'int_pair', defaultFrom: 'size', range: WHOLE_AT_LEAST_1, doc: 'step between windows; default: size' },
    ],
    tensors: [],
    outputShape: windowed,
    paramShapes: noParams,
    macs: noMacs,
  },
  avgpool: {
    op: 'avgpool',
    kind: 'pool',
    doc: 'Mean over each window, per channel, no padding.',
    attrs: [
      { name: 'size', dsl: 'size', type: 'int_pair', positional: 0, range: WHOLE_AT_LEAST_1, doc: 'window height and width' },
      { name: 'stride', dsl: 'stride', type: 'int_pair', defaultFrom: 'size', range: WHOLE_AT_LEAST_1, doc: 'step between windows; default: size' },
    ],
    tensors: [],
    outputShape: windowed,
    paramShapes: noParams,
    macs: noMacs,
  },
  flatten: {
    op: 'flatten',
    kind: 'reshape',
    doc: 'Reshape (C, H, W) to (C·H·W), row-major (channels outermost).',
    attrs: [],
    tensors: [],
    outputShape: (_layer, input) => ({ ok: true, shape: [product(input)] }),
    paramShapes: noParams,
    macs: noMacs,
  },
  dropout: {
    op: 'dropout',
    kind: 'regularization',
    doc: 'Inverted dropout in training (kept units scaled by 1/(1-rate)); identity in evaluation.',
    attrs: [{ name: 'rate', dsl: 'rate', type: 'number', positional: 0, range: { min: 0, max: 1, maxExclusive: true }, doc: 'probability of dropping a unit' }],
    tensors: [],
    outputShape: sameShape,
    paramShapes: noParams,
    macs: noMacs,
  },
  batchnorm: {
    op: 'batchnorm',
    kind: 'normalization',
    doc: 'Batch normalization, per feature after a 1-D input and per channel (over N, H, W) after (C, H, W).',
    attrs: [
      {
        name: 'momentum',
        dsl: 'momentum',
        type: 'number',
        default: BATCHNORM_DEFAULTS.momentum,
        range: { min: 0, max: 1 },
        doc: 'weight of the NEW batch statistic in the running one (PyTorch meaning)',
      },
      {
        name: 'epsilon',
        dsl: 'epsilon',
        type: 'number',
        default: BATCHNORM_DEFAULTS.epsilon,
        range: { min: 0, minExclusive: true },
        doc: 'added to the variance before the square root',
      },
      {
        name: 'runningVar',
        dsl: 'running_var',
        type: 'enum',
        default: BATCHNORM_DEFAULTS.runningVar,
        values: ['unbiased', 'biased'],
        doc: 'variance kept in running_var; normalization always uses the biased batch variance',
      },
      { name: 'affine', dsl: 'affine', type: 'bool', default: BATCHNORM_DEFAULTS.affine, doc: 'learn gamma (init 1) and beta (init 0)' },
    ],
    tensors: ['gamma', 'beta', 'running_mean', 'running_var'],
    outputShape(_layer, input) {
      if (input.length !== 1 && input.length !== 3) {
        return {
          ok: false,
          code: 'E1105',
          message: `batchnorm needs an input of shape (features) or (channels, height, width); it gets ${formatShape(input)}`,
        };
      }
      return { ok: true, shape: [...input] };
    },
    paramShapes(layer, input) {
      const c = input[0] ?? 0;
      const tensor = (role: ParamRole, trainable: boolean): ParamShape => ({ role, shape: [c], trainable, fanIn: c, fanOut: c });
      const params: ParamShape[] = layer.affine ? [tensor('gamma', true), tensor('beta', true)] : [];
      params.push(tensor('running_mean', false), tensor('running_var', false));
      return params;
    },
    macs: noMacs,
  },
  layernorm: {
    op: 'layernorm',
    kind: 'normalization',
    doc: 'Layer normalization: each sample over all its features (F, or C·H·W), biased variance; per-channel scale and shift. No running statistics.',
    attrs: [EPSILON_ATTR(LAYERNORM_DEFAULTS.epsilon), AFFINE_ATTR(LAYERNORM_DEFAULTS.affine)],
    tensors: ['gamma', 'beta'],
    outputShape: (_layer, input) => normalizedShape('layernorm', input),
    paramShapes: (layer, input) => affineParams(layer.affine, input),
    macs: noMacs,
  },
  groupnorm: {
    op: 'groupnorm',
    kind: 'normalization',
    doc: 'Group normalization: each sample over groups of consecutive channels (and H, W), biased variance; per-channel scale and shift.',
    attrs: [
      {
        name: 'groups',
        dsl: 'groups',
        type: 'int',
        positional: 0,
        range: WHOLE_AT_LEAST_1,
        doc: 'channel groups; must divide the channels (1: layer norm, C: instance norm)',
      },
      EPSILON_ATTR(GROUPNORM_DEFAULTS.epsilon),
      AFFINE_ATTR(GROUPNORM_DEFAULTS.affine),
    ],
    tensors: ['gamma', 'beta'],
    outputShape(layer, input) {
      const shape = normalizedShape('groupnorm', input);
      const channels = input[0] ?? 0;
      if (shape.ok && channels % layer.groups !== 0) {
        const what = input.length === 1 ? 'features' : 'channels';
        return { ok: false, code: 'E1109', field: 'groups', message: `groupnorm groups (${layer.groups}) must divide the ${channels} ${what} of its input` };
      }
      return shape;
    },
    paramShapes: (layer, input) => affineParams(layer.affine, input),
    macs: noMacs,
  },
  relu: activation<ActivationLayer>('relu', 'max(x, 0)'),
  sigmoid: activation<ActivationLayer>('sigmoid', '1 / (1 + exp(-x))'),
  tanh: activation<ActivationLayer>('tanh', 'tanh(x)'),
  softmax: {
    ...activation<ActivationLayer>('softmax', 'exp(x) / sum(exp(x)) over the features'),
    outputShape(_layer, input) {
      if (input.length !== 1) {
        return { ok: false, code: 'E1106', message: `softmax needs a 1-D input (features); it gets ${formatShape(input)}` };
      }
      return { ok: true, shape: [...input] };
    },
  },
  leaky_relu: activation<LeakyReluLayer>('leaky_relu', 'x for x ≥ 0, alpha·x below', [
    { name: 'alpha', dsl: 'alpha', type: 'number', positional: 0, default: LEAKY_RELU_DEFAULTS.alpha, range: { min: 0 }, doc: 'slope below 0' },
  ]),
  elu: activation<EluLayer>('elu', 'x for x > 0, alpha·(exp(x) - 1) below', [
    {
      name: 'alpha',
      dsl: 'alpha',
      type: 'number',
      positional: 0,
      default: ELU_DEFAULTS.alpha,
      range: { min: 0 },
      doc: 'value approached for large negative x is -alpha',
    },
  ]),
};

export const LAYER_OPS = Object.keys(OPS) as LayerOp[];

/** The catalogue entry of an op, or undefined for a name that is not an op (half-built IR). */
export function opSpec(op: unknown): OpSpec | undefined {
  if (typeof op !== 'string' || !Object.prototype.hasOwnProperty.call(OPS, op)) return undefined;
  return OPS[op as LayerOp] as unknown as OpSpec;
}

export const ACTIVATION_OPS: readonly LayerOp[] = LAYER_OPS.filter((op) => OPS[op].kind === 'activation');

export function isActivation(layer: Layer): boolean {
  return opSpec(layer.op)?.kind === 'activation';
}
