// The shape of results.json is defined once, in @bnx/results (JSON Schema and its types, shared with
// @bnx/core's driver, which writes the run records these statistics read). Metrics re-exports the types
// it reads and produces, which are its API.
export type {
  SweepValue,
  RunStatus,
  HistoryPoint,
  ActivationTrace,
  NormSeries,
  BnLayerStats,
  BnStatsSeries,
  RunProbes,
  TestResult,
  RunResult,
  VariantInfo,
  TargetSpec,
  MetricStat,
  SummaryEntry,
  CurveEntry,
  CurveStat,
  TestName,
  Comparison,
  ComparisonOutcome,
  ClaimStatus,
  ClaimVerdict,
  TimeToTargetEntry,
  AnalysisPlanInfo,
  ResultsSchemaName,
  ResultsFile,
} from '@bnx/results';
export { RESULTS_SCHEMA } from '@bnx/results';
