// Checks one training recipe on its own: optimizer arguments, batch, epochs/steps, schedule, initializer.
import { diagnostic } from './codes.js';
import type { DiagnosticCode } from './codes.js';
import { fieldRange, formatValue } from './format.js';
import { initializerProblem } from './initializers.js';
import { rangeProblem } from './ranges.js';
import type { OptimizerKind } from './settings.js';
import { SETTINGS, settingSpec } from './settings.js';
import type { Diagnostic, Initializer, SourceRange, TrainIR } from './types.js';

const OPTIMIZERS: readonly OptimizerKind[] = ['sgd', 'adam', 'rmsprop'];

/** The range of a recipe value: its own field (`batch`, `lr` or `optimizer.lr`), else the optimizer, else the recipe. */
export function trainFieldRange(train: TrainIR, key: string): SourceRange | undefined {
  const field = settingSpec(key)?.field ?? key;
  const names = [key, field, `optimizer.${key}`, `optimizer.${field}`];
  if (settingSpec(key)?.target === 'optimizer') names.push('optimizer');
  return fieldRange(train.loc, ...names);
}

/** A problem with one part of a recipe; `key` names the value at fault (`lr`, `every`), or the part itself. */
export interface SettingProblem {
  code: DiagnosticCode;
  key: string;
  message: string;
  hint?: string;
}

/** What is wrong with an optimizer: an unknown kind, or arguments out of range. */
export function optimizerProblems(optimizer: unknown): SettingProblem[] {
  const args = optimizer as Record<string, unknown> | undefined;
  const kind = args?.kind;
  if (typeof kind !== 'string' || !(OPTIMIZERS as readonly string[]).includes(kind)) {
    return [{ code: 'E1202', key: 'optimizer', message: `unknown optimizer '${formatValue(kind)}'; the optimizers are ${OPTIMIZERS.join(', ')}` }];
  }
  const out: SettingProblem[] = [];
  for (const setting of SETTINGS) {
    if (!setting.optimizers?.includes(kind as OptimizerKind)) continue;
    const problem = setting.check(args?.[setting.field]);
    if (problem) out.push({ code: 'E1202', key: setting.key, message: `${setting.key} ${problem}` });
  }
  return out;
}

/** What is wrong with a learning-rate schedule. */
export function scheduleProblems(schedule: unknown): SettingProblem[] {
  const s = schedule as { kind?: unknown; every?: unknown; gamma?: unknown } | undefined;
  if (s?.kind === 'constant' || s?.kind === 'cosine') return [];
  if (s?.kind !== 'step')
    return [{ code: 'E1202', key: 'schedule', message: `schedule must be one of constant, step(every:, gamma:), cosine; it is ${formatValue(s?.kind)}` }];
  const out: SettingProblem[] = [];
  const every = rangeProblem(s.every, { integer: true, min: 1 });
  if (every) out.push({ code: 'E1202', key: 'every', message: `step schedule every ${every}` });
  const gamma = rangeProblem(s.gamma, { min: 0, minExclusive: true });
  if (gamma) out.push({ code: 'E1202', key: 'gamma', message: `step schedule gamma ${gamma}` });
  return out;
}

/** What is wrong with an initializer. */
export function initProblems(init: unknown): SettingProblem[] {
  const problem = initializerProblem(init as Initializer);
  return problem ? [{ code: 'E1204', key: 'init', message: `init: ${problem.message}`, ...(problem.hint !== undefined ? { hint: problem.hint } : {}) }] : [];
}

export function checkTrain(train: TrainIR): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (train === null || typeof train !== 'object') return out;
  const check = (key: string, value: unknown) => {
    const problem = settingSpec(key)?.check(value);
    if (problem) out.push(diagnostic('E1202', `${key} ${problem}`, trainFieldRange(train, key)));
  };

  for (const p of optimizerProblems(train.optimizer)) {
    out.push(diagnostic(p.code, p.message, p.key === 'optimizer' ? fieldRange(train.loc, 'optimizer') : trainFieldRange(train, p.key)));
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

  for (const p of scheduleProblems(train.schedule)) out.push(diagnostic(p.code, p.message, fieldRange(train.loc, 'schedule')));
  if (train.init !== undefined) {
    for (const p of initProblems(train.init)) out.push(diagnostic(p.code, p.message, fieldRange(train.loc, 'init'), { hint: p.hint }));
  }
  return out;
}
