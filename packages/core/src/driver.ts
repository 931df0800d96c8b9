// The training driver every backend runs under: it owns everything that must be the same on every backend
// (initial state, data order, batches, learning rates, dropout masks, evaluation schedule, probes) and turns
// one RunSpec into one RunRecord. Divergence, interruption and backend failures are results, recorded in the
// record's status; only mistakes in the spec itself (a model that does not check, a batch larger than the
// training set with nothing left to train on) throw BnxError.
import { BnxError, checkModelFitsSamples, layerInputShapes, paramSpecs } from '@bnx/ir';
import type { RunSpec } from '@bnx/ir';
import { batchCount, defaultDropLast } from '@bnx/data';
import type { LoadedDataset, Split } from '@bnx/data';
import type { Backend, DeviceKind, NamedArrays, StepResult, Trainer } from './backend.js';
import { batchStream, take } from './batch-stream.js';
import { initialState } from './init.js';
import { ProbeRecorder, type ActivationsProbe } from './probe-recorder.js';
import type { HistoryPoint, RunProgress, RunRecord } from './run-record.js';

export { PROBE_BATCH } from './probe-recorder.js';

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
  onEvaluation?: (entry: HistoryPoint) => void;
  /** Receives the trained parameters and buffers of a completed run before the trainer is disposed (`bnx run --export`). */
  onFinalState?: (state: NamedArrays) => void | Promise<void>;
}

/** Least time between two progress callbacks. */
const PROGRESS_INTERVAL_MS = 100;

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

  const schedule = pauseSchedule(
    totalSteps,
    stepsPerEpoch,
    recipe.evalEvery,
    probes.filter((p): p is ActivationsProbe => p.kind === 'activations'),
  );
  const trainable = paramSpecs(model, recipe)
    .filter((s) => s.trainable)
    .map((s) => s.name);
  const probeRecorder = new ProbeRecorder(model, probes, evalSplit, trainable, schedule.isActivationPoint);
  const evalBatch = opts.evalBatchSize ?? Math.max(recipe.batch, 256);

  const record: RunRecord = {
    id: spec.id,
    variant: spec.variant,
    seed,
    params: { ...spec.params },
    status: 'completed',
    eval_split: data.validation ? 'validation' : 'test',
    history: [],
    step_losses: [],
    probes: probeRecorder.records,
    samples_per_second: 0,
    seconds: 0,
    steps: 0,
    total_steps: totalSteps,
    backend: opts.backend.name,
    device: opts.device,
    ...(opts.engine !== undefined ? { engine: opts.engine } : {}),
  };
  const stream = batchStream({ train: data.train, model, recipe, seed, totalSteps, dropLast });

  let trainer: Trainer | undefined;
  let stepsDone = 0;
  let samplesTrained = 0;
  let trainMs = 0;
  // Accumulators since the previous evaluation point.
  let lossSum = 0;
  let correctSum = 0;
  let samplesSince = 0;
  let stop: { status: 'diverged' | 'interrupted'; message?: string; step?: number } | undefined;
  let lastProgress = Number.NEGATIVE_INFINITY;

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
    await probeRecorder.recordEvaluation(trainer, stepsDone);
    lossSum = 0;
    correctSum = 0;
    samplesSince = 0;
  };

  let segmentStart = 0;
  const onStep = (result: StepResult): boolean => {
    const info = stream.take(result.step);
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
    probeRecorder.recordStep(result);
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
      gradNorms: probeRecorder.wantsGradNorms,
      maxBatch: recipe.batch,
    });
    record.backend = trainer.backend;
    record.device = trainer.device;
    if (trainer.engine !== undefined) record.engine = trainer.engine;

    await probeRecorder.sampleActivations(trainer, 0);
    while (stepsDone < totalSteps) {
      if (opts.signal?.aborted) {
        stop = { status: 'interrupted' };
        break;
      }
      const pause = schedule.nextPause(stepsDone);
      const before = stepsDone;
      segmentStart = now();
      await trainer.train(take(stream.batches, pause - before), { onStep });
      trainMs += now() - segmentStart;
      if (stop) break;
      if (stepsDone !== pause) {
        throw new Error(`the backend ran ${stepsDone - before} of the ${pause - before} steps it was given`);
      }
      if (schedule.isEvaluation(stepsDone)) await evaluationPoint();
      await probeRecorder.sampleActivations(trainer, stepsDone);
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
