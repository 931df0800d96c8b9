// A `model NAME { ... }` block → ModelIR: input(...), layers with their defaults, repeat unrolled, names
// `${op}_${k}` counted per op in model order.
import {
  BATCHNORM_DEFAULTS,
  CONV2D_DEFAULTS,
  DENSE_DEFAULTS,
  ELU_DEFAULTS,
  LEAKY_RELU_DEFAULTS,
  type Layer,
  type ModelIR,
  type NodeLocation,
  type SourceRange,
} from '@bnx/ir';
import type { Declaration, Expr, Statement } from './ast.js';
import { bindArgs, callArgs, fieldRanges, type BoundArgs, type CallSpec } from './args.js';
import { readInitializer } from './initializer.js';
import { didYouMean } from './suggest.js';
import { Diagnostics, MAX_EXPANSION, readBoolean, readChoice, readNumber, readPair } from './values.js';

/** A layer before naming: the batchnorm transform inserts layers, then everything is named in order. */
export type UnnamedLayer = Layer extends infer L ? (L extends Layer ? Omit<L, 'name'> : never) : never;

const LAYER_SPECS: Record<Layer['op'], CallSpec> = {
  dense: { positional: ['units'], named: ['units', 'init', 'bias'], required: ['units'] },
  conv2d: { positional: ['filters'], named: ['filters', 'kernel', 'stride', 'padding', 'init', 'bias'], required: ['filters', 'kernel'] },
  maxpool: { positional: ['size'], named: ['size', 'stride'], required: ['size'] },
  avgpool: { positional: ['size'], named: ['size', 'stride'], required: ['size'] },
  flatten: { positional: [], named: [] },
  dropout: { positional: ['rate'], named: ['rate'], required: ['rate'] },
  batchnorm: { positional: [], named: ['momentum', 'epsilon', 'running_var', 'affine'] },
  relu: { positional: [], named: [] },
  sigmoid: { positional: [], named: [] },
  tanh: { positional: [], named: [] },
  softmax: { positional: [], named: [] },
  leaky_relu: { positional: ['alpha'], named: ['alpha'] },
  elu: { positional: ['alpha'], named: ['alpha'] },
};
export const LAYER_NAMES = Object.keys(LAYER_SPECS) as Layer['op'][];

export function readBatchNormArgs(d: Diagnostics, args: BoundArgs) {
  const momentum = args.has('momentum') ? readNumber(d, args.get('momentum')!, 'batchnorm momentum') : BATCHNORM_DEFAULTS.momentum;
  const epsilon = args.has('epsilon') ? readNumber(d, args.get('epsilon')!, 'batchnorm epsilon') : BATCHNORM_DEFAULTS.epsilon;
  const runningVar = args.has('running_var')
    ? readChoice(d, args.get('running_var')!, 'running_var', ['unbiased', 'biased'] as const)
    : BATCHNORM_DEFAULTS.runningVar;
  const affine = args.has('affine') ? readBoolean(d, args.get('affine')!, 'batchnorm affine') : BATCHNORM_DEFAULTS.affine;
  if (momentum === undefined || epsilon === undefined || runningVar === undefined || affine === undefined) return undefined;
  return { momentum, epsilon, runningVar, affine };
}

function lowerLayer(d: Diagnostics, expr: Expr, range: SourceRange): UnnamedLayer | undefined {
  const call = callArgs(expr);
  if (call === undefined) return d.error('E0111', 'a model holds one layer per line, such as dense(128) or relu', range);
  const op = call.callee as Layer['op'];
  const spec = LAYER_SPECS[op];
  if (!Object.hasOwn(LAYER_SPECS, op) || spec === undefined) {
    return d.error('E0103', `unknown layer '${call.callee}'`, call.calleeRange, didYouMean(call.callee, [...LAYER_NAMES, 'input']));
  }
  const args = bindArgs(d, expr, spec, op);
  const loc: NodeLocation = { range, fields: fieldRanges(args) };
  const num = (name: string, what = `${op} ${name}`) => (args.has(name) ? readNumber(d, args.get(name)!, what) : undefined);
  const bias = (fallback: boolean) => (args.has('bias') ? readBoolean(d, args.get('bias')!, `${op} bias`) : fallback);
  const init = () => (args.has('init') ? readInitializer(d, args.get('init')!) : null);
  switch (op) {
    case 'dense': {
      const units = num('units');
      const i = init();
      const b = bias(DENSE_DEFAULTS.bias);
      if (units === undefined || i === undefined || b === undefined) return undefined;
      return { op, units, init: i, bias: b, loc };
    }
    case 'conv2d': {
      const filters = num('filters');
      const kernel = args.has('kernel') ? readPair(d, args.get('kernel')!, 'conv2d kernel') : undefined;
      const stride = args.has('stride') ? readPair(d, args.get('stride')!, 'conv2d stride') : CONV2D_DEFAULTS.stride;
      const padding = args.has('padding') ? readChoice(d, args.get('padding')!, 'padding', ['same', 'valid'] as const) : CONV2D_DEFAULTS.padding;
      const i = init();
      const b = bias(CONV2D_DEFAULTS.bias);
      if (filters === undefined || kernel === undefined || stride === undefined || padding === undefined || i === undefined || b === undefined) return undefined;
      return { op, filters, kernel, stride: [stride[0], stride[1]], padding, init: i, bias: b, loc };
    }
    case 'maxpool':
    case 'avgpool': {
      const size = args.has('size') ? readPair(d, args.get('size')!, `${op} size`) : undefined;
      const stride = args.has('stride') ? readPair(d, args.get('stride')!, `${op} stride`) : size;
      if (size === undefined || stride === undefined) return undefined;
      return { op, size, stride, loc };
    }
    case 'dropout': {
      const rate = num('rate', 'dropout rate');
      return rate === undefined ? undefined : { op, rate, loc };
    }
    case 'batchnorm': {
      const bn = readBatchNormArgs(d, args);
      return bn === undefined ? undefined : { op, ...bn, loc };
    }
    case 'leaky_relu': {
      const alpha = args.has('alpha') ? num('alpha') : LEAKY_RELU_DEFAULTS.alpha;
      return alpha === undefined ? undefined : { op, alpha, loc };
    }
    case 'elu': {
      const alpha = args.has('alpha') ? num('alpha') : ELU_DEFAULTS.alpha;
      return alpha === undefined ? undefined : { op, alpha, loc };
    }
    case 'flatten':
    case 'relu':
    case 'sigmoid':
    case 'tanh':
    case 'softmax':
      return { op, loc };
  }
}

/** Names layers `${op}_${k}`, k counted per op from 1 in model order. */
export function nameLayers(layers: readonly UnnamedLayer[]): Layer[] {
  const counts = new Map<string, number>();
  return layers.map((layer) => {
    const k = (counts.get(layer.op) ?? 0) + 1;
    counts.set(layer.op, k);
    const { loc, ...rest } = layer;
    return (loc === undefined ? { name: `${layer.op}_${k}`, ...rest } : { name: `${layer.op}_${k}`, ...rest, loc }) as Layer;
  });
}

export interface LoweredModel {
  model: ModelIR;
  /** The layers before naming, for `with batchnorm(...)`. */
  layers: UnnamedLayer[];
}

export function lowerModel(d: Diagnostics, decl: Declaration): LoweredModel | undefined {
  const before = d.list.length;
  let input: number[] | undefined;
  let inputSeen = false;
  let inputRange: SourceRange | undefined;
  const layers: UnnamedLayer[] = [];
  let tooMany = false;

  const walk = (statements: readonly Statement[], times: number, topLevel: boolean, quietCopy: boolean) => {
    for (let t = 0; t < times && !tooMany; t++) {
      // Diagnostics come from the first copy only: a repeated body repeats the same mistakes.
      const quiet = quietCopy || t > 0;
      statements.forEach((statement, index) => {
        if (tooMany) return;
        const isInput = statement.kind === 'layer' && callArgs(statement.value)?.callee === 'input';
        if (isInput) {
          if (quiet) return;
          if (!topLevel || inputSeen || index !== 0 || layers.length > 0) {
            d.error('E0112', inputSeen ? `model '${decl.name}' has a second input(...)` : 'input(...) must be the first line of a model', statement.range);
            return;
          }
          inputSeen = true;
          inputRange = statement.range;
          const args = callArgs(statement.value)!.args;
          if (args.length === 0 || args.some((a) => a.name !== undefined)) {
            d.error('E0112', 'input(...) takes the sample shape as 1 to 3 positional numbers, such as input(784) or input(1, 28, 28)', statement.range);
            return;
          }
          const dims = args.map((a) => readNumber(d, a.value, 'an input dimension'));
          if (dims.every((n): n is number => n !== undefined)) input = dims;
          return;
        }
        switch (statement.kind) {
          case 'layer': {
            const layer = lowerLayer(quiet ? new Diagnostics() : d, statement.value, statement.range);
            if (layer !== undefined) layers.push(layer);
            if (layers.length > MAX_EXPANSION) {
              tooMany = true;
              d.error('E0115', `model '${decl.name}' has more than ${MAX_EXPANSION} layers after unrolling repeat`, statement.range);
            }
            return;
          }
          case 'repeat': {
            const count = readNumber(quiet ? new Diagnostics() : d, statement.count, 'a repeat count');
            if (count === undefined) return;
            if (!Number.isSafeInteger(count) || count < 1) {
              if (!quiet) d.error('E0107', `a repeat count must be a whole number of at least 1; it is ${count}`, statement.count.range);
              return;
            }
            if (count > MAX_EXPANSION) {
              if (!quiet) d.error('E0115', `a repeat count must be at most ${MAX_EXPANSION}; it is ${count}`, statement.count.range);
              return;
            }
            walk(statement.body, count, false, quiet);
            return;
          }
          default:
            if (!quiet) d.error('E0111', `a model holds layers, one per line; '${statement.kind === 'variant' ? 'variant' : statement.kind === 'sweep' ? 'sweep' : `${statement.key}:`}' belongs elsewhere`, statement.range);
        }
      });
    }
  };
  walk(decl.body, 1, true, false);
  if (!inputSeen) d.error('E0112', `model '${decl.name}' needs input(...) as its first line, such as input(784)`, decl.nameRange);
  if (d.list.length > before || input === undefined) return undefined;
  return {
    model: { name: decl.name, input, layers: nameLayers(layers), loc: { range: decl.range, fields: inputRange ? { name: decl.nameRange, input: inputRange } : { name: decl.nameRange } } },
    layers,
  };
}
