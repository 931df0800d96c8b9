// The record of one training run, as @bnx/core's driver writes it and as it is stored: the `runs[]` entry of
// results.json and the content of runs/<id>.json (snake_case, plain JSON data). Each schema below is JSON
// Schema and, through `Static`, the TypeScript type of the same name. Non-finite numbers (the loss of a
// diverged step) are NaN/Infinity in memory and null on disk (JSON.stringify writes them so), which is why
// the numeric fields admit null.
import Type, { type Static } from 'typebox';
import { Closed, Dictionary, NullableInteger, NullableNumber, NullableString, OrNull } from './schema-helpers.js';

/** A sweep's value (`lr: 0.1`, `init: he`, `bn: true`); @bnx/ir's SweepValue, which must not depend on npm. */
export const SweepValue = Type.Unsafe<number | string | boolean>({ type: ['number', 'string', 'boolean'] });
export type SweepValue = Static<typeof SweepValue>;

/** The sweep point of a run: sweep key to value. */
export const Params = Dictionary(SweepValue);
export type Params = Static<typeof Params>;

export const RunStatus = Type.Enum(['completed', 'diverged', 'failed', 'interrupted']);
export type RunStatus = Static<typeof RunStatus>;

const Accuracy = (options: { description?: string } = {}) => NullableNumber({ minimum: 0, maximum: 1, ...options });

/** One evaluation point. */
export const HistoryPoint = Type.Object(
  {
    step: Type.Integer({ minimum: 0, description: 'Training steps done so far (counted from 1 after the first step).' }),
    epoch: Type.Number({ minimum: 0, description: 'Epochs done so far: steps / steps-per-epoch, fractional when the evaluation falls inside an epoch.' }),
    train_loss: NullableNumber({
      description:
        "Mean training loss over the samples of the steps since the previous evaluation point, in training mode with the weights as they were at each step (the running mean Keras's fit reports), not a re-evaluation of the training set.",
    }),
    train_accuracy: Accuracy({ description: 'Mean training accuracy, measured as train_loss is.' }),
    val_loss: NullableNumber({ description: "On the validation split, or on the test split when the dataset declares none (see the run's eval_split)." }),
    val_accuracy: Accuracy(),
    seconds: Type.Number({ minimum: 0, description: 'Wall-clock seconds since the run started (training, evaluation and probes).' }),
  },
  Closed,
);
export type HistoryPoint = Static<typeof HistoryPoint>;

/** `activations` probe: percentiles of one layer's output over a fixed probe batch, through training. */
export const ActivationTrace = Type.Object(
  {
    layer: Type.String({ description: 'The layer as written in the probe (last_hidden, dense_1).' }),
    point: Type.Enum(['pre_activation', 'post_activation']),
    percentiles: Type.Array(Type.Number({ minimum: 0, maximum: 100 }), { description: 'The requested percentiles, in 0..100.' }),
    steps: Type.Array(Type.Integer(), { description: 'Steps at which it was sampled; 0 is the initial state.' }),
    values: Type.Array(Type.Array(NullableNumber()), {
      description: "values[i][j]: percentile j at steps[i], linear interpolation between order statistics (numpy's default).",
    }),
    resolved_layer: Type.Optional(Type.String({ description: 'The layer whose output was sampled, after resolving layer and point.' })),
    unit: Type.Optional(
      Type.Integer({ minimum: 0, description: 'The one unit tracked (dense feature or conv channel); absent: all units of the layer pooled.' }),
    ),
    samples: Type.Optional(Type.Integer({ minimum: 0, description: 'Samples in the probe batch (the first up to 256 of the evaluation split).' })),
  },
  Closed,
);
export type ActivationTrace = Static<typeof ActivationTrace>;

/** Per-parameter L2 norms at each evaluation point (gradient or weight). */
export const NormSeries = Type.Object(
  {
    steps: Type.Array(Type.Integer()),
    norms: Dictionary(Type.Array(NullableNumber()), { description: 'Per parameter name (dense_1.weight), one value per entry of steps.' }),
  },
  Closed,
);
export type NormSeries = Static<typeof NormSeries>;

/** One batch-norm layer's running statistics, summarized over its channels, one value per probe step. */
export const BnLayerStats = Type.Object(
  {
    running_mean_mean: Type.Array(NullableNumber(), { description: 'Mean over channels of running_mean.' }),
    running_mean_std: Type.Array(NullableNumber(), { description: 'Standard deviation over channels (population) of running_mean.' }),
    running_var_mean: Type.Array(NullableNumber()),
    running_var_std: Type.Array(NullableNumber()),
  },
  Closed,
);
export type BnLayerStats = Static<typeof BnLayerStats>;

export const BnStatsSeries = Type.Object(
  {
    steps: Type.Array(Type.Integer()),
    layers: Dictionary(BnLayerStats, { description: 'Per batchnorm layer name.' }),
  },
  Closed,
);
export type BnStatsSeries = Static<typeof BnStatsSeries>;

export const RunProbes = Type.Object(
  {
    activations: Type.Optional(Type.Array(ActivationTrace)),
    grad_norm: Type.Optional(NormSeries),
    weight_norm: Type.Optional(NormSeries),
    bn_stats: Type.Optional(BnStatsSeries),
  },
  {
    ...Closed,
    description:
      'grad_norm: gradient L2 norm per parameter, averaged over the steps since the previous evaluation point; weight_norm: parameter L2 norm per parameter at each evaluation point.',
  },
);
export type RunProbes = Static<typeof RunProbes>;

export const TestResult = Type.Object(
  {
    loss: NullableNumber(),
    accuracy: Accuracy(),
  },
  Closed,
);
export type TestResult = Static<typeof TestResult>;

/**
 * A run as results.json stores it. The fields after `samples_per_second` are optional because bnx.results/1
 * files lack some of them; @bnx/core's driver writes all of them but error, diverged_at_step, test and engine
 * (see RunRecord).
 */
export const RunResult = Type.Object(
  {
    id: Type.String({ minLength: 1, description: "The plan's run id: <variant>__<key>=<value>...__seed=<seed>." }),
    variant: Type.String({ minLength: 1 }),
    seed: Type.Integer(),
    params: Params,
    status: RunStatus,
    history: Type.Array(HistoryPoint),
    test: Type.Optional(OrNull(TestResult, { description: 'Test loss and accuracy at the end of a completed run.' })),
    probes: RunProbes,
    samples_per_second: NullableNumber({ minimum: 0, description: 'Training samples per second, training steps only (evaluation and probes excluded).' }),
    diverged_at_step: Type.Optional(NullableInteger({ description: 'The step whose loss was not finite, for diverged runs.' })),
    error: Type.Optional(NullableString({ description: 'Why the run failed or diverged, in words.' })),
    eval_split: Type.Optional(Type.Enum(['validation', 'test'], { description: 'Which split val_loss and val_accuracy were measured on.' })),
    step_losses: Type.Optional(Type.Array(NullableNumber(), { description: 'Training loss of every step, in order (step i+1 at index i).' })),
    seconds: Type.Optional(Type.Number({ minimum: 0, description: 'Wall-clock seconds of the whole run, compilation included.' })),
    steps: Type.Optional(Type.Integer({ minimum: 0, description: 'Training steps done.' })),
    total_steps: Type.Optional(Type.Integer({ minimum: 0, description: 'Training steps planned.' })),
    backend: Type.Optional(Type.String()),
    device: Type.Optional(Type.String()),
    engine: Type.Optional(NullableString()),
  },
  Closed,
);
export type RunResult = Static<typeof RunResult>;

/** The fields of RunResult that the driver always writes (a bnx.results/1 file may lack them). */
type AlwaysWritten = 'eval_split' | 'step_losses' | 'seconds' | 'steps' | 'total_steps' | 'backend' | 'device';

/** A value as held in memory before it is written: no null anywhere (a non-finite number is NaN, which JSON.stringify writes as null). */
type InMemory<T> = T extends null ? never : T extends readonly (infer Item)[] ? InMemory<Item>[] : T extends object ? { [K in keyof T]: InMemory<T[K]> } : T;

/** The record @bnx/core's driver produces for one run: a RunResult in memory, with every field of this version present. */
export type RunRecord = InMemory<Omit<RunResult, AlwaysWritten> & Required<Pick<RunResult, AlwaysWritten>>>;
