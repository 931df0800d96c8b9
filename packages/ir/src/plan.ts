// expandPlan(): one experiment expanded into fully resolved runs, variants × sweep grid × seeds, with CLI
// overrides applied, and every run validated again (an override can make a valid file invalid: `--set
// batch=1` on a batch-normalized variant is the same error as `batch: 1` in the file).
import { diagnostic, hasErrors } from './codes.js';
import type { DiagnosticCode } from './codes.js';
import { isBnxError } from './errors.js';
import { DEFAULT_SEEDS } from './defaults.js';
import { MAX_LIST_VALUES, MAX_RUNS, planSize } from './limits.js';
import { idPart, sweepIdPart } from './run-id.js';
import { didYouMean, formatValue, isWholeNumber, objects } from './format.js';
import { SETTINGS, SETTING_KEYS, applyToParts, settingProblem } from './settings.js';
import type { DatasetIR, Diagnostic, ExperimentIR, PlanIR, ProgramIR, RunSpec, SourceRange, SweepIR, SweepSetting, SweepValue, TrainIR } from './types.js';
import { sortDiagnostics, validate } from './validate.js';
import { isModelParamSweep } from './check-experiment.js';

export interface PlanOptions {
  /** `--set KEY=VALUE`, applied to every run after its sweep values; an overridden key is no longer swept. */
  overrides?: Record<string, SweepValue>;
  /** Replaces the experiment's seeds. */
  seeds?: number[];
}

export interface PlanResult {
  /** Absent when any diagnostic is an error. */
  plan?: PlanIR;
  /** validate(program)'s diagnostics, then the plan's own: callers need not call validate() first. */
  diagnostics: Diagnostic[];
}

/** `<variant>__<key>=<value>...__seed=<seed>`, with anything outside [A-Za-z0-9._=+-] replaced by `_`. */
export function runId(variant: string, params: Record<string, SweepValue>, seed: number): string {
  return [idPart(variant), ...Object.entries(params).map(([k, v]) => sweepIdPart(k, v)), `seed=${seed}`].join('__');
}

function pickExperiment(program: ProgramIR, name: string | undefined): ExperimentIR | Diagnostic {
  const experiments = objects(program?.experiments);
  const names = experiments.map((e) => String(e.name));
  if (name !== undefined) {
    const found = experiments.find((e) => e.name === name);
    if (found) return found;
    return diagnostic('E1603', `no experiment named '${name}' in ${program?.file}`, undefined, {
      hint: `${didYouMean(name, names) ?? ''} the experiments are ${names.join(', ') || '(none)'}`.trim(),
    });
  }
  if (experiments.length === 1 && experiments[0]) return experiments[0];
  if (experiments.length === 0) return diagnostic('E1601', `${program?.file} declares no experiment to run`, undefined);
  return diagnostic('E1602', `${program.file} declares ${experiments.length} experiments; name one of ${names.join(', ')}`, undefined, {
    hint: 'pass --experiment NAME',
  });
}

/** The experiment's sweeps minus those an override fixes (`epochs` also fixes a `steps` sweep and back). */
function effectiveSweeps(sweeps: SweepIR[], overrides: Record<string, SweepValue>): SweepIR[] {
  const fixed = new Set(Object.keys(overrides));
  if (fixed.has('epochs')) fixed.add('steps');
  if (fixed.has('steps')) fixed.add('epochs');
  return sweeps.filter((s) => !fixed.has(s.key));
}

interface GridPoint {
  /** The values as the run is named and reported. */
  params: Record<string, SweepValue>;
  /** What each key is set to: the value, or the lowered call it stands for (SweepIR.settings). */
  applied: Record<string, SweepValue | SweepSetting>;
  ranges: Record<string, SourceRange | undefined>;
}

/** Every combination of sweep values, the first sweep varying slowest. */
function grid(sweeps: SweepIR[]): GridPoint[] {
  let points: GridPoint[] = [{ params: {}, applied: {}, ranges: {} }];
  for (const sweep of sweeps) {
    points = points.flatMap((point) =>
      sweep.values.map((value, i) => ({
        params: { ...point.params, [sweep.key]: value },
        applied: { ...point.applied, [sweep.key]: sweep.settings?.[i] ?? value },
        ranges: { ...point.ranges, [sweep.key]: sweep.loc?.fields?.[`values.${i}`] ?? sweep.loc?.fields?.['values'] ?? sweep.loc?.range },
      })),
    );
  }
  return points;
}

/** A swept optimizer is applied before its swept arguments, whatever order the sweeps are written in. */
const optimizerFirst = ([a]: [string, unknown], [b]: [string, unknown]) => Number(b === 'optimizer') - Number(a === 'optimizer');

/** The location fields a setting replaces: its own, and for a new optimizer every argument of the old one. */
function replacedFields(key: string): string[] {
  if (key !== 'optimizer') return [key, `optimizer.${key}`];
  const args = SETTINGS.filter((s) => s.target === 'optimizer').flatMap((s) => [s.key, s.field, `optimizer.${s.key}`, `optimizer.${s.field}`]);
  return [key, ...args];
}

/**
 * Applies a setting and moves the location of the changed field with it: a later diagnostic about the value
 * then points at the sweep value that set it, or nowhere for a CLI override, never at the replaced value.
 */
function applyWithLocation(parts: { dataset: DatasetIR; train: TrainIR }, key: string, value: SweepValue | SweepSetting, range: SourceRange | undefined) {
  const next = applyToParts(parts, key, value);
  const owner = key === 'subset' || key === 'validation' ? next.dataset : next.train;
  if (owner.loc) {
    const fields = { ...(owner.loc.fields ?? {}) };
    for (const name of replacedFields(key)) delete fields[name];
    if (range) fields[key] = range;
    owner.loc = { ...owner.loc, fields };
  }
  return next;
}

/** A batch-1 error caused by `--set batch=1` says so, instead of pointing at the recipe's own batch. */
function blameOverride(d: Diagnostic, overrides: Record<string, SweepValue>): Diagnostic {
  if (d.code === 'E1301' && overrides['batch'] === 1) {
    const { related: _related, ...rest } = d;
    return { ...rest, hint: 'set by --set batch=1' };
  }
  if ((d.code === 'W1213' || d.code === 'E1215') && 'batch' in overrides && d.message.startsWith('batch ')) {
    const { range: _range, ...rest } = d;
    return { ...rest, message: `--set batch=${formatValue(overrides['batch'])}: ${d.message}` };
  }
  if (d.code === 'E1208' && ('subset' in overrides || 'validation' in overrides)) {
    // A reduced budget (`--set subset=1000`) meets the file's validation count: say how to shrink both.
    const hint = 'with --set subset=N, hold out a fraction instead, such as --set validation=0.1';
    // The value at fault came from a flag, not from the file: name the flag and point at no line.
    const key = ['validation', 'subset'].find((k) => k in overrides && d.message.startsWith(`${k} `));
    if (key === undefined) return { ...d, hint };
    const { range: _range, related: _related, ...rest } = d;
    return { ...rest, message: `--set ${key}=${formatValue(overrides[key])}: ${d.message}`, hint };
  }
  return d;
}

function checkOverrides(overrides: Record<string, SweepValue>, train: TrainIR | undefined, seeds: number[] | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [key, value] of Object.entries(overrides)) {
    const problem = settingProblem(key, value, train?.optimizer?.kind);
    if (!problem) continue;
    const hint = problem.code === 'E1403' ? `${didYouMean(key, SETTING_KEYS) ?? ''} the keys are ${SETTING_KEYS.join(', ')}`.trim() : undefined;
    const message = problem.code === 'E1403' ? `--set ${key}: unknown setting '${key}'` : `--set ${key}=${formatValue(value)}: ${problem.message}`;
    out.push(diagnostic(problem.code, message, undefined, { hint }));
  }
  if (seeds !== undefined) {
    if (seeds.length > MAX_LIST_VALUES) out.push(diagnostic('E1207', `${seeds.length} seeds are given; at most ${MAX_LIST_VALUES} are allowed`, undefined));
    if (seeds.length === 0) out.push(diagnostic('E1209', 'the seeds given are an empty list', undefined));
    const bad = seeds.find((s) => !isWholeNumber(s));
    if (bad !== undefined) out.push(diagnostic('E1207', `seeds must be whole numbers; one is ${formatValue(bad)}`, undefined));
    if (new Set(seeds).size !== seeds.length) out.push(diagnostic('E1210', 'a seed appears twice in the seeds given', undefined));
  }
  return out;
}

/**
 * The runs of one experiment (optional when the program has exactly one), or the diagnostics that prevent
 * them. Never throws: like validate(), it may be given half-built IR.
 */
export function expandPlan(program: ProgramIR, experimentName?: string, options: PlanOptions = {}): PlanResult {
  try {
    return expand(program, experimentName, options);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { diagnostics: [diagnostic('E1901', `internal error while expanding the plan: ${reason}`, undefined)] };
  }
}

function expand(program: ProgramIR, experimentName: string | undefined, options: PlanOptions): PlanResult {
  const diagnostics = validate(program);
  const picked = pickExperiment(program, experimentName);
  if ('code' in picked) return { diagnostics: [...diagnostics, picked] };
  if (hasErrors(diagnostics)) return { diagnostics };

  const experiment = picked;
  const dataset = program.datasets.find((d) => d.name === experiment.data) as DatasetIR;
  const train = program.trains.find((t) => t.name === experiment.train) as TrainIR;
  const overrides = options.overrides ?? {};
  const overrideProblems = checkOverrides(overrides, train, options.seeds);
  if (hasErrors(overrideProblems)) return { diagnostics: [...diagnostics, ...overrideProblems] };

  const declaredSeeds = Array.isArray(experiment.seeds) ? experiment.seeds : [];
  const seeds = options.seeds ?? (declaredSeeds.length > 0 ? declaredSeeds : [...DEFAULT_SEEDS]);
  const sweeps = effectiveSweeps(objects(experiment.sweeps), overrides);
  const variants = objects(experiment.variants);
  const size = planSize(variants.length, sweeps, seeds.length);
  if (size.runs > MAX_RUNS) {
    const d = diagnostic(
      'E1214',
      `experiment '${experiment.name}' expands to ${size.runs} runs (${size.product}); at most ${MAX_RUNS} are allowed`,
      undefined,
      {
        hint: 'split it into several experiments, or sweep fewer values',
      },
    );
    return { diagnostics: [...diagnostics, d] };
  }
  const runs: RunSpec[] = [];
  const ids = new Map<string, RunSpec>();
  const runProblems: Diagnostic[] = [];
  const modelKeys = sweeps.map((s) => s.key).filter((key) => isModelParamSweep(experiment, key));
  for (const variant of variants) {
    for (const point of grid(sweeps)) {
      let parts = { dataset, train };
      // Swept model parameters pick the variant's model built with their values; the rest are settings.
      const instance =
        modelKeys.length === 0 ? undefined : objects(variant.instances).find((i) => modelKeys.every((key) => i.params[key] === point.params[key]));
      const model = instance?.model ?? variant.model;
      try {
        for (const [key, value] of Object.entries(point.applied).sort(optimizerFirst)) {
          if (!modelKeys.includes(key)) parts = applyWithLocation(parts, key, value, point.ranges[key]);
        }
        for (const [key, value] of Object.entries(overrides)) parts = applyWithLocation(parts, key, value, undefined);
      } catch (err) {
        // A combination the file-level checks cannot see: an argument swept for an optimizer that a sweep
        // over `optimizer` replaces with one that does not take it.
        // The file-level check reports this for sweeps; what is left is an override (`--set momentum=0.5`).
        if (!isBnxError(err)) throw err;
        const key = Object.keys(overrides).find((k) => err.message.includes(`'${k}'`));
        const prefix = key === undefined ? '' : `--set ${key}=${formatValue(overrides[key])}: `;
        const optimizer = point.params['optimizer'] === undefined ? '' : ` (with optimizer ${formatValue(point.params['optimizer'])} of the sweep)`;
        runProblems.push(diagnostic((err.code as DiagnosticCode | undefined) ?? 'E1404', `${prefix}${err.message}${optimizer}`, undefined));
        continue;
      }
      // One run's settings, checked alone; the claims compare variants and sweep points, so they stay out.
      const { claims: _claims, ...oneRun } = experiment;
      const single: ProgramIR = {
        file: program.file,
        datasets: [parts.dataset],
        models: [],
        trains: [parts.train],
        experiments: [{ ...oneRun, variants: [{ ...variant, model, instances: [] }], sweeps: [], seeds: seeds.slice(0, 1) }],
      };
      runProblems.push(...validate(single).map((d) => blameOverride(d, overrides)));
      for (const seed of seeds) {
        const id = runId(variant.name, point.params, seed);
        // Never two runs under one id: the second one's record would overwrite the first's. The file-level
        // check reports sweep values that collide (E1210 at the value); this catches whatever it cannot see.
        if (ids.has(id)) {
          const key = Object.keys(point.params).find((k) => point.params[k] !== ids.get(id)?.params[k]);
          runProblems.push(
            diagnostic('E1210', `two runs would have the same id '${id}'; run ids must be unique`, key === undefined ? undefined : point.ranges[key]),
          );
          continue;
        }
        const run: RunSpec = {
          id,
          experiment: experiment.name,
          variant: variant.name,
          seed,
          params: point.params,
          dataset: parts.dataset,
          model,
          train: parts.train,
          probes: objects(experiment.probes),
        };
        if (experiment.target) run.target = experiment.target;
        ids.set(id, run);
        runs.push(run);
      }
    }
  }
  const keyOf = (d: Diagnostic) => `${d.code}|${d.message}|${d.range?.start.offset}`;
  const seen = new Set<string>(diagnostics.map(keyOf));
  const added = runProblems.filter((d) => {
    const key = keyOf(d);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const all = [...diagnostics, ...sortDiagnostics(added)];
  if (hasErrors(all)) return { diagnostics: all };
  return {
    plan: {
      experiment: experiment.name,
      sourceFile: program.file,
      variants: variants.map((v) => v.name),
      seeds,
      sweeps,
      runs,
      claims: experiment.claims ? [...experiment.claims] : null,
    },
    diagnostics: all,
  };
}
