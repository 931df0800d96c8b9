// Checks one experiment against the program: references, seeds, sweeps, probes, and every variant's model
// against the experiment's dataset and recipe (input shape, class count, batch normalization at batch 1).
import { attrProblem } from './attributes.js';
import { CLAIM_IDS, claimInstrumentProblem, isClaimId } from './claims.js';
import { diagnostic } from './codes.js';
import { DEFAULT_SEEDS } from './defaults.js';
import { MAX_LIST_VALUES, MAX_RUNS, planSize } from './limits.js';
import { opSpec } from './ops.js';
import { checkModelFitsSamples } from './check-model-data.js';
import { checkBatchSize } from './check-sizes.js';
import { datasetClassCount, datasetSampleShape, datasetTrainingCount } from './datasets.js';
import { didYouMean, fieldRange, formatShape, formatValue, isWholeNumber, objects } from './format.js';
import { probeLayerOrProblem } from './probes.js';
import { sweepIdPart } from './run-id.js';
import { rangeProblem } from './ranges.js';
import { CALL_SETTING_KEYS, SETTING_KEYS, settingProblem, settingSpec } from './settings.js';
import type { OptimizerKind } from './settings.js';
import { canonicalInput, inferShapes } from './shapes.js';
import type { DatasetIR, Diagnostic, ExperimentIR, ModelIR, ProgramIR, SourceRange, SweepIR, TrainIR, VariantIR } from './types.js';
import { initProblems, optimizerProblems, scheduleProblems, trainFieldRange } from './check-train.js';
import type { SettingProblem } from './check-train.js';

const list = <T>(value: T[] | undefined): T[] => (Array.isArray(value) ? value : []);

function findNamed<T extends { name: string }>(items: T[] | undefined, name: unknown): T | undefined {
  return objects(items).find((item) => item?.name === name);
}

function sweepValueRange(sweep: SweepIR, index: number): SourceRange | undefined {
  return fieldRange(sweep.loc, `values.${index}`, `values[${index}]`, 'values');
}

function checkReferences(experiment: ExperimentIR, program: ProgramIR, out: Diagnostic[]) {
  const dataset = findNamed(program.datasets, experiment.data);
  if (dataset === undefined) {
    const names = objects(program.datasets).map((d) => d.name);
    out.push(
      diagnostic('E1401', `unknown dataset '${formatValue(experiment.data)}'`, fieldRange(experiment.loc, 'data'), {
        hint: didYouMean(String(experiment.data), names) ?? (names.length ? `the datasets are ${names.join(', ')}` : 'declare one with dataset NAME { ... }'),
      }),
    );
  }
  const train = findNamed(program.trains, experiment.train);
  if (train === undefined) {
    const names = objects(program.trains).map((t) => t.name);
    out.push(
      diagnostic('E1402', `unknown training recipe '${formatValue(experiment.train)}'`, fieldRange(experiment.loc, 'train'), {
        hint: didYouMean(String(experiment.train), names) ?? (names.length ? `the recipes are ${names.join(', ')}` : 'declare one with train NAME { ... }'),
      }),
    );
  }
  return { dataset, train };
}

function checkSeedsAndVariants(experiment: ExperimentIR, out: Diagnostic[]) {
  const variants = objects(experiment.variants);
  if (variants.length === 0) {
    out.push(
      diagnostic('E1209', `experiment '${formatValue(experiment.name)}' has no variants; add one such as variant baseline: MODEL`, experiment.loc?.range),
    );
  }
  const names = new Set<string>();
  for (const variant of variants) {
    if (typeof variant.name !== 'string' || variant.name === '') {
      out.push(diagnostic('E1212', `a variant of experiment '${formatValue(experiment.name)}' has no name`, variant.loc?.range ?? experiment.loc?.range));
    } else if (names.has(variant.name))
      out.push(diagnostic('E1210', `variant '${variant.name}' appears twice in experiment '${experiment.name}'`, variant.loc?.range));
    names.add(variant?.name);
  }
  const seedsRange = fieldRange(experiment.loc, 'seeds');
  const seen = new Set<number>();
  if (list(experiment.seeds).length > MAX_LIST_VALUES) {
    out.push(diagnostic('E1207', `seeds has ${list(experiment.seeds).length} values; at most ${MAX_LIST_VALUES} are allowed`, seedsRange));
    return;
  }
  for (const seed of list(experiment.seeds)) {
    if (!isWholeNumber(seed) || seed < 0) {
      out.push(diagnostic('E1207', `seeds must be whole numbers from 0 to 2^53-1; one is ${formatValue(seed)}`, seedsRange));
    } else if (seen.has(seed)) {
      out.push(diagnostic('E1210', `seed ${seed} appears twice; every run of a variant needs its own seed`, seedsRange));
    }
    if (isWholeNumber(seed)) seen.add(seed);
  }
}

/** What is wrong with a lowered call in a sweep over optimizer, schedule or init. */
function sweepSettingProblems(key: string, setting: unknown): SettingProblem[] {
  if (setting === null || typeof setting !== 'object') return [{ code: 'E1202', key, message: `${key} is not a setting: ${formatValue(setting)}` }];
  return key === 'optimizer' ? optimizerProblems(setting) : key === 'schedule' ? scheduleProblems(setting) : initProblems(setting);
}

/** A swept optimizer argument (`sweep momentum`) must be one that every swept optimizer takes. */
function checkArgumentOfSweptOptimizers(experiment: ExperimentIR, sweep: SweepIR, out: Diagnostic[]) {
  const optimizers = objects(experiment.sweeps).find((s) => s?.key === 'optimizer');
  list(optimizers?.settings).forEach((setting, i) => {
    const kind = (setting as { kind?: unknown } | null)?.kind as OptimizerKind | undefined;
    const problem = kind === undefined ? undefined : settingProblem(sweep.key, list(sweep.values)[0], kind);
    if (problem?.code !== 'E1404') return;
    const label = formatValue(list(optimizers?.values)[i]);
    out.push(
      diagnostic('E1404', `cannot sweep ${sweep.key} with optimizer ${label} in the sweep over optimizer: ${problem.message}`, fieldRange(sweep.loc, 'key')),
    );
  });
}

/**
 * A sweep over a model parameter (`sweep depth: [2, 6]`): every variant's model must declare it, each value
 * must be a number, and each variant must carry a model for every value (the DSL builds them).
 */
function checkModelParamSweep(experiment: ExperimentIR, sweep: SweepIR, out: Diagnostic[]): void {
  const keyRange = fieldRange(sweep.loc, 'key');
  for (const variant of objects(experiment.variants)) {
    const declared = variant.modelParams !== null && typeof variant.modelParams === 'object' && Object.hasOwn(variant.modelParams, sweep.key);
    if (!declared) {
      out.push(
        diagnostic(
          'E1403',
          `cannot sweep '${sweep.key}': model '${formatValue(variant.base)}' of variant '${formatValue(variant.name)}' has no parameter '${sweep.key}'`,
          keyRange,
        ),
      );
      return;
    }
  }
  const seen = new Set<unknown>();
  list(sweep.values).forEach((value, i) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      out.push(diagnostic('E1207', `sweep ${sweep.key}: a model parameter takes numbers; ${formatValue(value)} is not one`, sweepValueRange(sweep, i)));
    } else if (seen.has(value)) {
      out.push(diagnostic('E1210', `sweep ${sweep.key} lists ${formatValue(value)} twice`, sweepValueRange(sweep, i)));
    }
    seen.add(value);
    for (const variant of objects(experiment.variants)) {
      if (!objects(variant.instances).some((instance) => instance?.params?.[sweep.key] === value)) {
        out.push(
          diagnostic(
            'E1212',
            `variant '${formatValue(variant.name)}' has no model for ${sweep.key} = ${formatValue(value)} (half-built IR)`,
            sweepValueRange(sweep, i),
          ),
        );
      }
    }
  });
}

/** Keys that some variant declares as a model parameter (and that are not settings, which the DSL forbids). */
export function isModelParamSweep(experiment: ExperimentIR, key: string): boolean {
  return (
    !SETTING_KEYS.includes(key) &&
    objects(experiment.variants).some((v) => v?.modelParams !== null && typeof v?.modelParams === 'object' && Object.hasOwn(v.modelParams, key))
  );
}

/**
 * Two different values that make one run-id part (`sgd(lr: 1/10)` and `sgd(lr: 1*10)` are both
 * `optimizer=sgd_lr__1___10_`) would give two runs one id, and one record would overwrite the other.
 */
function checkIdPart(sweep: SweepIR, i: number, idParts: Map<string, number>, out: Diagnostic[]) {
  const value = list(sweep.values)[i];
  const part = sweepIdPart(sweep.key, value);
  const first = idParts.get(part);
  if (first === undefined) {
    idParts.set(part, i);
    return;
  }
  const firstRange = sweepValueRange(sweep, first);
  const other = formatValue(list(sweep.values)[first]);
  out.push(
    diagnostic(
      'E1210',
      `sweep ${sweep.key} values ${other} and ${formatValue(value)} give their runs the same id part '${part}': one run's results would overwrite the other's`,
      sweepValueRange(sweep, i),
      {
        hint: 'a run id keeps letters, digits and . = + - and turns every other character into _; write values that differ in those, such as 0.1 rather than 1/10',
        related: firstRange === undefined ? [] : [{ message: `${other} is here`, range: firstRange }],
      },
    ),
  );
}

function checkSweeps(experiment: ExperimentIR, train: TrainIR | undefined, out: Diagnostic[]) {
  const keys = new Set<string>();
  // With the optimizer swept, whether it takes an argument depends on the sweep point: plan expansion checks it.
  const optimizerSwept = objects(experiment.sweeps).some((s) => s?.key === 'optimizer');
  for (const sweep of objects(experiment.sweeps)) {
    if (sweep === null || typeof sweep !== 'object') continue;
    const keyRange = fieldRange(sweep.loc, 'key');
    if (keys.has(sweep.key)) {
      out.push(diagnostic('E1210', `sweep ${sweep.key} appears twice; give all its values in one list`, keyRange));
      continue;
    }
    keys.add(sweep.key);
    const values = list(sweep.values);
    if (values.length === 0) out.push(diagnostic('E1207', `sweep ${formatValue(sweep.key)} has no values`, sweep.loc?.range));
    if (isModelParamSweep(experiment, sweep.key)) {
      checkModelParamSweep(experiment, sweep, out);
      continue;
    }
    const keyProblem = settingProblem(sweep.key, values[0], optimizerSwept ? undefined : train?.optimizer?.kind);
    if (keyProblem?.code === 'E1403') {
      out.push(
        diagnostic('E1403', `cannot sweep '${formatValue(sweep.key)}': it is not a setting`, keyRange, {
          hint: `${didYouMean(String(sweep.key), SETTING_KEYS) ?? ''} the keys are ${SETTING_KEYS.join(', ')}`.trim(),
        }),
      );
      continue;
    }
    if (keyProblem?.code === 'E1404') {
      out.push(diagnostic('E1404', `cannot sweep ${sweep.key}: ${keyProblem.message}`, keyRange));
      continue;
    }
    if (optimizerSwept && settingSpec(sweep.key)?.target === 'optimizer') checkArgumentOfSweptOptimizers(experiment, sweep, out);
    const settings = Array.isArray(sweep.settings) && CALL_SETTING_KEYS.includes(sweep.key) ? sweep.settings : undefined;
    const seen = new Set<unknown>();
    const idParts = new Map<string, number>();
    values.forEach((value, i) => {
      const problems = settings
        ? sweepSettingProblems(sweep.key, settings[i]).map((p) => ({ ...p, message: `${sweep.key} ${formatValue(value)}: ${p.message}` }))
        : [settingProblem(sweep.key, value)].filter((p) => p !== undefined);
      for (const problem of problems) out.push(diagnostic(problem.code, `sweep ${problem.message}`, sweepValueRange(sweep, i)));
      if (problems.length === 0 && seen.has(value))
        out.push(diagnostic('E1210', `sweep ${sweep.key} lists ${formatValue(value)} twice`, sweepValueRange(sweep, i)));
      else if (problems.length === 0) checkIdPart(sweep, i, idParts, out);
      seen.add(value);
    });
  }
  if (keys.has('epochs') && keys.has('steps')) {
    const sweep = objects(experiment.sweeps).find((s) => s.key === 'steps');
    out.push(diagnostic('E1407', 'sweep either epochs or steps, not both: each value of one clears the other', sweep?.loc?.range));
  }
}

function checkProbes(experiment: ExperimentIR, out: Diagnostic[]) {
  for (const probe of objects(experiment.probes)) {
    if (probe?.kind !== 'activations') continue;
    const percentiles = list(probe.percentiles);
    const bad = percentiles.map((p) => rangeProblem(p, { min: 0, max: 100 })).find((p) => p !== undefined);
    if (bad) out.push(diagnostic('E1207', `percentiles ${bad.replace('; it is', '; one is')}`, fieldRange(probe.loc, 'percentiles')));
    if (probe.every !== undefined) {
      const every = rangeProblem(probe.every, { integer: true, min: 1 });
      if (every) out.push(diagnostic('E1207', `probe every ${every}`, fieldRange(probe.loc, 'every')));
    }
    const unitProblem = probe.unit === undefined ? undefined : rangeProblem(probe.unit, { integer: true, min: 0 });
    if (unitProblem) out.push(diagnostic('E1207', `probe unit ${unitProblem}`, fieldRange(probe.loc, 'unit')));
    for (const variant of objects(experiment.variants)) {
      if (!variant?.model) continue;
      const result = probeLayerOrProblem(variant.model, probe);
      if ('problem' in result) {
        out.push(diagnostic('E1406', `activations probe for variant '${variant.name}': ${result.problem}`, fieldRange(probe.loc, 'layer')));
        break;
      }
      if (probe.unit === undefined || unitProblem) continue;
      const index = objects(variant.model.layers).findIndex((l) => l?.name === result.layer);
      const units = inferShapes(variant.model).outputs[index]?.[0];
      if (units !== undefined && probe.unit >= units) {
        out.push(
          diagnostic(
            'E1207',
            `probe unit ${probe.unit} is past layer '${result.layer}' of variant '${variant.name}', which has ${units} units (0 to ${units - 1})`,
            fieldRange(probe.loc, 'unit'),
          ),
        );
        break;
      }
    }
  }
}

/** Every declared claim is known, listed once, and testable by the experiment's instruments and variants. */
function checkClaims(experiment: ExperimentIR, out: Diagnostic[]) {
  if (experiment.claims === undefined) return;
  const range = fieldRange(experiment.loc, 'claims');
  if (!Array.isArray(experiment.claims)) {
    out.push(diagnostic('E1408', `claims must be a list of claim names; it is ${formatValue(experiment.claims)}`, range));
    return;
  }
  const seen = new Set<string>();
  const variants = objects(experiment.variants).filter((v) => v?.model);
  const normalized = variants.filter((v) => objects(v.model.layers).some((l) => l?.op === 'batchnorm'));
  const plain = variants.filter((v) => !normalized.includes(v));
  for (const [i, claim] of experiment.claims.entries()) {
    const at = fieldRange(experiment.loc, `claims.${i}`, 'claims');
    if (!isClaimId(claim)) {
      out.push(
        diagnostic('E1408', `unknown claim ${formatValue(claim)}`, at, {
          hint: didYouMean(String(claim), CLAIM_IDS) ?? `the claims are ${CLAIM_IDS.join(', ')}`,
        }),
      );
      continue;
    }
    if (seen.has(claim)) {
      out.push(diagnostic('E1408', `claim '${claim}' is listed twice`, at));
      continue;
    }
    seen.add(claim);
    const problem = claimInstrumentProblem(claim, experiment);
    if (problem) out.push(diagnostic('E1408', `claim '${claim}' cannot be tested by experiment '${experiment.name}': ${problem}`, at));
    else if (variants.length > 0 && (normalized.length === 0 || plain.length === 0)) {
      out.push(
        diagnostic(
          'E1408',
          `claim '${claim}' cannot be tested by experiment '${experiment.name}': it compares a variant with batch normalization against one without, and ${normalized.length === 0 ? 'no variant has batch normalization' : 'every variant has batch normalization'}`,
          at,
        ),
      );
    }
  }
}

const TARGET_METRICS = ['val_accuracy', 'val_loss', 'train_accuracy', 'train_loss'];

function checkTarget(experiment: ExperimentIR, out: Diagnostic[]) {
  const target = experiment.target;
  if (target === undefined || target === null || typeof target !== 'object') return;
  if (!TARGET_METRICS.includes(target.metric)) {
    out.push(
      diagnostic('E1207', `target metric must be one of ${TARGET_METRICS.join(', ')}; it is ${formatValue(target.metric)}`, fieldRange(target.loc, 'metric'), {
        hint: didYouMean(String(target.metric), TARGET_METRICS),
      }),
    );
    return;
  }
  const range = target.metric.endsWith('accuracy') ? { min: 0, max: 1 } : { min: 0 };
  const problem = rangeProblem(target.value, range);
  if (problem) out.push(diagnostic('E1207', `target ${target.metric} ${problem}`, fieldRange(target.loc, 'value')));
}

/** The batch sizes the variants train with: the sweep's values when batch is swept, else the recipe's. */
function batchSizes(experiment: ExperimentIR, train: TrainIR): { value: unknown; range: SourceRange | undefined; swept: boolean }[] {
  const sweep = objects(experiment.sweeps).find((s) => s?.key === 'batch');
  if (sweep) return list(sweep.values).map((value, i) => ({ value, range: sweepValueRange(sweep, i), swept: true }));
  return [{ value: train.batch, range: trainFieldRange(train, 'batch'), swept: false }];
}

/**
 * The arguments of `with batchnorm(...)` (or layernorm, groupnorm), at their own positions. The layers the
 * transform inserts carry only the range of the whole call, so their attribute diagnostics are left to this check.
 */
function checkTransform(variant: VariantIR, out: Diagnostic[]): void {
  const transform = variant.transform as unknown as Record<string, unknown> | undefined;
  if (transform === undefined || transform === null || typeof transform !== 'object') return;
  const at = (name: string) => fieldRange(variant.loc, name, 'transform');
  const spec = opSpec(transform['op']);
  if (spec === undefined || spec.kind !== 'normalization') {
    out.push(diagnostic('E1201', `a model transform inserts batchnorm, layernorm or groupnorm; it is ${formatValue(transform['op'])}`, at('transform')));
    return;
  }
  const op = spec.op;
  if (transform['placement'] !== 'before_activation' && transform['placement'] !== 'after_activation') {
    out.push(
      diagnostic('E1201', `${op} placement must be one of before_activation, after_activation; it is ${formatValue(transform['placement'])}`, at('placement')),
    );
  }
  for (const [field, dsl] of [
    ['input', 'input'],
    ['keepBias', 'keep_bias'],
  ] as const) {
    if (typeof transform[field] !== 'boolean')
      out.push(diagnostic('E1201', `${op} ${dsl} must be true or false; it is ${formatValue(transform[field])}`, at(dsl)));
  }
  for (const attr of spec.attrs) {
    const problem = attrProblem(op, attr, transform[attr.name]);
    if (problem) out.push(diagnostic('E1201', problem.message, at(attr.dsl)));
  }
}

/** The models a sweep over model parameters builds: what is wrong with one names the values that made it. */
function checkInstances(
  variant: VariantIR,
  experiment: ExperimentIR,
  dataset: DatasetIR | undefined,
  train: TrainIR | undefined,
  program: ProgramIR,
  out: Diagnostic[],
) {
  const known = new Set(out.map((d) => `${d.code}|${d.message}`));
  for (const instance of objects(variant.instances)) {
    if (instance?.model === null || typeof instance?.model !== 'object') continue;
    const found: Diagnostic[] = [];
    checkVariant({ ...variant, model: instance.model, instances: [] }, experiment, dataset, train, program, found);
    const values = Object.entries(instance.params ?? {})
      .map(([key, value]) => `${key} = ${formatValue(value)}`)
      .join(', ');
    for (const d of found) {
      const key = `${d.code}|${d.message}`;
      if (known.has(key)) continue;
      known.add(key);
      out.push({ ...d, message: `variant '${variant.name}' with ${values}: ${d.message}` });
    }
  }
}

/**
 * `with batchnorm` (or layernorm, groupnorm) on a model that has layers of that kind of its own: the variant
 * gets those and the inserted ones, and every variant of the same model without the transform (the
 * "baseline") normalizes too.
 */
function checkTransformOnNormalizedModel(variant: VariantIR, program: ProgramIR, out: Diagnostic[]) {
  const op = variant.transform?.op;
  if (op === undefined) return;
  const base = findNamed(program.models, variant.base);
  const own = objects(base?.layers).filter((layer) => layer?.op === op);
  if (base === undefined || own.length === 0) return;
  const total = objects(variant.model?.layers).filter((layer) => layer?.op === op).length;
  const first = own[0]!;
  out.push(
    diagnostic(
      'W1303',
      `model '${base.name}' already has ${own.length === 1 ? `a ${op} layer` : `${own.length} ${op} layers`}: variant '${variant.name}' gets ${total} in all with 'with ${op}', and a variant of '${base.name}' without it normalizes too`,
      fieldRange(variant.loc, 'transform'),
      {
        hint: `remove the ${op} layers from model '${base.name}' and let 'with ${op}' add them, or drop 'with ${op}'`,
        related: first.loc?.range ? [{ message: `${op} layer of model '${base.name}'`, range: first.loc.range }] : [],
      },
    ),
  );
}

function checkVariant(
  variant: VariantIR,
  experiment: ExperimentIR,
  dataset: DatasetIR | undefined,
  train: TrainIR | undefined,
  program: ProgramIR,
  out: Diagnostic[],
) {
  const model = variant.model;
  if (model === null || typeof model !== 'object') return;
  const shapes = inferShapes(model);
  checkTransform(variant, out);
  checkTransformOnNormalizedModel(variant, program, out);
  const inserted = variant.transform?.op;
  if (inserted !== undefined && !objects(model.layers).some((layer) => layer.op === inserted)) {
    out.push(
      diagnostic(
        'W1302',
        `variant '${variant.name}' has no ${inserted} layer: model '${variant.base}' has no hidden dense or conv2d layer to normalize`,
        fieldRange(variant.loc, 'transform'),
        {
          hint: `add a hidden layer, or normalize the input with ${inserted}(input: true)`,
        },
      ),
    );
  }
  const transformRange = variant.transform ? fieldRange(variant.loc, 'transform') : undefined;
  const fromTransform = (d: Diagnostic) =>
    d.code === 'E1201' && transformRange !== undefined && d.range?.file === transformRange.file && d.range.start.offset === transformRange.start.offset;
  out.push(...shapes.diagnostics.filter((d) => !fromTransform(d)));
  const layers = objects(model.layers);
  const at = variant.loc?.range;

  if (train) {
    const usesBatchNorm = layers.some((layer) => layer?.op === 'batchnorm');
    const one = batchSizes(experiment, train).find((b) => b.value === 1);
    if (usesBatchNorm && one) {
      out.push(
        diagnostic('E1301', `batch normalization in training needs batches of at least 2 samples; '${variant.name}' trains with batch 1`, at, {
          hint: one.swept ? 'the sweep over batch includes 1' : `recipe '${train.name}' sets batch: 1`,
          related: one.range ? [{ message: 'batch 1 set here', range: one.range }] : [],
        }),
      );
    }
  }

  const complete = shapes.outputs.length === layers.length && !shapes.diagnostics.some((d) => d.severity === 'error');
  if (dataset) {
    const samples = { datasetName: dataset.name, shape: datasetSampleShape(dataset), classes: datasetClassCount(dataset) };
    out.push(...checkModelFitsSamples(model, samples, train?.loss, at));
  }

  const loss = train?.loss;
  if (loss === 'cross_entropy' && complete) {
    const last = layers[layers.length - 1];
    if (last?.op === 'softmax') {
      out.push(
        diagnostic(
          'W1503',
          `model '${model.name}' ends with softmax, but cross_entropy applies softmax itself; the model should end with the logits`,
          last.loc?.range,
          {
            hint: 'remove the final softmax',
          },
        ),
      );
    }
  }
}

/**
 * A batch larger than the training split is not an error (the data loader serves what there is), but the
 * user asked for one thing and gets another: every epoch becomes a single batch of the whole split.
 */
function checkBatchFitsData(experiment: ExperimentIR, dataset: DatasetIR | undefined, train: TrainIR | undefined, out: Diagnostic[]) {
  if (!train) return;
  // The backends allocate for the batch as declared: one that cannot be allocated is an error (E1215), and
  // then the warning below would only repeat it.
  const models = objects(experiment.variants)
    .map((v) => v?.model)
    .filter((m): m is ModelIR => m !== null && typeof m === 'object');
  const tooLarge = new Set<unknown>();
  for (const batch of batchSizes(experiment, train)) {
    const problems = checkBatchSize(batch.value, models, batch.range ?? experiment.loc?.range);
    if (problems.length > 0) tooLarge.add(batch.value);
    out.push(...problems);
  }
  if (!dataset) return;
  const count = datasetTrainingCount(dataset);
  if (count === undefined || count < 1) return;
  for (const batch of batchSizes(experiment, train)) {
    if (typeof batch.value !== 'number' || !(batch.value > count) || tooLarge.has(batch.value)) continue;
    out.push(
      diagnostic(
        'W1213',
        `batch ${batch.value} is larger than the ${count} training samples of dataset '${dataset.name}': every epoch is one batch of ${count}`,
        batch.range ?? experiment.loc?.range,
        {
          hint: 'lower the batch, or raise subset or lower validation',
        },
      ),
    );
  }
}

/** The whole plan within MAX_RUNS, checked here so that `bnx check` refuses what `bnx run` would. */
function checkPlanSize(experiment: ExperimentIR, out: Diagnostic[]) {
  const seeds = list(experiment.seeds).length || DEFAULT_SEEDS.length;
  const size = planSize(
    objects(experiment.variants).length,
    objects(experiment.sweeps).map((s) => ({ key: String(s.key), values: list(s.values) })),
    seeds,
  );
  if (size.runs <= MAX_RUNS) return;
  out.push(
    diagnostic(
      'E1214',
      `experiment '${formatValue(experiment.name)}' expands to ${size.runs} runs (${size.product}); at most ${MAX_RUNS} are allowed`,
      fieldRange(experiment.loc, 'name'),
      {
        hint: 'split it into several experiments, or sweep fewer values',
      },
    ),
  );
}

export function checkExperiment(experiment: ExperimentIR, program: ProgramIR): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (experiment === null || typeof experiment !== 'object') return out;
  const { dataset, train } = checkReferences(experiment, program, out);
  checkSeedsAndVariants(experiment, out);
  checkPlanSize(experiment, out);
  checkSweeps(experiment, train, out);
  checkProbes(experiment, out);
  checkTarget(experiment, out);
  checkClaims(experiment, out);
  checkBatchFitsData(experiment, dataset, train, out);
  for (const variant of objects(experiment.variants)) {
    if (variant === null || typeof variant !== 'object') continue;
    checkVariant(variant, experiment, dataset, train, program, out);
    checkInstances(variant, experiment, dataset, train, program, out);
  }
  return out;
}
