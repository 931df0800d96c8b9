// The bnx IR: plain, serialisable data (JSON round-trips it unchanged). No classes, no functions, no cycles.
// Everything a backend, the data loader or the driver needs is here, fully resolved: defaults are filled in,
// `repeat` is unrolled, `with batchnorm(...)` has been applied, names are resolved, paths are absolute.
import type { ClaimId } from './claims.js';

// ---------------------------------------------------------------------------------------------------------
// Source positions and diagnostics

/** 1-based line and column, 0-based character offset, as an editor shows them. */
export interface SourcePosition {
  line: number;
  column: number;
  offset: number;
}

/** A half-open range [start, end) in one file. */
export interface SourceRange {
  file: string;
  start: SourcePosition;
  end: SourcePosition;
}

/**
 * Where an IR node came from: the node's own range and, per field, the range of the value that set it, so a
 * diagnostic about `batch: -5` can point at `-5` and one about `dropout(1.5)` at `1.5`.
 */
export interface NodeLocation {
  range: SourceRange;
  fields?: Record<string, SourceRange>;
}

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  severity: Severity;
  /** Stable code such as `E0301`; documented in the @bnx/ir README. */
  code: string;
  message: string;
  range?: SourceRange;
  /** An extra line such as "did you mean 'dense'?" or "declared here". */
  hint?: string;
  related?: { message: string; range: SourceRange }[];
}

// ---------------------------------------------------------------------------------------------------------
// Initializers

export type Initializer =
  | { kind: 'glorot_uniform' }
  | { kind: 'glorot_normal' }
  | { kind: 'he_normal' }
  | { kind: 'he_uniform' }
  | { kind: 'lecun_normal' }
  | { kind: 'lecun_uniform' }
  | { kind: 'normal'; std: number; mean?: number }
  | { kind: 'uniform'; limit: number }
  | { kind: 'zeros' }
  | { kind: 'ones' }
  | { kind: 'torch_default' };

export type InitializerKind = Initializer['kind'];

// ---------------------------------------------------------------------------------------------------------
// Layers (the op catalogue in ops.ts describes each op's attributes, parameters and shape rule)

interface LayerBase {
  /** Unique within the model, stable, readable: `dense_1`, `bn_2`, `relu_3`. Parameters are named `<name>.<param>`. */
  name: string;
  loc?: NodeLocation;
}

export interface DenseLayer extends LayerBase {
  op: 'dense';
  units: number;
  /** null: the recipe's `init:` (or glorot_uniform) applies. */
  init: Initializer | null;
  bias: boolean;
}

export interface Conv2dLayer extends LayerBase {
  op: 'conv2d';
  filters: number;
  kernel: [number, number];
  stride: [number, number];
  padding: 'same' | 'valid';
  init: Initializer | null;
  bias: boolean;
}

export interface PoolLayer extends LayerBase {
  op: 'maxpool' | 'avgpool';
  size: [number, number];
  /** Defaults to size. */
  stride: [number, number];
}

export interface FlattenLayer extends LayerBase {
  op: 'flatten';
}

export interface DropoutLayer extends LayerBase {
  op: 'dropout';
  /** Probability of dropping a unit, in [0, 1). Inverted dropout: kept units are scaled by 1/(1-rate). */
  rate: number;
}

export interface BatchNormLayer extends LayerBase {
  op: 'batchnorm';
  /** Weight of the NEW batch statistic (PyTorch meaning): running = (1-momentum)*running + momentum*batch. */
  momentum: number;
  epsilon: number;
  /** Variance kept in the running statistic; normalization always uses the biased batch variance. */
  runningVar: 'unbiased' | 'biased';
  /** Learnable scale (gamma, init 1) and shift (beta, init 0). */
  affine: boolean;
}

/**
 * Layer normalization (Ba et al. 2016): each sample normalized over all its features, (F) or (C, H, W), with
 * its own mean and biased variance; then a learnable per-channel scale and shift. Same in training and
 * evaluation; no running statistics. On (C, H, W) it is groupnorm with one group.
 */
export interface LayerNormLayer extends LayerBase {
  op: 'layernorm';
  epsilon: number;
  /** Learnable per-channel scale (gamma, init 1) and shift (beta, init 0). */
  affine: boolean;
}

/**
 * Group normalization (Wu & He 2018): the channels of each sample split into `groups` groups of consecutive
 * channels, each group normalized over its channels (and H, W) with its own mean and biased variance; then a
 * learnable per-channel scale and shift. `groups: 1` is layer norm, `groups: C` instance norm.
 */
export interface GroupNormLayer extends LayerBase {
  op: 'groupnorm';
  /** Divides the channel count. */
  groups: number;
  epsilon: number;
  affine: boolean;
}

export interface ActivationLayer extends LayerBase {
  op: 'relu' | 'sigmoid' | 'tanh' | 'softmax';
}

export interface LeakyReluLayer extends LayerBase {
  op: 'leaky_relu';
  /** Slope for x < 0 (Keras default 0.3, PyTorch 0.01; bnx default 0.01). */
  alpha: number;
}

export interface EluLayer extends LayerBase {
  op: 'elu';
  alpha: number;
}

export type Layer =
  | DenseLayer
  | Conv2dLayer
  | PoolLayer
  | FlattenLayer
  | DropoutLayer
  | BatchNormLayer
  | LayerNormLayer
  | GroupNormLayer
  | ActivationLayer
  | LeakyReluLayer
  | EluLayer;

export type LayerOp = Layer['op'];

/** A sequential network. Data is channels-first: a sample is (C, H, W) for images, (F) for vectors. */
export interface ModelIR {
  name: string;
  /** Sample shape as written in `input(...)`, without the batch axis. */
  input: number[];
  layers: Layer[];
  loc?: NodeLocation;
}

// ---------------------------------------------------------------------------------------------------------
// Datasets

export type DataSource =
  | { kind: 'mnist' }
  | { kind: 'fashion_mnist' }
  | { kind: 'idx'; trainImages: string; trainLabels: string; testImages: string; testLabels: string }
  | { kind: 'cifar10'; dir: string }
  | { kind: 'csv'; file: string; label: string }
  | { kind: 'synthetic'; shape: 'blobs' | 'spirals'; samples: number; features: number; classes: number };

export type Preprocess =
  | { op: 'scale'; factor: number; loc?: NodeLocation }
  | { op: 'normalize'; mean: number | number[]; std: number | number[]; loc?: NodeLocation }
  | { op: 'standardize'; loc?: NodeLocation }
  | { op: 'flatten'; loc?: NodeLocation };

export interface DatasetIR {
  name: string;
  source: DataSource;
  /** Held out from the training set, seeded. Absent: no validation split. */
  validation?: { count: number } | { fraction: number };
  /** Use only the first N training samples (after the seeded shuffle). */
  subset?: number;
  preprocess: Preprocess[];
  loc?: NodeLocation;
}

// ---------------------------------------------------------------------------------------------------------
// Training recipes

export type Optimizer =
  | { kind: 'sgd'; lr: number; momentum: number; nesterov: boolean; weightDecay: number }
  | { kind: 'adam'; lr: number; beta1: number; beta2: number; epsilon: number; weightDecay: number }
  | { kind: 'rmsprop'; lr: number; rho: number; momentum: number; epsilon: number };

export type Schedule =
  | { kind: 'constant' }
  /** lr * gamma^floor(epoch / every), epoch counted from 0 (PyTorch StepLR stepped once per epoch). */
  | { kind: 'step'; every: number; gamma: number }
  /** lr * (1 + cos(pi * step / totalSteps)) / 2, per step, down to 0 at the last step. */
  | { kind: 'cosine' };

export type Loss = 'cross_entropy' | 'mse';

export interface TrainIR {
  name: string;
  optimizer: Optimizer;
  loss: Loss;
  /** Exactly one of epochs and steps is set after validation. */
  epochs?: number;
  steps?: number;
  batch: number;
  schedule: Schedule;
  /** Evaluate every N steps; absent: at the end of each epoch. */
  evalEvery?: number;
  /** Default initializer for layers that name none (absent: glorot_uniform for weights). */
  init?: Initializer;
  /** Factor applied to every initial weight (not to biases, BN gamma/beta). */
  initScale: number;
  loc?: NodeLocation;
}

// ---------------------------------------------------------------------------------------------------------
// Experiments

export type Probe =
  | {
      kind: 'activations';
      /** A layer name of the variant's model, or `last_hidden` (the last hidden dense/conv layer). */
      layer: string;
      point: 'pre_activation' | 'post_activation';
      percentiles: number[];
      /** Steps between samples; absent: at every evaluation. */
      every?: number;
      /** Track one unit (a dense feature, or a conv channel over its positions), as Ioffe & Szegedy's Figure 1 does; absent: all units pooled. */
      unit?: number;
      loc?: NodeLocation;
    }
  | { kind: 'grad_norm'; loc?: NodeLocation }
  | { kind: 'weight_norm'; loc?: NodeLocation }
  | { kind: 'bn_stats'; loc?: NodeLocation };

export type TargetMetric = 'val_accuracy' | 'val_loss' | 'train_accuracy' | 'train_loss';

export interface Target {
  metric: TargetMetric;
  op: '>=' | '>' | '<=' | '<';
  value: number;
  loc?: NodeLocation;
}

/** Where `MODEL with batchnorm(...)` (or layernorm, groupnorm) puts the normalization layers it inserts. */
export interface TransformPlacement {
  placement: 'before_activation' | 'after_activation';
  input: boolean;
  keepBias: boolean;
}

/** How a variant's model was derived with `MODEL with batchnorm(...)`. */
export interface BatchNormTransform extends TransformPlacement {
  op: 'batchnorm';
  momentum: number;
  epsilon: number;
  runningVar: 'unbiased' | 'biased';
  affine: boolean;
}

/** `MODEL with layernorm(...)`. */
export interface LayerNormTransform extends TransformPlacement {
  op: 'layernorm';
  epsilon: number;
  affine: boolean;
}

/** `MODEL with groupnorm(groups: G, ...)`. */
export interface GroupNormTransform extends TransformPlacement {
  op: 'groupnorm';
  groups: number;
  epsilon: number;
  affine: boolean;
}

/** The normalized twin of a model: the op inserted, its attributes and where it goes. */
export type NormTransform = BatchNormTransform | LayerNormTransform | GroupNormTransform;

/** The variant's model built with one combination of the swept model parameters' values. */
export interface ModelInstance {
  /** The swept model parameters and their values at this instance, keyed as in the file (`depth`). */
  params: Record<string, number>;
  model: ModelIR;
}

export interface VariantIR {
  name: string;
  /** The declared model the variant starts from. */
  base: string;
  transform?: NormTransform;
  /** The resolved model, transform applied, with the variant's parameter values. */
  model: ModelIR;
  /** `model mlp(depth: 2)`: every parameter the base model declares, with the value this variant uses. */
  modelParams?: Record<string, number>;
  /** When the experiment sweeps model parameters: the model at every combination of their values. */
  instances?: ModelInstance[];
  loc?: NodeLocation;
}

/** The record of a run stores it too (@bnx/results' SweepValue, a JSON Schema; core's run-record test checks that the two agree). */
export type SweepValue = number | string | boolean;

/** A whole recipe setting written as a call, swept as one value: `sweep optimizer: [sgd(lr: 0.1), adam(lr: 1e-3)]`. */
export type SweepSetting = Optimizer | Schedule | Initializer;

export interface SweepIR {
  /** A train entry (`batch`, `epochs`, `init_scale`, `optimizer`, ...), an optimizer argument (`lr`, `momentum`, ...). */
  key: string;
  /** The values as runs are named and reported: numbers, names, booleans, or a call's text (`adam(lr: 1e-3)`). */
  values: SweepValue[];
  /** For a sweep over `optimizer`, `schedule` or `init` written as calls: the setting each value stands for. */
  settings?: SweepSetting[];
  loc?: NodeLocation;
}

export interface ExperimentIR {
  name: string;
  data: string;
  train: string;
  variants: VariantIR[];
  seeds: number[];
  sweeps: SweepIR[];
  probes: Probe[];
  target?: Target;
  /**
   * `claims: [...]`: the claims the experiment declares, which are then its whole confirmatory family (declared
   * before the data, each tested even where the data cannot decide it). Absent: every claim tested by default
   * whose instrument the experiment has (see CLAIMS).
   */
  claims?: ClaimId[];
  loc?: NodeLocation;
}

/** Everything one `.bnx` file (with its imports) declares. */
export interface ProgramIR {
  /** Absolute path of the root file. */
  file: string;
  datasets: DatasetIR[];
  models: ModelIR[];
  trains: TrainIR[];
  experiments: ExperimentIR[];
}

// ---------------------------------------------------------------------------------------------------------
// Plans: an experiment expanded into fully resolved runs

export interface RunSpec {
  /** Stable and filesystem-safe: `<variant>__<key>=<value>...__seed=<seed>`. */
  id: string;
  experiment: string;
  variant: string;
  seed: number;
  /** The sweep values of this run, keyed as in the file (`batch`, `lr`). */
  params: Record<string, SweepValue>;
  dataset: DatasetIR;
  model: ModelIR;
  /** The recipe with this run's sweep values and overrides applied. */
  train: TrainIR;
  probes: Probe[];
  target?: Target;
}

export interface PlanIR {
  experiment: string;
  sourceFile: string;
  variants: string[];
  seeds: number[];
  sweeps: SweepIR[];
  runs: RunSpec[];
  /** The experiment's declared claims, or null for the default family. Not part of any run: changing it re-decides finished runs. */
  claims: ClaimId[] | null;
}
