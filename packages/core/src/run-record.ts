// The record of one training run is defined once, in @bnx/results (JSON Schema and its types), because
// @bnx/metrics reads it and core may not import the statistics. Core re-exports the types its driver's
// signature uses; what the driver reports while a run trains is core's own.
export type {
  RunRecord,
  RunResult,
  RunStatus,
  HistoryPoint,
  RunProbes,
  ActivationTrace,
  NormSeries,
  BnStatsSeries,
  BnLayerStats,
  TestResult,
} from '@bnx/results';

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
