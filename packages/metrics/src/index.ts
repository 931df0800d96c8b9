export type * from './results-types.js';
export { RESULTS_SCHEMA } from './results-types.js';
export { studentTQuantile, studentTTwoSidedP, studentTCdf, normalCdf, normalQuantile } from './distributions.js';
export { summarize, mean, sampleVariance, finiteValues, noSpread, RELATIVE_TOLERANCE, type SampleSummary } from './sample-summary.js';
export { welchTest, type WelchResult } from './welch.js';
export { pairedTest, signFlipPValue, MIN_PAIRS_FOR_T, SIGN_FLIP_EXACT_LIMIT, type PairedTestResult } from './paired-test.js';
export { mannWhitney, type MannWhitneyResult } from './mann-whitney.js';
export { fisherExact } from './fisher-exact.js';
export { holmAdjust, benjaminiHochberg } from './multiplicity.js';
export {
  kaplanMeier,
  logRankTest,
  LOG_RANK_EXACT_LIMIT,
  type SurvivalObservation,
  type KaplanMeierResult,
  type LogRankResult,
  type SurvivalStratum,
} from './survival.js';
export { interactionTest, type InteractionResult } from './interaction.js';
export {
  METRICS,
  COMPARED_METRICS,
  evaluationSplit,
  metricInfo,
  metricLabel,
  formatMetricValue,
  formatPlain,
  unitSuffix,
  type EvaluationSplit,
  type MetricInfo,
} from './metric-catalogue.js';
export { meetsTarget, timeToTarget } from './target.js';
export { survivalObservation, timeToTargetTable } from './time-to-target.js';
export { finalMetrics, valLossAuc } from './final-metrics.js';
export { paramsKey, describeParams, groupRuns, variantNames, type SweepPoint } from './group-runs.js';
export { summarizeRuns } from './summarize-runs.js';
export {
  compareSamples,
  testSamples,
  formatP,
  SIGNIFICANCE,
  DETECTION_POWER,
  type SampleComparison,
  type SampleTest,
  type CompareOptions,
} from './compare-samples.js';
export { compareVariants, referenceVariant } from './compare-variants.js';
export { aggregateCurve, aggregateCurves, CURVE_METRICS, type CurveMetric, type CurvePoint } from './curves.js';
export { stepTimeOverhead, type StepTimeOverhead } from './step-time.js';
export { divergenceCounts, type DivergenceCount } from './divergence.js';
export { activationDrift, type ActivationDrift } from './activation-drift.js';
export { evaluateClaims, MIN_DRIFT_REDUCTION, MIN_EVALUATIONS_FOR_SPEED, DEFAULT_QUALITY_BAR } from './claims.js';
export type { ClaimInput } from './claim-draft.js';
export { lossVariation, meanGradientNorm } from './claims-declared.js';
export { seedCountWarning, smallestAttainableP } from './power.js';
export { analyzeRuns, ANALYSIS_PLAN, ANALYSIS_PLAN_URL, type Analysis } from './analyze.js';
