// A `train NAME { ... }` block → TrainIR, optimizer and schedule defaults filled in.
import { OPTIMIZER_DEFAULTS, TRAIN_DEFAULTS, type Optimizer, type Schedule, type SourceRange, type TrainIR } from '@bnx/ir';
import type { Declaration, Expr } from './ast.js';
import { bindArgs, callArgs } from './args.js';
import { collectEntries, requireEntry } from './entries.js';
import { readInitializer } from './initializer.js';
import { didYouMean } from './suggest.js';
import { describeExpr, readBoolean, readChoice, readNumber, type Diagnostics } from './values.js';

const KEYS = ['optimizer', 'loss', 'epochs', 'steps', 'batch', 'schedule', 'eval_every', 'init', 'init_scale'] as const;
const IR_NAMES = { eval_every: 'evalEvery', init_scale: 'initScale' };
const OPTIMIZERS = ['sgd', 'adam', 'rmsprop'] as const;
const SCHEDULES = ['constant', 'step', 'cosine'] as const;

/** Optimizer argument names as written, and their IR spelling. */
const OPTIMIZER_ARGS: Record<(typeof OPTIMIZERS)[number], Record<string, string>> = {
  sgd: { lr: 'lr', momentum: 'momentum', nesterov: 'nesterov', weight_decay: 'weightDecay' },
  adam: { lr: 'lr', beta1: 'beta1', beta2: 'beta2', epsilon: 'epsilon', weight_decay: 'weightDecay' },
  rmsprop: { lr: 'lr', rho: 'rho', momentum: 'momentum', epsilon: 'epsilon' },
};

export function readOptimizer(d: Diagnostics, expr: Expr, fields: Record<string, SourceRange>): Optimizer | undefined {
  const call = callArgs(expr);
  if (call === undefined)
    return d.error('E0107', `optimizer must be one of ${OPTIMIZERS.join(', ')}, such as sgd(lr: 0.1); it is ${describeExpr(expr)}`, expr.range);
  const kind = call.callee as (typeof OPTIMIZERS)[number];
  if (!(OPTIMIZERS as readonly string[]).includes(kind)) {
    return d.error(
      'E0114',
      `unknown optimizer '${call.callee}'; the optimizers are ${OPTIMIZERS.join(', ')}`,
      call.calleeRange,
      didYouMean(call.callee, OPTIMIZERS),
    );
  }
  const names = OPTIMIZER_ARGS[kind];
  const args = bindArgs(d, expr, { positional: ['lr'], named: Object.keys(names), required: kind === 'sgd' ? ['lr'] : [] }, `${kind}(...)`);
  const values: Record<string, number | boolean> = { ...OPTIMIZER_DEFAULTS[kind] };
  let ok = true;
  for (const [name, value] of args) {
    const irName = names[name]!;
    fields[name] = value.range;
    fields[irName] = value.range;
    fields[`optimizer.${name}`] = value.range;
    const read = name === 'nesterov' ? readBoolean(d, value, `${kind} ${name}`) : readNumber(d, value, `${kind} ${name}`);
    if (read === undefined) ok = false;
    else values[irName] = read;
  }
  if (!ok || values.lr === undefined) return undefined;
  return { kind, ...values } as Optimizer;
}

export function readSchedule(d: Diagnostics, expr: Expr): Schedule | undefined {
  const call = callArgs(expr);
  if (call === undefined) return d.error('E0107', `schedule must be one of ${SCHEDULES.join(', ')}; it is ${describeExpr(expr)}`, expr.range);
  switch (call.callee) {
    case 'constant':
    case 'cosine':
      bindArgs(d, expr, { positional: [], named: [] }, call.callee);
      return { kind: call.callee };
    case 'step': {
      const args = bindArgs(d, expr, { positional: [], named: ['every', 'gamma'], required: ['every'] }, 'step(...)');
      const every = args.has('every') ? readNumber(d, args.get('every')!, 'step every') : undefined;
      // PyTorch StepLR's default.
      const gamma = args.has('gamma') ? readNumber(d, args.get('gamma')!, 'step gamma') : 0.1;
      return every === undefined || gamma === undefined ? undefined : { kind: 'step', every, gamma };
    }
    default:
      return d.error(
        'E0114',
        `unknown schedule '${call.callee}'; the schedules are ${SCHEDULES.join(', ')}`,
        call.calleeRange,
        didYouMean(call.callee, SCHEDULES),
      );
  }
}

export function lowerTrain(d: Diagnostics, decl: Declaration): TrainIR | undefined {
  const before = d.list.length;
  const entries = collectEntries(d, decl, KEYS, [], IR_NAMES);
  const fields = { ...entries.fields, name: decl.nameRange };
  const optimizerEntry = requireEntry(d, decl, entries, 'optimizer', 'optimizer: sgd(lr: 0.1)');
  const batchEntry = requireEntry(d, decl, entries, 'batch', 'batch: 64');
  const optimizer = optimizerEntry === undefined ? undefined : readOptimizer(d, optimizerEntry.value, fields);
  const batch = batchEntry === undefined ? undefined : readNumber(d, batchEntry.value, 'batch');
  const lossEntry = entries.get('loss');
  // cross_entropy is what a classifier wants; mse must be asked for.
  const loss = lossEntry === undefined ? 'cross_entropy' : readChoice(d, lossEntry.value, 'loss', ['cross_entropy', 'mse'] as const);
  const scheduleEntry = entries.get('schedule');
  const schedule = scheduleEntry === undefined ? TRAIN_DEFAULTS.schedule : readSchedule(d, scheduleEntry.value);
  const initScaleEntry = entries.get('init_scale');
  const initScale = initScaleEntry === undefined ? TRAIN_DEFAULTS.initScale : readNumber(d, initScaleEntry.value, 'init_scale');
  if (optimizer === undefined || batch === undefined || loss === undefined || schedule === undefined || initScale === undefined) return undefined;
  const train: TrainIR = { name: decl.name, optimizer, loss, batch, schedule, initScale, loc: { range: decl.range, fields } };
  const optionalNumber = (key: 'epochs' | 'steps' | 'eval_every') => {
    const entry = entries.get(key);
    return entry === undefined ? undefined : readNumber(d, entry.value, key);
  };
  const epochs = optionalNumber('epochs');
  const steps = optionalNumber('steps');
  const evalEvery = optionalNumber('eval_every');
  if (epochs !== undefined) train.epochs = epochs;
  if (steps !== undefined) train.steps = steps;
  if (evalEvery !== undefined) train.evalEvery = evalEvery;
  const initEntry = entries.get('init');
  if (initEntry !== undefined) {
    const init = readInitializer(d, initEntry.value);
    if (init !== undefined) train.init = init;
  }
  return d.list.length > before ? undefined : train;
}
