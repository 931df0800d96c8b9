// An `experiment NAME { ... }` block → ExperimentIR: references to data and train by name (the IR validator
// resolves those), variants with their models resolved and `with batchnorm(...)` applied, seeds, sweeps,
// probes and a target.
import {
  CLAIM_IDS,
  DEFAULT_SEEDS,
  SETTING_KEYS,
  isClaimId,
  type ClaimId,
  TRANSFORM_DEFAULTS,
  type ModelIR,
  type ModelInstance,
  type NormTransform,
  type ExperimentIR,
  type Probe,
  type SourceRange,
  type SweepIR,
  type SweepSetting,
  type SweepValue,
  type Target,
  type TargetMetric,
  type VariantIR,
} from '@bnx/ir';
import type { Declaration, Expr, Statement } from './ast.js';
import { bindArgs, callArgs, fieldRanges, type BoundArgs } from './args.js';
import { applyNormalization } from './norm-transform.js';
import { collectEntries } from './entries.js';
import { lowerModel, nameLayers, opCallSpec, readOpArgs, type LoweredModel } from './model.js';
import { dslWarning } from './codes.js';
import { didYouMean } from './suggest.js';
import { readInitializer } from './initializer.js';
import { readOptimizer, readSchedule } from './train.js';
import {
  describeExpr,
  exprSource,
  listItems,
  MAX_EXPANSION,
  readBoolean,
  readChoice,
  readNumber,
  readNumberList,
  readNumbersOrRange,
  type Diagnostics,
} from './values.js';

const KEYS = ['data', 'train', 'seeds', 'probe', 'target', 'claims'] as const;
const PROBES = ['activations', 'grad_norm', 'weight_norm', 'bn_stats'] as const;
const METRICS: readonly TargetMetric[] = ['val_accuracy', 'val_loss', 'train_accuracy', 'train_loss'];
/** Ioffe & Szegedy's figure 1 shows these percentiles. */
const DEFAULT_PERCENTILES = [15, 50, 85];

function readReference(d: Diagnostics, expr: Expr, what: string): string | undefined {
  if (expr.kind === 'name') return expr.name;
  return d.error('E0107', `${what} must name a declaration; it is ${describeExpr(expr)}`, expr.range);
}

const TRANSFORM_ARGS = ['placement', 'input', 'keep_bias'];
/** The ops a `with` transform can insert. */
const TRANSFORM_OPS = ['batchnorm', 'layernorm', 'groupnorm'] as const satisfies readonly NormTransform['op'][];
/** The suffix of a derived model's name: `mlp+bn`, `mlp+ln`, `mlp+gn`. */
const TWIN_SUFFIX: Record<NormTransform['op'], string> = { batchnorm: 'bn', layernorm: 'ln', groupnorm: 'gn' };

/** The transform, and its arguments for NodeLocation.fields. */
function readTransform(d: Diagnostics, expr: Expr): { transform?: NormTransform; args: BoundArgs } {
  const call = callArgs(expr);
  const op = TRANSFORM_OPS.find((name) => name === call?.callee);
  if (call === undefined || op === undefined) {
    const found = call === undefined ? describeExpr(expr) : `'${call.callee}'`;
    d.error(
      'E0114',
      `a model transform is 'with batchnorm(...)', 'with layernorm(...)' or 'with groupnorm(groups: G)'; found ${found}`,
      call?.calleeRange ?? expr.range,
      call === undefined ? undefined : didYouMean(call.callee, TRANSFORM_OPS),
    );
    return { args: new Map() };
  }
  const layerArgs = opCallSpec(op);
  const args = bindArgs(
    d,
    expr,
    { positional: layerArgs.positional, named: [...TRANSFORM_ARGS, ...layerArgs.named], required: layerArgs.required },
    `${op}(...)`,
  );
  const attrs = readOpArgs(d, op, args);
  const placement = args.has('placement')
    ? readChoice(d, args.get('placement')!, 'placement', ['before_activation', 'after_activation'] as const)
    : TRANSFORM_DEFAULTS.placement;
  const input = args.has('input') ? readBoolean(d, args.get('input')!, `${op} input`) : TRANSFORM_DEFAULTS.input;
  const keepBias = args.has('keep_bias') ? readBoolean(d, args.get('keep_bias')!, `${op} keep_bias`) : TRANSFORM_DEFAULTS.keepBias;
  if (attrs === undefined || placement === undefined || input === undefined || keepBias === undefined) return { args };
  return { transform: { op, placement, input, keepBias, ...attrs } as NormTransform, args };
}

/** A lowered variant with what a sweep over model parameters needs to build its model again. */
interface LoweredVariant {
  variant: VariantIR;
  model: LoweredModel;
  /** The parameter values the variant uses: the model's defaults and the variant's own arguments. */
  values: Record<string, number>;
  /** The parameters the variant sets itself: `mlp(depth: 8)`. */
  own: Map<string, SourceRange>;
  transform?: { value: NormTransform; range: SourceRange };
}

/** `mlp(depth: 8)`: the model's parameter values with the variant's arguments applied, or undefined after a diagnostic. */
function readModelArguments(
  d: Diagnostics,
  call: Extract<Expr, { kind: 'call' }>,
  model: LoweredModel,
): { values: Record<string, number>; own: Map<string, SourceRange> } | undefined {
  const declared = Object.keys(model.params);
  const values = { ...model.params };
  const own = new Map<string, SourceRange>();
  let ok = true;
  for (const arg of call.args) {
    const where = arg.nameRange ?? arg.range;
    if (declared.length === 0) {
      d.error('E0117', `model '${call.callee}' takes no parameters`, where);
      return undefined;
    }
    if (arg.name === undefined || !declared.includes(arg.name)) {
      const name = arg.name === undefined ? 'a positional argument' : `'${arg.name}'`;
      d.error(
        'E0117',
        `model '${call.callee}' has no parameter ${name}; its parameters are ${declared.join(', ')}`,
        where,
        arg.name === undefined ? undefined : didYouMean(arg.name, declared),
      );
      ok = false;
      continue;
    }
    if (own.has(arg.name)) {
      d.error('E0105', `parameter '${arg.name}' is given twice`, where);
      ok = false;
      continue;
    }
    const value = readNumber(d, arg.value, `model parameter '${arg.name}'`);
    if (value === undefined) ok = false;
    else values[arg.name] = value;
    own.set(arg.name, arg.value.range);
  }
  return ok ? { values, own } : undefined;
}

/** The variant's model: the declared one built with `values`, then the transform applied. */
function variantModel(
  d: Diagnostics,
  base: LoweredModel,
  values: Record<string, number>,
  origin: string,
  transform: LoweredVariant['transform'],
): ModelIR | undefined {
  const differs = Object.entries(values).some(([key, value]) => base.params[key] !== value);
  const built = differs ? lowerModel(d, base.decl, { values, origin }, base.params) : base;
  if (built === undefined) return undefined;
  if (transform === undefined) return built.model;
  const layers = nameLayers(applyNormalization(built.layers, transform.value, { range: transform.range }));
  return { ...built.model, name: `${built.model.name}+${TWIN_SUFFIX[transform.value.op]}`, layers };
}

function lowerVariant(
  d: Diagnostics,
  statement: Extract<Statement, { kind: 'variant' }>,
  models: ReadonlyMap<string, LoweredModel | undefined>,
): LoweredVariant | undefined {
  const value = statement.value;
  const baseExpr = value.kind === 'with' ? value.base : value;
  const base = baseExpr.kind === 'call' ? baseExpr.callee : readReference(d, baseExpr, `variant '${statement.name}'`);
  const baseRange = baseExpr.kind === 'call' ? baseExpr.calleeRange : baseExpr.range;
  const read = value.kind === 'with' ? readTransform(d, value.transform) : undefined;
  if (base === undefined) return undefined;
  const found = models.get(base);
  if (found === undefined) {
    // Unknown names and models that failed to lower are told apart: only the first is this line's fault.
    if (!models.has(base)) d.error('E0102', `no model named '${base}'`, baseRange, didYouMean(base, models.keys()));
    return undefined;
  }
  const given = baseExpr.kind === 'call' ? readModelArguments(d, baseExpr, found) : { values: { ...found.params }, own: new Map<string, SourceRange>() };
  if (given === undefined) return undefined;
  const fields: Record<string, SourceRange> = { name: statement.nameRange, base: baseRange, model: baseExpr.range };
  if (value.kind === 'with') {
    if (read?.transform === undefined) return undefined;
    Object.assign(fields, { transform: value.transform.range }, fieldRanges(read.args));
  }
  const transform = value.kind === 'with' && read?.transform !== undefined ? { value: read.transform, range: value.transform.range } : undefined;
  const model = variantModel(d, found, given.values, `variant '${statement.name}'`, transform);
  if (model === undefined) return undefined;
  const variant: VariantIR = { name: statement.name, base, model, loc: { range: statement.range, fields } };
  if (transform !== undefined) variant.transform = transform.value;
  if (Object.keys(found.params).length > 0) variant.modelParams = given.values;
  const lowered: LoweredVariant = { variant, model: found, values: given.values, own: given.own };
  if (transform !== undefined) lowered.transform = transform;
  return lowered;
}

/**
 * `sweep depth: [2, 6, 10]` over a parameter of the variants' model: each variant gets its model built at
 * every combination of the swept parameters' values. Keys that are settings stay settings (a model parameter
 * may not take a setting's name); a variant whose model lacks the parameter is the IR validator's to report.
 */
function instantiateSweeps(d: Diagnostics, lowered: LoweredVariant[], sweeps: SweepIR[]): void {
  const modelSweeps = sweeps.filter((sweep) => !SETTING_KEYS.includes(sweep.key) && lowered.some((v) => Object.hasOwn(v.model.params, sweep.key)));
  if (modelSweeps.length === 0) return;
  for (const v of lowered) {
    if (!modelSweeps.every((sweep) => Object.hasOwn(v.model.params, sweep.key))) continue;
    const fixed = modelSweeps.find((sweep) => v.own.has(sweep.key));
    if (fixed !== undefined) {
      d.error('E0117', `variant '${v.variant.name}' sets ${fixed.key}, which the experiment sweeps; set it in one place`, v.own.get(fixed.key)!);
      continue;
    }
    let points: Record<string, number>[] = [{}];
    for (const sweep of modelSweeps) {
      // A value that is not a number is the IR validator's to report (E1207).
      const numbers = sweep.values.filter((value): value is number => typeof value === 'number');
      points = points.flatMap((point) => numbers.map((value) => ({ ...point, [sweep.key]: value })));
    }
    const instances: ModelInstance[] = [];
    for (const params of points) {
      const origin = `sweep ${Object.entries(params)
        .map(([key, value]) => `${key} = ${value}`)
        .join(', ')}`;
      const model = variantModel(d, v.model, { ...v.values, ...params }, origin, v.transform);
      if (model !== undefined) instances.push({ params, model });
    }
    v.variant.instances = instances;
  }
}

function readSweepValue(d: Diagnostics, expr: Expr, key: string): SweepValue | undefined {
  if (expr.kind === 'string') return expr.value;
  if (expr.kind === 'name') return expr.name === 'true' ? true : expr.name === 'false' ? false : expr.name;
  return readNumber(d, expr, `a value of sweep '${key}'`);
}

function lowerSweep(d: Diagnostics, statement: Extract<Statement, { kind: 'sweep' }>): SweepIR | undefined {
  const loc = { range: statement.range, fields: { key: statement.keyRange, values: statement.value.range } };
  if (statement.value.kind === 'range') {
    const values = readNumbersOrRange(d, statement.value, `sweep '${statement.key}'`);
    return values === undefined ? undefined : { key: statement.key, values, loc };
  }
  const items = listItems(statement.value);
  if (items.length > MAX_EXPANSION)
    return d.error('E0115', `sweep '${statement.key}' has ${items.length} values; at most ${MAX_EXPANSION} are allowed`, statement.value.range);
  const fields: Record<string, SourceRange> = { ...loc.fields };
  items.forEach((item, i) => (fields[`values.${i}`] = item.range));
  const located = { range: statement.range, fields };
  if (sweepsCalls(statement.key, items)) {
    const settings = items.map((item) => readSweepSetting(d, item, statement.key));
    if (!settings.every((s): s is SweepSetting => s !== undefined)) return undefined;
    return { key: statement.key, values: items.map(exprSource), settings, loc: located };
  }
  const values = items.map((item) => readSweepValue(d, item, statement.key));
  if (!values.every((v): v is SweepValue => v !== undefined)) return undefined;
  return { key: statement.key, values, loc: located };
}

/**
 * Whether a sweep's values are whole settings written as calls: always for `optimizer`, and for `schedule`
 * and `init` once any value is a call (`step(every: 5)`, `normal(std: 0.01)`); then its names are calls too.
 */
function sweepsCalls(key: string, items: Expr[]): boolean {
  if (key === 'optimizer') return true;
  return (key === 'schedule' || key === 'init') && items.some((item) => item.kind === 'call');
}

function readSweepSetting(d: Diagnostics, expr: Expr, key: string): SweepSetting | undefined {
  if (key === 'optimizer') return readOptimizer(d, expr, {});
  if (key === 'schedule') return readSchedule(d, expr);
  return readInitializer(d, expr);
}

function readProbe(d: Diagnostics, expr: Expr): Probe | undefined {
  const call = callArgs(expr);
  if (call === undefined) return d.error('E0107', `a probe must be one of ${PROBES.join(', ')}; it is ${describeExpr(expr)}`, expr.range);
  switch (call.callee) {
    case 'grad_norm':
    case 'weight_norm':
    case 'bn_stats': {
      const args = bindArgs(d, expr, { positional: [], named: [] }, call.callee);
      return { kind: call.callee, loc: { range: expr.range, fields: fieldRanges(args) } };
    }
    case 'activations': {
      const args = bindArgs(d, expr, { positional: [], named: ['layer', 'point', 'percentiles', 'every', 'unit'] }, 'activations(...)');
      const layerExpr = args.get('layer');
      let layer: string | undefined = 'last_hidden';
      if (layerExpr !== undefined) {
        if (layerExpr.kind === 'name') layer = layerExpr.name;
        else if (layerExpr.kind === 'string') layer = layerExpr.value;
        else layer = d.error('E0107', `activations layer must name a layer, such as dense_2 or last_hidden; it is ${describeExpr(layerExpr)}`, layerExpr.range);
      }
      const point = args.has('point') ? readChoice(d, args.get('point')!, 'probe point', ['pre_activation', 'post_activation'] as const) : 'pre_activation';
      const percentiles = args.has('percentiles') ? readNumberList(d, args.get('percentiles')!, 'a percentile') : DEFAULT_PERCENTILES;
      const every = args.has('every') ? readNumber(d, args.get('every')!, 'probe every') : undefined;
      const unit = args.has('unit') ? readNumber(d, args.get('unit')!, 'probe unit') : undefined;
      if (
        layer === undefined ||
        point === undefined ||
        percentiles === undefined ||
        (args.has('every') && every === undefined) ||
        (args.has('unit') && unit === undefined)
      )
        return undefined;
      const probe: Probe = { kind: 'activations', layer, point, percentiles, loc: { range: expr.range, fields: fieldRanges(args) } };
      if (every !== undefined) probe.every = every;
      if (unit !== undefined) probe.unit = unit;
      return probe;
    }
    default:
      return d.error('E0114', `unknown probe '${call.callee}'; the probes are ${PROBES.join(', ')}`, call.calleeRange, didYouMean(call.callee, PROBES));
  }
}

function readTarget(d: Diagnostics, expr: Expr): Target | undefined {
  if (expr.kind !== 'compare') return d.error('E0107', `target must be a condition such as val_accuracy >= 0.97; it is ${describeExpr(expr)}`, expr.range);
  const metric = readChoice(d, expr.left, 'target metric', METRICS);
  const value = readNumber(d, expr.right, 'the target value');
  if (metric === undefined || value === undefined) return undefined;
  return { metric, op: expr.op, value, loc: { range: expr.range, fields: { metric: expr.left.range, op: expr.range, value: expr.right.range } } };
}

/** `claims: [faster_convergence, regularization]`: names from the claim catalogue, each with its own range. */
function readClaims(d: Diagnostics, expr: Expr): { claims: ClaimId[]; ranges: Record<string, SourceRange> } | undefined {
  if (expr.kind !== 'list' && expr.kind !== 'name')
    return d.error('E0107', `claims must be a list of claim names, such as [faster_convergence, regularization]; it is ${describeExpr(expr)}`, expr.range);
  const claims: ClaimId[] = [];
  const ranges: Record<string, SourceRange> = {};
  let bad = false;
  for (const item of listItems(expr)) {
    if (item.kind !== 'name') {
      d.error('E0107', `a claim must be a claim name such as faster_convergence; it is ${describeExpr(item)}`, item.range);
      bad = true;
    } else if (!isClaimId(item.name)) {
      d.error('E0114', `unknown claim '${item.name}'; the claims are ${CLAIM_IDS.join(', ')}`, item.range, didYouMean(item.name, CLAIM_IDS));
      bad = true;
    } else {
      ranges[`claims.${claims.length}`] = item.range;
      claims.push(item.name);
    }
  }
  return bad ? undefined : { claims, ranges };
}

export function lowerExperiment(d: Diagnostics, decl: Declaration, models: ReadonlyMap<string, LoweredModel | undefined>): ExperimentIR | undefined {
  const before = d.list.length;
  const entries = collectEntries(d, decl, KEYS, ['variant', 'sweep'], {}, ['probe']);
  const data = entries.get('data');
  const train = entries.get('train');
  const dataName = data === undefined ? undefined : readReference(d, data.value, 'data');
  const trainName = train === undefined ? undefined : readReference(d, train.value, 'train');
  if (data === undefined) d.error('E0106', `experiment '${decl.name}' needs a 'data:' entry naming a dataset`, decl.nameRange);
  if (train === undefined) d.error('E0106', `experiment '${decl.name}' needs a 'train:' entry naming a train recipe`, decl.nameRange);
  const lowered: LoweredVariant[] = [];
  const sweeps: SweepIR[] = [];
  for (const statement of entries.others) {
    if (statement.kind === 'variant') {
      const variant = lowerVariant(d, statement, models);
      if (variant !== undefined) lowered.push(variant);
    } else if (statement.kind === 'sweep') {
      const sweep = lowerSweep(d, statement);
      if (sweep !== undefined) sweeps.push(sweep);
    }
  }
  instantiateSweeps(d, lowered, sweeps);
  const variants = lowered.map((v) => v.variant);
  const seedsEntry = entries.get('seeds');
  const seeds = seedsEntry === undefined ? DEFAULT_SEEDS : readNumbersOrRange(d, seedsEntry.value, 'seeds');
  if (seedsEntry !== undefined && seeds?.length === 1 && seeds[0]! >= 2 && seedsEntry.value.kind !== 'list' && seedsEntry.value.kind !== 'range') {
    // `seeds: 5` reads like "five seeds"; it is the single seed 5.
    const n = seeds[0]!;
    d.list.push(
      dslWarning(
        'W0122',
        `seeds: ${n} is the one seed ${n}, not ${n} seeds`,
        seedsEntry.value.range,
        `for ${n} seeds write seeds: 1..${n}; for the seed ${n} alone, seeds: [${n}]`,
      ),
    );
  }
  const probes: Probe[] = [];
  const probeEntry = entries.get('probe');
  if (probeEntry !== undefined) {
    for (const item of listItems(probeEntry.value)) {
      const probe = readProbe(d, item);
      if (probe !== undefined) probes.push(probe);
    }
  }
  const targetEntry = entries.get('target');
  const target = targetEntry === undefined ? undefined : readTarget(d, targetEntry.value);
  const claimsEntry = entries.get('claims');
  const claims = claimsEntry === undefined ? undefined : readClaims(d, claimsEntry.value);
  if (d.list.slice(before).some((x) => x.severity === 'error') || dataName === undefined || trainName === undefined || seeds === undefined) return undefined;
  const experiment: ExperimentIR = {
    name: decl.name,
    data: dataName,
    train: trainName,
    variants,
    seeds: [...seeds],
    sweeps,
    probes,
    loc: { range: decl.range, fields: { ...entries.fields, ...claims?.ranges, name: decl.nameRange } },
  };
  if (target !== undefined) experiment.target = target;
  if (claims !== undefined) experiment.claims = claims.claims;
  return experiment;
}
