// The record of one training run: the `runs[]` entry of results.json (snake_case, plain JSON data).
// Non-finite numbers (the loss of a diverged step) are kept as NaN/Infinity in memory; JSON.stringify writes
// them as null.
import type { SweepValue } from '@bnx/ir';
import type { DeviceKind } from './backend.js';

export type RunStatus = 'completed' | 'diverged' | 'failed' | 'interrupted';

/** One evaluation point. */
export interface HistoryEntry {
  /** Training steps done so far (global, counted from 1 after the first step). */
  step: number;
  /** Epochs done so far: steps / steps-per-epoch, fractional when the evaluation falls inside an epoch. */
  epoch: number;
  /**
   * Mean training loss and accuracy over the samples of the steps since the previous evaluation point, in
   * training mode with the weights as they were at each step (Keras's `fit` reports the same running mean),
   * NOT a re-evaluation of the training set at this point.
   */
  train_loss: number;
  train_accuracy: number;
  /** On the validation split, or on the test split when the dataset declares no validation (see `eval_split`). */
  val_loss: number;
  val_accuracy: number;
  /** Wall-clock seconds since the run started (training, evaluation and probes). */
  seconds: number;
}

export interface TestResult {
  loss: number;
  accuracy: number;
}

/** `activations` probe: percentiles of one layer's output over a fixed probe batch, through training. */
export interface ActivationsProbeRecord {
  /** The layer as written in the probe (`last_hidden`, `dense_1`). */
  layer: string;
  /** The layer whose output was sampled, after resolving `layer` and `point`. */
  resolved_layer: string;
  point: 'pre_activation' | 'post_activation';
  /** The requested percentiles, in 0..100. */
  percentiles: number[];
  /** The one unit (dense feature or conv channel) tracked; absent: all units of the layer pooled. */
  unit?: number;
  /** Samples in the probe batch (the first up to 256 of the evaluation split). */
  samples: number;
  /** Steps at which it was sampled; 0 is the initial state. */
  steps: number[];
  /** values[i][j]: percentile j at steps[i], linear interpolation between order statistics (numpy's default). */
  values: number[][];
}

/** Per-tensor norms at each evaluation point. */
export interface NormProbeRecord {
  steps: number[];
  /** Per parameter name (`dense_1.weight`), one value per entry of `steps`. */
  norms: Record<string, number[]>;
}

export interface BnLayerStats {
  /** Mean over channels of running_mean, and its standard deviation over channels (population). */
  running_mean_mean: number[];
  running_mean_std: number[];
  running_var_mean: number[];
  running_var_std: number[];
}

export interface BnStatsProbeRecord {
  steps: number[];
  /** Per batchnorm layer name, one value per entry of `steps` in each series. */
  layers: Record<string, BnLayerStats>;
}

export interface ProbeRecords {
  activations?: ActivationsProbeRecord[];
  /** Gradient L2 norm per parameter, averaged over the steps since the previous evaluation point. */
  grad_norm?: NormProbeRecord;
  /** Parameter L2 norm per parameter at each evaluation point. */
  weight_norm?: NormProbeRecord;
  bn_stats?: BnStatsProbeRecord;
}

export interface RunRecord {
  id: string;
  variant: string;
  seed: number;
  params: Record<string, SweepValue>;
  status: RunStatus;
  /** Why the run failed or diverged, in words. */
  error?: string;
  /** The step whose loss was not finite, for `diverged` runs. */
  diverged_at_step?: number;
  /** Which split `val_loss`/`val_accuracy` were measured on. */
  eval_split: 'validation' | 'test';
  history: HistoryEntry[];
  /** Training loss of every step, in order (step i+1 at index i). */
  step_losses: number[];
  /** Test loss and accuracy at the end of a completed run. */
  test?: TestResult;
  probes: ProbeRecords;
  /** Training samples per second, training steps only (evaluation and probes excluded). */
  samples_per_second: number;
  /** Wall-clock seconds of the whole run, compilation included. */
  seconds: number;
  /** Training steps done and planned. */
  steps: number;
  total_steps: number;
  backend: string;
  device: DeviceKind | 'auto';
  engine?: string;
}

/** What the driver reports while a run trains (at most about every 100 ms). */
export interface RunProgress {
  /** 0-based epoch of the latest step. */
  epoch: number;
  /** Steps done. */
  step: number;
  totalSteps: number;
  /** Loss of the latest step. */
  loss: number;
  /** Training samples per second so far. */
  samplesPerSecond: number;
}
