// A `model NAME { ... }` block → ModelIR: input(...), layers with their defaults, repeat unrolled, names
// `${op}_${k}` counted per op in model order.
import { LAYER_OPS, SETTING_KEYS, opSpec, type AttrSpec, type Layer, type LayerOp, type ModelIR, type NodeLocation, type SourceRange } from '@bnx/ir';
import type { Declaration, Expr, Statement } from './ast.js';
import { bindArgs, callArgs, fieldRanges, type BoundArgs, type CallSpec } from './args.js';
import { readInitializer } from './initializer.js';
import { didYouMean } from './suggest.js';
import { Diagnostics, MAX_EXPANSION, readBoolean, readChoice, readNumber, readPair } from './values.js';

/** A layer before naming: the batchnorm transform inserts layers, then everything is named in order. */
export type UnnamedLayer = Layer extends infer L ? (L extends Layer ? Omit<L, 'name'> : never) : never;

/** How an op's arguments are written, from the op catalogue: positional ones in order, the rest by name. */
export function opCallSpec(op: LayerOp): CallSpec {
  const attrs = opSpec(op)!.attrs;
  return {
    positional: attrs
      .filter((a) => a.positional !== undefined)
      .sort((a, b) => a.positional! - b.positional!)
      .map((a) => a.dsl),
    named: attrs.map((a) => a.dsl),
    required: attrs.filter((a) => a.default === undefined && a.defaultFrom === undefined).map((a) => a.dsl),
  };
}

function readAttr(d: Diagnostics, op: string, attr: AttrSpec, expr: Expr): unknown {
  const what = `${op} ${attr.dsl}`;
  switch (attr.type) {
    case 'int':
    case 'number':
      return readNumber(d, expr, what);
    case 'bool':
      return readBoolean(d, expr, what);
    case 'enum':
      return readChoice(d, expr, attr.dsl, attr.values ?? []);
    case 'int_pair':
      return readPair(d, expr, what);
    case 'initializer':
      return readInitializer(d, expr);
  }
}

/**
 * An op's attributes by IR field name, from bound arguments and the catalogue's defaults (range checks are
 * the IR validator's). Undefined when an argument could not be read; its diagnostic is in `d`.
 */
export function readOpArgs(d: Diagnostics, op: LayerOp, args: BoundArgs): Record<string, unknown> | undefined {
  const attrs = opSpec(op)!.attrs;
  const values: Record<string, unknown> = {};
  let ok = true;
  for (const attr of attrs) {
    const expr = args.get(attr.dsl);
    if (expr === undefined) continue;
    const value = readAttr(d, op, attr, expr);
    if (value === undefined) ok = false;
    else values[attr.name] = value;
  }
  for (const attr of attrs) {
    if (attr.name in values) continue;
    if (attr.defaultFrom !== undefined && values[attr.defaultFrom] !== undefined) values[attr.name] = structuredClone(values[attr.defaultFrom]);
    else if (attr.default !== undefined) values[attr.name] = structuredClone(attr.default);
    else ok = false; // required and missing: bindArgs has reported it
  }
  return ok ? values : undefined;
}

function lowerLayer(d: Diagnostics, expr: Expr, range: SourceRange): UnnamedLayer | undefined {
  const call = callArgs(expr);
  if (call === undefined) return d.error('E0111', 'a model holds one layer per line, such as dense(128) or relu', range);
  const op = call.callee as LayerOp;
  if (opSpec(op) === undefined) {
    return d.error('E0103', `unknown layer '${call.callee}'`, call.calleeRange, didYouMean(call.callee, [...LAYER_OPS, 'input']));
  }
  const args = bindArgs(d, expr, opCallSpec(op), op);
  const loc: NodeLocation = { range, fields: fieldRanges(args) };
  const values = readOpArgs(d, op, args);
  return values === undefined ? undefined : ({ op, ...values, loc } as UnnamedLayer);
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
  /** The parameters the model declares, with the values this lowering used (the defaults, unless instantiated). */
  params: Record<string, number>;
  /** The declaration, to build the model again with other parameter values. */
  decl: Declaration;
}

/** `model mlp(depth: 2, width: 128)`: the declared parameters with their defaults, or undefined after a diagnostic. */
function readModelParams(d: Diagnostics, decl: Declaration): Record<string, number> | undefined {
  const params: Record<string, number> = {};
  let ok = true;
  for (const arg of decl.params?.args ?? []) {
    if (arg.name === undefined) {
      d.error('E0117', `a model parameter needs a name and a default value, such as depth: 2`, arg.range);
      ok = false;
      continue;
    }
    const nameRange = arg.nameRange ?? arg.range;
    if (SETTING_KEYS.includes(arg.name)) {
      d.error('E0118', `model parameter '${arg.name}' has the name of a train entry, so 'sweep ${arg.name}' would be ambiguous; rename it`, nameRange);
      ok = false;
      continue;
    }
    if (Object.hasOwn(params, arg.name)) {
      d.error('E0105', `model parameter '${arg.name}' is declared twice`, nameRange);
      ok = false;
      continue;
    }
    const value = readNumber(d, arg.value, `the default of model parameter '${arg.name}'`);
    if (value === undefined) ok = false;
    else params[arg.name] = value;
  }
  return ok ? params : undefined;
}

/** An expression with every use of a model parameter replaced by its value (a number at the same place). */
function bindExpr(expr: Expr, values: Readonly<Record<string, number>>): Expr {
  const bind = (e: Expr) => bindExpr(e, values);
  switch (expr.kind) {
    case 'name': {
      if (!Object.hasOwn(values, expr.name)) return expr;
      const value = values[expr.name]!;
      return { kind: 'number', value, text: String(value), range: expr.range };
    }
    case 'list':
      return { ...expr, items: expr.items.map(bind) };
    case 'call':
      return { ...expr, args: expr.args.map((arg) => ({ ...arg, value: bind(arg.value) })) };
    case 'binary':
      return { ...expr, left: bind(expr.left), right: bind(expr.right) };
    case 'negate':
      return { ...expr, operand: bind(expr.operand) };
    case 'range':
      return { ...expr, from: bind(expr.from), to: bind(expr.to) };
    case 'with':
      return { ...expr, base: bind(expr.base), transform: bind(expr.transform) };
    case 'compare':
      return { ...expr, left: bind(expr.left), right: bind(expr.right) };
    default:
      return expr;
  }
}

/** A model body with its parameters bound in layer arguments and repeat counts (a bare layer name stays a layer). */
function bindStatements(statements: readonly Statement[], values: Readonly<Record<string, number>>): Statement[] {
  return statements.map((statement) => {
    if (statement.kind === 'layer') return statement.value.kind === 'name' ? statement : { ...statement, value: bindExpr(statement.value, values) };
    if (statement.kind === 'repeat') return { ...statement, count: bindExpr(statement.count, values), body: bindStatements(statement.body, values) };
    return statement;
  });
}

/** The model built with other values for its parameters: `mlp(depth: 8)` in a variant or a sweep point. */
export interface ModelArguments {
  /** A value for every declared parameter. */
  values: Record<string, number>;
  /** Where the values come from, for diagnostics: "variant 'deep'". */
  origin: string;
}

/** `depth: 8, width: 64`: the values that differ from the declared defaults. */
function describeArguments(values: Record<string, number>, defaults: Record<string, number>): string {
  return Object.entries(values)
    .filter(([key, value]) => defaults[key] !== value)
    .map(([key, value]) => `${key}: ${value}`)
    .join(', ');
}

export function lowerModel(d: Diagnostics, decl: Declaration, args?: ModelArguments, defaults?: Record<string, number>): LoweredModel | undefined {
  const before = d.list.length;
  const params = args?.values ?? readModelParams(d, decl);
  if (params === undefined) return undefined;
  const body = Object.keys(params).length === 0 ? decl.body : bindStatements(decl.body, params);
  // The values behind a repeat count that came from parameters, so a bad count names them.
  const given = args === undefined || defaults === undefined ? '' : describeArguments(params, defaults);
  const withValues = given === '' ? '' : ` (with ${given} from ${args!.origin})`;
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
              if (!quiet) d.error('E0107', `a repeat count must be a whole number of at least 1; it is ${count}${withValues}`, statement.count.range);
              return;
            }
            if (count > MAX_EXPANSION) {
              if (!quiet) d.error('E0115', `a repeat count must be at most ${MAX_EXPANSION}; it is ${count}${withValues}`, statement.count.range);
              return;
            }
            walk(statement.body, count, false, quiet);
            return;
          }
          default:
            if (!quiet)
              d.error(
                'E0111',
                `a model holds layers, one per line; '${statement.kind === 'variant' ? 'variant' : statement.kind === 'sweep' ? 'sweep' : `${statement.key}:`}' belongs elsewhere`,
                statement.range,
              );
        }
      });
    }
  };
  walk(body, 1, true, false);
  if (!inputSeen) d.error('E0112', `model '${decl.name}' needs input(...) as its first line, such as input(784)`, decl.nameRange);
  if (d.list.length > before || input === undefined) return undefined;
  return {
    params,
    decl,
    model: {
      name: given === '' ? decl.name : `${decl.name}(${given})`,
      input,
      layers: nameLayers(layers),
      loc: { range: decl.range, fields: inputRange ? { name: decl.nameRange, input: inputRange } : { name: decl.nameRange } },
    },
    layers,
  };
}
