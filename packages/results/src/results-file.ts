// results.json (schema `bnx.results/2`): every run with the statistics @bnx/metrics derives from them, as
// JSON Schema whose `Static` types are the TypeScript types of the same names. The statistics are decided as
// docs/statistics.md (the analysis plan) says.
import Type, { type Static } from 'typebox';
import { Closed, Dictionary, NullableNumber, NullableString, OrNull, Pair } from './schema-helpers.js';
import { Params, RunResult, SweepValue } from './run.js';

export const RESULTS_SCHEMA = 'bnx.results/2';
/** Every version `bnx report` reads; a bnx.results/1 file lacks what /2 added (q-values, adjusted p-values, time to target, the plan). */
export type ResultsSchemaName = 'bnx.results/1' | typeof RESULTS_SCHEMA;

/**
 * The fields `keys`, required in bnx.results/2, as optional in the type: the same types describe the
 * bnx.results/1 files `bnx report` still reads (checked against the frozen results-1.schema.json), which
 * lack them. Everything else bnx has written in every version, and both the schema and the type require it.
 */
type AddedIn2<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

const Probability = (description?: string) => NullableNumber({ minimum: 0, maximum: 1, ...(description ? { description } : {}) });
const Count = () => Type.Integer({ minimum: 0 });

export const VariantInfo = Type.Object(
  {
    name: Type.String(),
    batchnorm: Type.Boolean({ description: "true when the variant's model contains batch normalization." }),
    base: Type.Optional(Type.String({ description: 'The declared model it derives from.' })),
  },
  Closed,
);
export type VariantInfo = Static<typeof VariantInfo>;

export const TargetSpec = Type.Object(
  {
    metric: Type.Enum(['val_accuracy', 'val_loss', 'train_accuracy', 'train_loss']),
    op: Type.Enum(['>=', '>', '<=', '<']),
    value: Type.Number(),
  },
  Closed,
);
export type TargetSpec = Static<typeof TargetSpec>;

/** A 95% confidence interval, or null where none could be computed. */
export const ConfidenceInterval = OrNull(Pair(Type.Number()));

const metricStatProperties = {
  mean: NullableNumber(),
  std: NullableNumber(),
  ci95: ConfidenceInterval,
  n: Count(),
  min: NullableNumber(),
  max: NullableNumber(),
  values: Type.Array(NullableNumber()),
};

/** A metric across seeds. */
export const MetricStat = Type.Object(metricStatProperties, Closed);
export type MetricStat = Static<typeof MetricStat>;

/** One variant at one sweep point: each final metric across seeds. */
export const SummaryEntry = Type.Object(
  {
    variant: Type.String(),
    params: Params,
    seeds: Type.Array(Type.Integer()),
    runs: Count(),
    diverged: Count(),
    failed: Count(),
    interrupted: Count(),
    metrics: Dictionary(MetricStat),
  },
  Closed,
);
export type SummaryEntry = Static<typeof SummaryEntry>;

/** A metric across seeds at one evaluation step. */
export const CurveStat = Type.Object(
  {
    step: Count(),
    seconds: NullableNumber({ description: 'Mean seconds at this step across the seeds that reached it.' }),
    ...metricStatProperties,
  },
  Closed,
);
export type CurveStat = Static<typeof CurveStat>;

/** One variant at one sweep point: each curve metric across its seeds, at every evaluation step. */
export const CurveEntry = Type.Object(
  {
    variant: Type.String(),
    params: Params,
    seeds: Type.Array(Type.Integer()),
    metrics: Dictionary(Type.Array(CurveStat), { description: 'train_loss, train_accuracy, val_loss, val_accuracy: per evaluation step.' }),
  },
  Closed,
);
export type CurveEntry = Static<typeof CurveEntry>;

/**
 * The test that decided a comparison or claim (docs/statistics.md): paired_t and sign_flip_exact on per-seed
 * differences, welch where pairing was impossible, permutation_exact for unpaired seeds without spread,
 * log_rank / log_rank_exact for time to target, none where nothing could be tested.
 */
export const TestName = Type.Enum(['paired_t', 'sign_flip_exact', 'welch', 'permutation_exact', 'log_rank', 'log_rank_exact', 'none']);
export type TestName = Static<typeof TestName>;

export const ComparisonOutcome = Type.Enum(['b_higher', 'b_lower', 'no_difference', 'inconclusive']);
export type ComparisonOutcome = Static<typeof ComparisonOutcome>;

export const Comparison = Type.Object(
  {
    params: Params,
    a: Type.String({ description: 'Reference variant.' }),
    b: Type.String({ description: 'Compared variant; difference = mean(b) - mean(a).' }),
    metric: Type.String(),
    difference: NullableNumber(),
    ci95: ConfidenceInterval,
    p_value: Probability(),
    rank_p_value: Probability('Mann-Whitney two-sided p-value (unpaired, reported for reference).'),
    q_value: Probability('Benjamini-Hochberg q-value over every comparison of the file (exploratory); the outcome uses it.'),
    test: Type.Enum(TestName.enum, { description: 'The test behind p_value.' }),
    n_pairs: Type.Optional(Type.Integer({ minimum: 0, description: 'Seeds with a value on both sides (pairs of a paired test).' })),
    smallest_possible_p: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1,
        description: 'Smallest p the test could give at this sample size (0 for t-tests); at or above 0.05 nothing can be decided.',
      }),
    ),
    n_a: Count(),
    n_b: Count(),
    outcome: ComparisonOutcome,
    verdict: Type.String({ minLength: 1 }),
  },
  Closed,
);
export type Comparison = AddedIn2<Static<typeof Comparison>, 'q_value' | 'test'>;

export const ClaimStatus = Type.Enum(['supported', 'contradicted', 'not_shown', 'inconclusive', 'not_applicable']);
export type ClaimStatus = Static<typeof ClaimStatus>;

export const ClaimVerdict = Type.Object(
  {
    claim: Type.String({
      description:
        "Stable id from @bnx/ir's claim catalogue: higher_learning_rates, init_sensitivity, small_batch_degradation, deeper_networks, faster_convergence, activation_stability, regularization, smoother_optimization, train_inference_gap, step_cost.",
    }),
    title: Type.String(),
    status: ClaimStatus,
    verdict: Type.String({ description: 'One or two sentences with the numbers that decided it.' }),
    endpoint: Type.String({ description: 'What was measured, declared before the data (docs/statistics.md).' }),
    test: TestName,
    p_value: Probability('Raw two-sided p of the test.'),
    p_adjusted: Probability('Holm-adjusted p over the claims of the experiment; the status uses it.'),
    finding: Type.Optional(Type.String({ description: 'What was found, without numbers (supported, contradicted, not shown).' })),
    observed: Type.Optional(Type.String({ description: 'The measured numbers behind the verdict.' })),
    untested_reason: Type.Optional(NullableString({ description: 'Why nothing was tested; null when a test ran.' })),
    n_seeds: Type.Optional(Type.Integer({ minimum: 0, description: 'Seeds the test used (pairs; for log-rank, the seeds of the runs).' })),
    smallest_possible_p: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1,
        description: 'Smallest p the test could give at this sample size (0 for t-tests); at or above 0.05 nothing can be decided.',
      }),
    ),
    detectable_effect: Type.Optional(
      NullableString({ description: 'The smallest effect the test would have detected with 80% power; null when it cannot say.' }),
    ),
    evidence: Type.Unsafe<Record<string, unknown>>({ type: 'object' }),
  },
  Closed,
);
export type ClaimVerdict = AddedIn2<Static<typeof ClaimVerdict>, 'endpoint' | 'test' | 'p_value' | 'p_adjusted'>;

/** Time to the declared target of one variant at one sweep point (Kaplan-Meier; never-reached runs censored). */
export const TimeToTargetEntry = Type.Object(
  {
    variant: Type.String(),
    params: Params,
    runs: Count(),
    reached: Count(),
    fraction_reached: Type.Number({ minimum: 0, maximum: 1 }),
    median_steps: NullableNumber({ description: 'Kaplan-Meier median steps; null when fewer than half the runs reached the target.' }),
    median_ci95: Pair(NullableNumber()),
  },
  Closed,
);
export type TimeToTargetEntry = Static<typeof TimeToTargetEntry>;

/** How the statistics were decided: the plan, its significance level and its multiplicity corrections. */
export const AnalysisPlanInfo = Type.Object(
  {
    document: Type.String({ description: 'Where the plan is written down.' }),
    alpha: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 }),
    claims_adjustment: Type.Literal('holm'),
    comparisons_adjustment: Type.Literal('benjamini_hochberg'),
  },
  Closed,
);
export type AnalysisPlanInfo = Static<typeof AnalysisPlanInfo>;

export const ResultsFile = Type.Object(
  {
    schema: Type.Literal(RESULTS_SCHEMA),
    experiment: Type.String({ minLength: 1 }),
    source_file: Type.String(),
    backend: Type.String(),
    device: Type.String(),
    engine: NullableString(),
    started_at: Type.String({ format: 'date-time' }),
    finished_at: Type.Optional(NullableString()),
    bnx_version: Type.String(),
    variants: Type.Optional(Type.Array(VariantInfo)),
    sweeps: Type.Optional(Type.Array(Type.Object({ key: Type.String(), values: Type.Array(SweepValue) }, Closed))),
    seeds: Type.Optional(Type.Array(Type.Integer())),
    target: Type.Optional(OrNull(TargetSpec)),
    declared_claims: Type.Optional(
      OrNull(Type.Array(Type.String()), {
        description:
          "The file's `claims: [...]`, the experiment's whole confirmatory family; null or absent: every claim tested by default that the runs can speak to.",
      }),
    ),
    runs: Type.Array(RunResult),
    summary: Type.Array(SummaryEntry),
    curves: Type.Optional(
      Type.Array(CurveEntry, {
        description:
          'Learning curves across seeds: per variant and sweep point, each of train_loss, train_accuracy, val_loss, val_accuracy at every evaluation step, with mean, std, 95% CI, n and the per-seed values.',
      }),
    ),
    comparisons: Type.Array(Comparison),
    claims: Type.Optional(Type.Array(ClaimVerdict)),
    time_to_target: Type.Optional(
      Type.Array(TimeToTargetEntry, {
        description: 'Kaplan-Meier time to the declared target per variant and sweep point: runs that never reached it are censored, not dropped.',
      }),
    ),
    analysis_plan: Type.Optional(AnalysisPlanInfo),
  },
  {
    ...Closed,
    title: `bnx results (${RESULTS_SCHEMA})`,
    description:
      'Everything `bnx run` measured for one experiment: every run with its history, and the statistics derived from them. Numbers that are not finite (a diverged loss) are null. The statistics are decided as docs/statistics.md (the analysis plan) says; bnx.results/1 files (without q-values, adjusted p-values, time to target and the plan) are still read by `bnx report`.',
  },
);
/** The contents of results.json, of this version or of the older ones `bnx report` reads. */
export type ResultsFile = Omit<Static<typeof ResultsFile>, 'schema' | 'comparisons' | 'claims'> & {
  schema: ResultsSchemaName;
  comparisons: Comparison[];
  claims?: ClaimVerdict[];
};
