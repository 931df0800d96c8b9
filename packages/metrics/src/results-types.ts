// The shape of results.json (schema `bnx.results/2`), snake_case as written on disk. Metrics read and
// produce these plain objects; apps/runner ships the matching JSON Schema. Non-finite numbers (a diverged
// loss) are stored as null because JSON has no NaN. Fields added in /2 are optional here, because a /1 file
// (which lacks them) is still read and rendered.

export type SweepValue = number | string | boolean;
export type RunStatus = 'completed' | 'diverged' | 'failed' | 'interrupted';

export interface HistoryPoint {
  /** Steps completed when this evaluation ran. */
  step: number;
  /** Fractional epochs completed (step * batch / training samples). */
  epoch: number;
  train_loss: number | null;
  train_accuracy: number | null;
  val_loss: number | null;
  val_accuracy: number | null;
  /** Wall-clock training seconds since the run started (evaluation time excluded where the driver can). */
  seconds: number;
}

/** One tracked activation: percentiles of a layer's pre- or post-activation values over training. */
export interface ActivationTrace {
  /** The layer as written in the probe (`last_hidden`, `dense_1`). */
  layer: string;
  /** The layer actually sampled, after resolving `layer` and `point`. */
  resolved_layer?: string;
  /** Samples in the probe batch. */
  samples?: number;
  point: 'pre_activation' | 'post_activation';
  /** The tracked percentiles, e.g. [15, 50, 85]. */
  percentiles: number[];
  /** The one unit tracked (dense feature or conv channel); absent: all units pooled. */
  unit?: number;
  steps: number[];
  /** values[i][j]: percentile j at steps[i]. */
  values: (number | null)[][];
}

/** Per-parameter L2 norms over training (gradient or weight). */
export interface NormSeries {
  steps: number[];
  /** Per parameter name (`dense_1.weight`), one value per entry of `steps`. */
  norms: Record<string, (number | null)[]>;
}

export interface RunProbes {
  activations?: ActivationTrace[];
  grad_norm?: NormSeries;
  weight_norm?: NormSeries;
  /** Batch-norm running statistics; free-form, reported as is. */
  bn_stats?: unknown;
}

export interface RunResult {
  /** The plan's run id: `<variant>__<key>=<value>...__seed=<seed>`. */
  id: string;
  variant: string;
  seed: number;
  params: Record<string, SweepValue>;
  status: RunStatus;
  /** What went wrong, for failed or diverged runs. */
  error?: string | null;
  /** Step at which the loss stopped being finite, for diverged runs. */
  diverged_at_step?: number | null;
  /** Which split the val_* numbers were measured on (the test split when the dataset has no validation). */
  eval_split?: 'validation' | 'test';
  history: HistoryPoint[];
  /** Training loss of every step, in order. */
  step_losses?: (number | null)[];
  /** Test loss and accuracy at the end of a completed run. */
  test?: { loss: number | null; accuracy: number | null } | null;
  probes: RunProbes;
  samples_per_second: number | null;
  /** Wall-clock seconds of the whole run. */
  seconds?: number;
  /** Training steps done and planned. */
  steps?: number;
  total_steps?: number;
  backend?: string;
  device?: string;
  engine?: string | null;
}

export interface VariantInfo {
  name: string;
  /** true when the variant's model contains batch normalization. */
  batchnorm: boolean;
  /** The declared model it derives from. */
  base?: string;
}

export interface TargetSpec {
  metric: 'val_accuracy' | 'val_loss' | 'train_accuracy' | 'train_loss';
  op: '>=' | '>' | '<=' | '<';
  value: number;
}

export interface MetricStat {
  mean: number | null;
  std: number | null;
  ci95: [number, number] | null;
  n: number;
  min: number | null;
  max: number | null;
  values: (number | null)[];
}

/** One variant at one sweep point: each final metric across seeds. */
export interface SummaryEntry {
  variant: string;
  params: Record<string, SweepValue>;
  seeds: number[];
  runs: number;
  diverged: number;
  failed: number;
  interrupted: number;
  metrics: Record<string, MetricStat>;
}

/** One variant at one sweep point: each curve metric across its seeds, at every evaluation step. */
export interface CurveEntry {
  variant: string;
  params: Record<string, SweepValue>;
  seeds: number[];
  /** train_loss, train_accuracy, val_loss, val_accuracy: per evaluation step, mean, std, 95% CI, n and the per-seed values. */
  metrics: Record<string, CurveStat[]>;
}

/** A metric across seeds at one evaluation step. */
export interface CurveStat extends MetricStat {
  step: number;
  /** Mean seconds at this step across the seeds that reached it. */
  seconds: number | null;
}

/**
 * The test that decided a comparison or claim (docs/statistics.md): `paired_t` and `sign_flip_exact` on per-seed
 * differences, `welch` where pairing was impossible, `permutation_exact` for unpaired seeds without spread,
 * `log_rank` / `log_rank_exact` for time to target, `none` where nothing could be tested.
 */
export type TestName = 'paired_t' | 'sign_flip_exact' | 'welch' | 'permutation_exact' | 'log_rank' | 'log_rank_exact' | 'none';

export interface Comparison {
  params: Record<string, SweepValue>;
  /** Reference variant. */
  a: string;
  /** Compared variant; difference = mean(b) - mean(a). */
  b: string;
  metric: string;
  difference: number | null;
  ci95: [number, number] | null;
  p_value: number | null;
  /** Mann-Whitney two-sided p-value (unpaired, reported for reference). */
  rank_p_value: number | null;
  /** Benjamini-Hochberg q-value over every comparison of this file (exploratory); the outcome uses it. */
  q_value?: number | null;
  /** The test behind p_value. */
  test?: TestName;
  /** Seeds with a value on both sides (the pairs of a paired test). */
  n_pairs?: number;
  n_a: number;
  n_b: number;
  /** 'b_higher' | 'b_lower' | 'no_difference' | 'inconclusive'. */
  outcome: ComparisonOutcome;
  verdict: string;
}

export type ComparisonOutcome = 'b_higher' | 'b_lower' | 'no_difference' | 'inconclusive';

export type ClaimStatus = 'supported' | 'contradicted' | 'not_shown' | 'inconclusive' | 'not_applicable';

export interface ClaimVerdict {
  /** Stable id: higher_learning_rates, init_sensitivity, small_batch_degradation, faster_convergence, activation_stability. */
  claim: string;
  title: string;
  status: ClaimStatus;
  /** One or two sentences with the numbers that decided it. */
  verdict: string;
  /** What was measured, as declared in docs/statistics.md (e.g. "steps to val_accuracy >= 0.97"). */
  endpoint?: string;
  test?: TestName;
  /** Raw two-sided p of the test; null when none could run. */
  p_value?: number | null;
  /** Holm-adjusted p over the claims of this experiment (the confirmatory family); the status uses it. */
  p_adjusted?: number | null;
  evidence: Record<string, unknown>;
}

/** Time to the declared target of one variant at one sweep point (Kaplan-Meier; never-reached runs censored). */
export interface TimeToTargetEntry {
  variant: string;
  params: Record<string, SweepValue>;
  runs: number;
  reached: number;
  fraction_reached: number;
  /** Kaplan-Meier median steps; null when fewer than half the runs reached the target. */
  median_steps: number | null;
  /** 95% interval of the median; an end is null when the band never reaches one half (not reached). */
  median_ci95: [number | null, number | null];
}

/** How the statistics were decided: the plan, its significance level and its multiplicity corrections. */
export interface AnalysisPlanInfo {
  /** Where the plan is written down. */
  document: string;
  alpha: number;
  claims_adjustment: 'holm';
  comparisons_adjustment: 'benjamini_hochberg';
}

export const RESULTS_SCHEMA = 'bnx.results/2';
export type ResultsSchemaName = 'bnx.results/1' | typeof RESULTS_SCHEMA;

export interface ResultsFile {
  schema: ResultsSchemaName;
  experiment: string;
  source_file: string;
  backend: string;
  device: string;
  engine: string | null;
  started_at: string;
  finished_at?: string | null;
  bnx_version: string;
  variants?: VariantInfo[];
  sweeps?: { key: string; values: SweepValue[] }[];
  seeds?: number[];
  target?: TargetSpec | null;
  runs: RunResult[];
  summary: SummaryEntry[];
  /** Learning curves across seeds (mean and 95% CI at every evaluation step), per variant and sweep point. */
  curves?: CurveEntry[];
  comparisons: Comparison[];
  claims?: ClaimVerdict[];
  /** Kaplan-Meier time to the declared target, per variant and sweep point (absent without a target). */
  time_to_target?: TimeToTargetEntry[];
  analysis_plan?: AnalysisPlanInfo;
}
