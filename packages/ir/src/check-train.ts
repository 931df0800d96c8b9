// Checks one training recipe on its own: optimizer arguments, batch, epochs/steps, schedule, initializer.
import { diagnostic } from './codes.js';
import { fieldRange, formatValue } from './format.js';
import { initializerProblem } from './initializers.js';
import { rangeProblem } from './ranges.js';
import type { OptimizerKind } from './settings.js';
import { SETTINGS, settingSpec } from './settings.js';
import type { Diagnostic, SourceRange, TrainIR } from './types.js';

const OPTIMIZERS: readonly OptimizerKind[] = ['sgd', 'adam', 'rmsprop'];

/** The range of a recipe value: its own field (`batch`, `lr` or `optimizer.lr`), else the optimizer, else the recipe. */
export function trainFieldRange(train: TrainIR, key: string): SourceRange | undefined {
  const field = settingSpec(key)?.field ?? key;
  const names = [key, field, `optimizer.${key}`, `optimizer.${field}`];
  if (settingSpec(key)?.target === 'optimizer') names.push('optimizer');
  return fieldRange(train.loc, ...names);
}

export function checkTrain(train: TrainIR): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (train === null || typeof train !== 'object') return out;
  const check = (key: string, value: unknown) => {
    const problem = settingSpec(key)?.check(value);
    if (problem) out.push(diagnostic('E1202', `${key} ${problem}`, trainFieldRange(train, key)));
  };

  const optimizer = train.optimizer as unknown as Record<string, unknown> | undefined;
  const kind = optimizer?.kind;
  if (typeof kind !== 'string' || !(OPTIMIZERS as readonly string[]).includes(kind)) {
    out.push(diagnostic('E1202', `unknown optimizer '${formatValue(kind)}'; the optimizers are ${OPTIMIZERS.join(', ')}`, fieldRange(train.loc, 'optimizer')));
  } else {
    for (const setting of SETTINGS) {
      if (setting.optimizers?.includes(kind as OptimizerKind)) check(setting.key, optimizer?.[setting.field]);
    }
  }

  check('batch', train.batch);
  check('loss', train.loss);
  check('init_scale', train.initScale);
  if (train.evalEvery !== undefined) check('eval_every', train.evalEvery);
  if (train.epochs !== undefined) check('epochs', train.epochs);
  if (train.steps !== undefined) check('steps', train.steps);
  if (train.epochs !== undefined && train.steps !== undefined) {
    const epochs = trainFieldRange(train, 'epochs');
    const steps = trainFieldRange(train, 'steps');
    // Point at whichever of the two comes second: the first one was fine until the second was written.
    const later = (steps?.start.offset ?? 0) >= (epochs?.start.offset ?? 0) ? steps : epochs;
    out.push(diagnostic('E1205', `give either epochs or steps, not both; '${train.name}' has epochs: ${train.epochs} and steps: ${train.steps}`, later));
  } else if (train.epochs === undefined && train.steps === undefined) {
    out.push(diagnostic('E1206', `'${formatValue(train.name)}' needs epochs or steps, to say how long to train`, train.loc?.range));
  }

  const schedule = train.schedule as { kind?: unknown; every?: unknown; gamma?: unknown } | undefined;
  const scheduleRange = fieldRange(train.loc, 'schedule');
  if (schedule?.kind === 'step') {
    const every = rangeProblem(schedule.every, { integer: true, min: 1 });
    if (every) out.push(diagnostic('E1202', `step schedule every ${every}`, scheduleRange));
    const gamma = rangeProblem(schedule.gamma, { min: 0, minExclusive: true });
    if (gamma) out.push(diagnostic('E1202', `step schedule gamma ${gamma}`, scheduleRange));
  } else if (schedule?.kind !== 'constant' && schedule?.kind !== 'cosine') {
    out.push(diagnostic('E1202', `schedule must be one of constant, step(every:, gamma:), cosine; it is ${formatValue(schedule?.kind)}`, scheduleRange));
  }

  if (train.init !== undefined) {
    const problem = initializerProblem(train.init);
    if (problem) out.push(diagnostic('E1204', `init: ${problem.message}`, fieldRange(train.loc, 'init'), { hint: problem.hint }));
  }
  return out;
}
