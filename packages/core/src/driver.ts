// The training driver every backend runs under: it owns everything that must be the same on every backend
// (initial state, data order, batches, learning rates, dropout masks, evaluation schedule, probes) and turns
// one RunSpec into one RunRecord. Divergence, interruption and backend failures are results, recorded in the
// record's status; only mistakes in the spec itself (a model that does not check, a batch larger than the
// training set with nothing left to train on) throw BnxError.
import { BnxError, checkModelFitsSamples, layerInputShapes, paramSpecs, resolveProbeLayer } from '@bnx/ir';
import type { Probe, RunSpec } from '@bnx/ir';
import { batchCount, batches, defaultDropLast, epochOrder } from '@bnx/data';
import type { LoadedDataset, Split } from '@bnx/data';
import type { Backend, DeviceKind, NamedArrays, StepResult, Trainer, TrainBatch } from './backend.js';
import { dropoutMasks } from './dropout.js';
import { initialState } from './init.js';
import { percentiles } from './percentiles.js';
import { meanAndStd, tensorNorms } from './probe-stats.js';
import type { ActivationsProbeRecord, HistoryEntry, ProbeRecords, RunProgress, RunRecord } from './run-record.js';
import { learningRate } from './schedule.js';

export interface TrainRunOptions {
  backend: Backend;
  device: DeviceKind | 'auto';
  engine?: string;
  data: LoadedDataset;
  signal?: AbortSignal;
  onProgress?: (progress: RunProgress) => void;
  /** Clock in milliseconds (default performance.now); tests pass a fake one. */
  now?: () => number;
  /** Batch size for evaluation passes (default max(recipe batch, 256)); it does not change the results. */
  evalBatchSize?: number;
  /** Called with each evaluation point as it is recorded (live one-line-per-evaluation output). */
  onEvaluation?: (entry: HistoryEntry) => void;
  /** Receives the trained parameters and buffers of a completed run before the trainer is disposed (`bnx run --export`). */
  onFinalState?: (state: NamedArrays) => void | Promise<void>;
}

/** Samples in the fixed batch the activations probe runs on: the first ones of the evaluation split. */
export const PROBE_BATCH = 256;
/** Least time between two progress callbacks. */
const PROGRESS_INTERVAL_MS = 100;

type ActivationsProbe = Extract<Probe, { kind: 'activations' }>;

/** The steps at which training pauses: evaluation points and activation-probe points. */
interface Schedule {
  totalSteps: number;
  stepsPerEpoch: number;
  isEvaluation(stepsDone: number): boolean;
  isActivationPoint(probe: ActivationsProbe, stepsDone: number): boolean;
  /** The first pause after `stepsDone`. */
  nextPause(stepsDone: number): number;
}

function nextMultiple(after: number, every: number): number {
  return (Math.floor(after / every) + 1) * every;
}

function pauseSchedule(totalSteps: number, stepsPerEpoch: number, evalEvery: number | undefined, probes: ActivationsProbe[]): Schedule {
  const evalPeriod = evalEvery ?? stepsPerEpoch;
  const isEvaluation = (s: number) => s === totalSteps || (s > 0 && s % evalPeriod === 0);
  // Every activations probe also samples the initial state (step 0), the start of Ioffe & Szegedy's Figure 1.
  const isActivationPoint = (probe: ActivationsProbe, s: number) =>
    s === 0 || (probe.every === undefined ? isEvaluation(s) : s % probe.every === 0 || s === totalSteps);
  return {
    totalSteps,
    stepsPerEpoch,
    isEvaluation,
    isActivationPoint,
    nextPause(s) {
      let next = Math.min(totalSteps, nextMultiple(s, evalPeriod));
      for (const p of probes) if (p.every !== undefined) next = Math.min(next, nextMultiple(s, p.every));
      return next;
    },
  };
}

/**
 * At most `count` items of `source`, without closing `source` when the consumer stops early (it has no
 * `return`, so a `break` in the backend's loop leaves the run's batch stream where it was).
 */
function take<T>(source: Iterator<T>, count: number): IterableIterator<T> {
  let left = count;
  return {
    next(): IteratorResult<T> {
      if (left <= 0) return { done: true, value: undefined };
      left--;
      return source.next();
    },
    [Symbol.iterator]() {
      return this;
    },
  };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function specError(spec: RunSpec, message: string): BnxError {
  const where = spec.train.loc ? `${spec.train.loc.range.file}:${spec.train.loc.range.start.line}: ` : '';
  return new BnxError(`${where}run '${spec.id}': ${message}`, 'E_RUN_SPEC');
}

/**
 * The model must take the data's samples and give one logit per class. The validator checks the same on the
 * declarations; this checks the loaded data (a CSV's width and class count are only known once it is read),
 * with the same codes, located at the model's input or last layer.
 */
function checkModelFitsData(spec: RunSpec, data: LoadedDataset): void {
  layerInputShapes(spec.model); // throws BnxError when the model itself does not check
  const samples = { datasetName: spec.dataset.name, shape: data.train.sampleShape, classes: data.train.numClasses };
  const problems = checkModelFitsSamples(spec.model, samples, spec.train.loss, undefined);
  const first = problems[0];
  if (first === undefined) return;
  const where = first.range ? `${first.range.file}:${first.range.start.line}:${first.range.start.column}: ` : '';
  throw new BnxError(`${where}run '${spec.id}': ${first.message}`, first.code, problems);
}

/**
 * Trains one run and returns its record. The run:
 * 1. draws the initial state (initialState) and compiles it on `opts.backend`;
 * 2. per epoch, visits the training split in epochOrder(count, seed, epoch), in batches of `batch`
 *    (the last partial batch dropped only when defaultDropLast says so), with the schedule's learning rate and
 *    the dropout masks of each step; `steps:` recipes run across as many epochs as they need;
 * 3. pauses every `eval_every` steps (default: at the end of each epoch) and at the last step to evaluate the
 *    validation split (the test split when there is none) in inference mode, and to run the probes;
 * 4. evaluates the test split at the end of a completed run.
 */
export async function trainRun(spec: RunSpec, opts: TrainRunOptions): Promise<RunRecord> {
  const now = opts.now ?? (() => performance.now());
  const started = now();
  const { model, train: recipe, seed, probes } = spec;
  const data = opts.data;
  const evalSplit: Split = data.validation ?? data.test;
  const hasBatchNorm = model.layers.some((l) => l.op === 'batchnorm');
  const trainCount = data.train.count;
  const dropLast = defaultDropLast(trainCount, recipe.batch, hasBatchNorm);
  const stepsPerEpoch = batchCount(trainCount, recipe.batch, dropLast);
  if (hasBatchNorm && recipe.batch === 1) {
    throw specError(spec, `batch 1 cannot train a model with batch normalization (a batch of one sample has no variance); use batch 2 or more`);
  }
  if (stepsPerEpoch === 0) {
    throw specError(spec, `the training split has ${trainCount} sample${trainCount === 1 ? '' : 's'}: not enough for one training batch`);
  }
  const totalSteps = recipe.steps ?? (recipe.epochs ?? 0) * stepsPerEpoch;
  if (!(totalSteps > 0)) throw specError(spec, `the recipe sets neither a positive epochs: nor steps:`);

  checkModelFitsData(spec, data);

  const activationProbes = probes.filter((p): p is ActivationsProbe => p.kind === 'activations');
  const wantGradNorm = probes.some((p) => p.kind === 'grad_norm');
  const wantWeightNorm = probes.some((p) => p.kind === 'weight_norm');
  const wantBnStats = probes.some((p) => p.kind === 'bn_stats');
  const specs = paramSpecs(model, recipe);
  const trainable = specs.filter((s) => s.trainable).map((s) => s.name);
  const bnLayers = model.layers.filter((l) => l.op === 'batchnorm').map((l) => l.name);
  const probeLayers = activationProbes.map((p) => resolveProbeLayer(model, p));
  const probeCount = Math.min(PROBE_BATCH, evalSplit.count);
  const sampleSize = evalSplit.count === 0 ? 0 : evalSplit.x.length / evalSplit.count;
  const probeX = evalSplit.x.subarray(0, probeCount * sampleSize);
  const schedule = pauseSchedule(totalSteps, stepsPerEpoch, recipe.evalEvery, activationProbes);
  const evalBatch = opts.evalBatchSize ?? Math.max(recipe.batch, 256);

  const probeRecords: ProbeRecords = {};
  const activationRecords: ActivationsProbeRecord[] = activationProbes.map((p, i) => ({
    layer: p.layer,
    resolved_layer: probeLayers[i]!,
    point: p.point,
    percentiles: [...p.percentiles],
    samples: probeCount,
    steps: [],
    values: [],
  }));
  if (activationProbes.length > 0) probeRecords.activations = activationRecords;
  if (wantGradNorm) probeRecords.grad_norm = { steps: [], norms: Object.fromEntries(trainable.map((n) => [n, []])) };
  if (wantWeightNorm) probeRecords.weight_norm = { steps: [], norms: Object.fromEntries(trainable.map((n) => [n, []])) };
  if (wantBnStats && bnLayers.length > 0) {
    probeRecords.bn_stats = {
      steps: [],
      layers: Object.fromEntries(
        bnLayers.map((n) => [n, { running_mean_mean: [], running_mean_std: [], running_var_mean: [], running_var_std: [] }]),
      ),
    };
  }

  const record: RunRecord = {
    id: spec.id,
    variant: spec.variant,
    seed,
    params: { ...spec.params },
    status: 'completed',
    eval_split: data.validation ? 'validation' : 'test',
    history: [],
    step_losses: [],
    probes: probeRecords,
    samples_per_second: 0,
    seconds: 0,
    steps: 0,
    total_steps: totalSteps,
    backend: opts.backend.name,
    device: opts.device,
    ...(opts.engine !== undefined ? { engine: opts.engine } : {}),
  };

  // The training batches of the whole run, produced lazily: each step's batch, rate and masks are made when the
  // backend pulls it, so the data buffers can be reused from one batch to the next.
  const stepInfo = new Map<number, { size: number; epoch: number }>();
  function* trainingBatches(): Generator<TrainBatch, void, undefined> {
    let step = 0;
    for (let epoch = 0; step < totalSteps; epoch++) {
      const order = epochOrder(trainCount, seed, epoch);
      for (const batch of batches(data.train, { batchSize: recipe.batch, order, dropLast })) {
        if (step >= totalSteps) return;
        stepInfo.set(step, { size: batch.size, epoch });
        yield {
          x: batch.x,
          y: batch.y,
          size: batch.size,
          step,
          lr: learningRate(recipe.schedule, recipe.optimizer.lr, { step, epoch, totalSteps }),
          dropoutMasks: dropoutMasks(model, seed, step, batch.size),
        };
        step++;
      }
    }
  }

  let trainer: Trainer | undefined;
  let stepsDone = 0;
  let samplesTrained = 0;
  let trainMs = 0;
  // Accumulators since the previous evaluation point.
  let lossSum = 0;
  let correctSum = 0;
  let samplesSince = 0;
  let gradSteps = 0;
  const gradSums = new Map<string, number>();
  let stop: { status: 'diverged' | 'interrupted'; message?: string; step?: number } | undefined;
  let lastProgress = Number.NEGATIVE_INFINITY;

  const sampleActivations = async (stepsNow: number) => {
    const due = activationProbes.flatMap((p, i) => (schedule.isActivationPoint(p, stepsNow) ? [i] : []));
    if (due.length === 0 || !trainer) return;
    const outputs = await trainer.activations(
      probeX,
      probeCount,
      due.map((i) => ({ layer: probeLayers[i]! })),
    );
    due.forEach((i, k) => {
      const rec = activationRecords[i]!;
      rec.steps.push(stepsNow);
      rec.values.push(percentiles(outputs[k]!, rec.percentiles));
    });
  };

  const evaluationPoint = async () => {
    if (!trainer) return;
    const result = await trainer.evaluate(evalSplit, evalBatch);
    record.history.push({
      step: stepsDone,
      epoch: stepsDone / stepsPerEpoch,
      train_loss: samplesSince > 0 ? lossSum / samplesSince : Number.NaN,
      train_accuracy: samplesSince > 0 ? correctSum / samplesSince : Number.NaN,
      val_loss: result.loss,
      val_accuracy: result.accuracy,
      seconds: (now() - started) / 1000,
    });
    opts.onEvaluation?.(record.history[record.history.length - 1]!);
    if (probeRecords.grad_norm) {
      probeRecords.grad_norm.steps.push(stepsDone);
      for (const name of trainable) {
        probeRecords.grad_norm.norms[name]!.push(gradSteps > 0 ? (gradSums.get(name) ?? 0) / gradSteps : Number.NaN);
      }
    }
    if (probeRecords.weight_norm || probeRecords.bn_stats) {
      const state = await trainer.state();
      if (probeRecords.weight_norm) {
        probeRecords.weight_norm.steps.push(stepsDone);
        const norms = tensorNorms(state, trainable);
        for (const name of trainable) probeRecords.weight_norm.norms[name]!.push(norms[name]!);
      }
      if (probeRecords.bn_stats) {
        probeRecords.bn_stats.steps.push(stepsDone);
        for (const layer of bnLayers) {
          const series = probeRecords.bn_stats.layers[layer]!;
          const mean = state[`${layer}.running_mean`];
          const variance = state[`${layer}.running_var`];
          if (!mean || !variance) throw new Error(`the backend's state has no running statistics for '${layer}'`);
          const m = meanAndStd(mean.data);
          const v = meanAndStd(variance.data);
          series.running_mean_mean.push(m.mean);
          series.running_mean_std.push(m.std);
          series.running_var_mean.push(v.mean);
          series.running_var_std.push(v.std);
        }
      }
    }
    lossSum = 0;
    correctSum = 0;
    samplesSince = 0;
    gradSteps = 0;
    gradSums.clear();
  };

  let segmentStart = 0;
  const onStep = (result: StepResult): boolean => {
    const info = stepInfo.get(result.step);
    stepInfo.delete(result.step);
    const size = info?.size ?? recipe.batch;
    stepsDone++;
    record.step_losses.push(result.loss);
    if (!Number.isFinite(result.loss)) {
      stop = {
        status: 'diverged',
        step: stepsDone,
        message: `the training loss became ${result.loss} at step ${stepsDone} (epoch ${(info?.epoch ?? 0) + 1})`,
      };
      return false;
    }
    samplesTrained += size;
    lossSum += result.loss * size;
    correctSum += result.correct;
    samplesSince += size;
    if (result.gradNorms) {
      gradSteps++;
      for (const [name, norm] of Object.entries(result.gradNorms)) gradSums.set(name, (gradSums.get(name) ?? 0) + norm);
    }
    const t = now();
    if (opts.onProgress && t - lastProgress >= PROGRESS_INTERVAL_MS) {
      lastProgress = t;
      const seconds = (trainMs + (t - segmentStart)) / 1000;
      opts.onProgress({
        epoch: info?.epoch ?? 0,
        step: stepsDone,
        totalSteps,
        loss: result.loss,
        samplesPerSecond: seconds > 0 ? samplesTrained / seconds : 0,
      });
    }
    if (opts.signal?.aborted) {
      stop = { status: 'interrupted' };
      return false;
    }
    return true;
  };

  try {
    trainer = await opts.backend.compile(model, recipe, {
      device: opts.device,
      ...(opts.engine !== undefined ? { engine: opts.engine } : {}),
      numClasses: data.train.numClasses,
      initialState: initialState(model, recipe, seed),
      gradNorms: wantGradNorm,
      maxBatch: recipe.batch,
    });
    record.backend = trainer.backend;
    record.device = trainer.device;
    if (trainer.engine !== undefined) record.engine = trainer.engine;

    await sampleActivations(0);
    const stream = trainingBatches();
    while (stepsDone < totalSteps) {
      if (opts.signal?.aborted) {
        stop = { status: 'interrupted' };
        break;
      }
      const pause = schedule.nextPause(stepsDone);
      const before = stepsDone;
      segmentStart = now();
      await trainer.train(take(stream, pause - before), { onStep });
      trainMs += now() - segmentStart;
      if (stop) break;
      if (stepsDone !== pause) {
        throw new Error(`the backend ran ${stepsDone - before} of the ${pause - before} steps it was given`);
      }
      if (schedule.isEvaluation(stepsDone)) await evaluationPoint();
      await sampleActivations(stepsDone);
    }
    if (stop) {
      record.status = stop.status;
      if (stop.message !== undefined) record.error = stop.message;
      if (stop.step !== undefined) record.diverged_at_step = stop.step;
    } else {
      const test = await trainer.evaluate(data.test, evalBatch);
      record.test = { loss: test.loss, accuracy: test.accuracy };
      if (opts.onFinalState) await opts.onFinalState(await trainer.state());
    }
  } catch (err) {
    record.status = 'failed';
    record.error = messageOf(err);
  } finally {
    if (trainer) await trainer.dispose().catch(() => undefined);
  }
  record.steps = stepsDone;
  record.samples_per_second = trainMs > 0 ? samplesTrained / (trainMs / 1000) : 0;
  record.seconds = (now() - started) / 1000;
  return record;
}
