// The keys a `sweep` or a CLI `--set KEY=VALUE` may change, what values each accepts, and how each is
// applied to a run's dataset and recipe. One table, so sweeps, overrides and their messages agree.
import type { DiagnosticCode } from './codes.js';
import { BnxError } from './errors.js';
import { formatValue } from './format.js';
import { initializerFromName, INITIALIZER_KINDS } from './initializers.js';
import type { NumberRange } from './ranges.js';
import { rangeProblem } from './ranges.js';
import type { DatasetIR, Initializer, Optimizer, RunSpec, Schedule, SweepSetting, SweepValue, TrainIR } from './types.js';

export type OptimizerKind = Optimizer['kind'];

export interface SettingSpec {
  key: string;
  /** What it changes: the dataset, the recipe, or an argument of the recipe's optimizer. */
  target: 'dataset' | 'train' | 'optimizer';
  /** For optimizer arguments: the optimizers that take it. */
  optimizers?: readonly OptimizerKind[];
  /** IR field name, when it differs from the key (`weightDecay`); also tried as a `loc.fields` key. */
  field: string;
  doc: string;
  /** What is wrong with a value for this key (`must be above 0; it is 0`), or undefined. */
  check(value: unknown): string | undefined;
}

const number = (range: NumberRange) => (value: unknown) => rangeProblem(value, range);
const oneOf = (values: readonly string[]) => (value: unknown) =>
  typeof value === 'string' && values.includes(value) ? undefined : `must be one of ${values.join(', ')}; it is ${formatValue(value)}`;
/** For settings that only a .bnx sweep can give, as lowered calls (SweepIR.settings), never as a plain value. */
const writtenAsCall = (example: string) => (value: unknown) =>
  `is written as a call such as ${example}, in a sweep in the .bnx file; it is ${formatValue(value)}`;
const bool = (value: unknown) => (typeof value === 'boolean' ? undefined : `must be true or false; it is ${formatValue(value)}`);

function validationProblem(value: unknown): string | undefined {
  // 0: no validation split; the runs are evaluated on the test split (the run record's eval_split says so).
  if (value === 0) return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 1) return undefined;
  if (typeof value === 'number' && value > 0 && value < 1) return undefined;
  return `must be a count (a whole number of at least 1), a fraction above 0 and below 1, or 0 for none; it is ${formatValue(value)}`;
}

const PARAMETERLESS_INITS = INITIALIZER_KINDS.filter((k) => initializerFromName(k) !== undefined);

const spec = (s: Omit<SettingSpec, 'field'> & { field?: string }): SettingSpec => ({ field: s.key, ...s });

export const SETTINGS: readonly SettingSpec[] = [
  spec({ key: 'subset', target: 'dataset', doc: 'training samples used', check: number({ integer: true, min: 1 }) }),
  spec({ key: 'validation', target: 'dataset', doc: 'held-out count or fraction; 0 for none (evaluate on the test split)', check: validationProblem }),
  spec({ key: 'epochs', target: 'train', doc: 'passes over the training split (clears steps)', check: number({ integer: true, min: 1 }) }),
  spec({ key: 'steps', target: 'train', doc: 'optimizer steps (clears epochs)', check: number({ integer: true, min: 1 }) }),
  spec({ key: 'batch', target: 'train', doc: 'samples per step', check: number({ integer: true, min: 1 }) }),
  spec({ key: 'eval_every', target: 'train', field: 'evalEvery', doc: 'steps between evaluations', check: number({ integer: true, min: 1 }) }),
  spec({ key: 'init_scale', target: 'train', field: 'initScale', doc: 'factor on every initial weight', check: number({ min: 0, minExclusive: true }) }),
  spec({
    key: 'optimizer',
    target: 'train',
    doc: 'the optimizer, written as a call such as adam(lr: 0.001) (in a sweep)',
    check: writtenAsCall('adam(lr: 0.001)'),
  }),
  spec({ key: 'schedule', target: 'train', doc: 'constant or cosine; step(every:, gamma:) as a call in a sweep', check: oneOf(['constant', 'cosine']) }),
  spec({ key: 'loss', target: 'train', doc: 'cross_entropy or mse', check: oneOf(['cross_entropy', 'mse']) }),
  spec({ key: 'init', target: 'train', doc: 'default weight initializer; one with arguments as a call in a sweep', check: oneOf(PARAMETERLESS_INITS) }),
  spec({ key: 'lr', target: 'optimizer', optimizers: ['sgd', 'adam', 'rmsprop'], doc: 'learning rate', check: number({ min: 0, minExclusive: true }) }),
  spec({ key: 'momentum', target: 'optimizer', optimizers: ['sgd', 'rmsprop'], doc: 'momentum', check: number({ min: 0, max: 1 }) }),
  spec({ key: 'nesterov', target: 'optimizer', optimizers: ['sgd'], doc: 'Nesterov momentum', check: bool }),
  spec({ key: 'beta1', target: 'optimizer', optimizers: ['adam'], doc: 'first-moment decay', check: number({ min: 0, max: 1, maxExclusive: true }) }),
  spec({ key: 'beta2', target: 'optimizer', optimizers: ['adam'], doc: 'second-moment decay', check: number({ min: 0, max: 1, maxExclusive: true }) }),
  spec({ key: 'rho', target: 'optimizer', optimizers: ['rmsprop'], doc: 'squared-gradient decay', check: number({ min: 0, max: 1, maxExclusive: true }) }),
  spec({
    key: 'epsilon',
    target: 'optimizer',
    optimizers: ['adam', 'rmsprop'],
    doc: 'added to the denominator',
    check: number({ min: 0, minExclusive: true }),
  }),
  spec({ key: 'weight_decay', target: 'optimizer', optimizers: ['sgd', 'adam'], field: 'weightDecay', doc: 'L2 penalty factor', check: number({ min: 0 }) }),
];

export const SETTING_KEYS: readonly string[] = SETTINGS.map((s) => s.key);

export function settingSpec(key: string): SettingSpec | undefined {
  return SETTINGS.find((s) => s.key === key);
}

/** The optimizer arguments that an optimizer takes, by their keys. */
export function optimizerKeys(kind: OptimizerKind): string[] {
  return SETTINGS.filter((s) => s.optimizers?.includes(kind)).map((s) => s.key);
}

/** Why `key = value` cannot be applied to a recipe with this optimizer, or undefined. */
export function settingProblem(key: string, value: unknown, optimizer?: OptimizerKind): { code: DiagnosticCode; message: string } | undefined {
  const setting = settingSpec(key);
  if (setting === undefined) return { code: 'E1403', message: `unknown setting '${key}'; the settings are ${SETTING_KEYS.join(', ')}` };
  if (setting.target === 'optimizer' && optimizer !== undefined && !setting.optimizers?.includes(optimizer)) {
    return { code: 'E1404', message: `${optimizer} has no argument '${key}'; it takes ${optimizerKeys(optimizer).join(', ')}` };
  }
  const problem = setting.check(value);
  if (problem === undefined) return undefined;
  return { code: setting.target === 'dataset' ? 'E1203' : 'E1202', message: `${key} ${problem}` };
}

/** The keys whose sweeps may be written as calls, lowered to SweepIR.settings. */
export const CALL_SETTING_KEYS: readonly string[] = ['optimizer', 'schedule', 'init'];

/**
 * Applies one setting to a dataset and recipe, returning changed copies; throws BnxError when it does not
 * apply. `value` is a plain value, or for `optimizer`, `schedule` and `init` a lowered call (SweepSetting).
 */
export function applyToParts(
  parts: { dataset: DatasetIR; train: TrainIR },
  key: string,
  value: SweepValue | SweepSetting,
): { dataset: DatasetIR; train: TrainIR } {
  if (typeof value === 'object') {
    if (!CALL_SETTING_KEYS.includes(key)) throw new BnxError(`${key} takes a plain value, not ${formatValue(value)}`, 'E1202');
    const train: TrainIR = { ...parts.train };
    if (key === 'optimizer') train.optimizer = { ...(value as Optimizer) };
    else if (key === 'schedule') train.schedule = { ...(value as Schedule) };
    else train.init = { ...(value as Initializer) };
    return { dataset: parts.dataset, train };
  }
  const problem = settingProblem(key, value, parts.train.optimizer.kind);
  if (problem !== undefined) throw new BnxError(problem.message, problem.code);
  const dataset: DatasetIR = { ...parts.dataset };
  const train: TrainIR = { ...parts.train, optimizer: { ...parts.train.optimizer } };
  const n = value as number;
  switch (key) {
    case 'subset':
      dataset.subset = n;
      break;
    case 'validation':
      if (n === 0) delete dataset.validation;
      else dataset.validation = Number.isInteger(n) ? { count: n } : { fraction: n };
      break;
    case 'epochs':
      train.epochs = n;
      delete train.steps;
      break;
    case 'steps':
      train.steps = n;
      delete train.epochs;
      break;
    case 'batch':
      train.batch = n;
      break;
    case 'eval_every':
      train.evalEvery = n;
      break;
    case 'init_scale':
      train.initScale = n;
      break;
    case 'schedule':
      train.schedule = { kind: value as 'constant' | 'cosine' };
      break;
    case 'loss':
      train.loss = value as TrainIR['loss'];
      break;
    case 'init': {
      const init = initializerFromName(value as string);
      if (init !== undefined) train.init = init;
      break;
    }
    default: {
      const field = settingSpec(key)?.field ?? key;
      (train.optimizer as unknown as Record<string, SweepValue>)[field] = value;
    }
  }
  return { dataset, train };
}

/** A run with `key = value` applied to its dataset or recipe (a new object; the input is unchanged). */
export function applySetting(run: RunSpec, key: string, value: SweepValue): RunSpec {
  return { ...run, ...applyToParts(run, key, value) };
}

/**
 * The value of a CLI `--set KEY=VALUE`: `true`/`false`, a number (`0.1`, `1e-3`, `-5`, `1/255`), or an
 * identifier (`cosine`, `he_normal`). Throws BnxError on anything else.
 */
export function parseSettingValue(text: string): SweepValue {
  const trimmed = text.trim();
  if (trimmed === 'true') return true;
  if (trimmed === 'false') return false;
  const numberPattern = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
  if (numberPattern.test(trimmed)) return Number(trimmed);
  const ratio = /^(.+)\/(.+)$/.exec(trimmed);
  if (ratio && numberPattern.test(ratio[1]!.trim()) && numberPattern.test(ratio[2]!.trim())) {
    const denominator = Number(ratio[2]);
    if (denominator !== 0) return Number(ratio[1]) / denominator;
  }
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(trimmed)) return trimmed;
  throw new BnxError(`cannot read the value '${text}': use a number (0.1, 1e-3, 1/255), true, false or a name such as cosine`, 'E1604');
}

/** `KEY=VALUE` as given to `--set`; throws BnxError when there is no `=` or no key. */
export function parseSetting(text: string): { key: string; value: SweepValue } {
  const at = text.indexOf('=');
  const key = at < 0 ? '' : text.slice(0, at).trim();
  if (at < 0 || key === '') throw new BnxError(`--set needs KEY=VALUE, such as --set epochs=1; it got '${text}'`, 'E1604');
  return { key, value: parseSettingValue(text.slice(at + 1)) };
}
