// Learning curves across seeds: at every evaluation step, the mean and 95% interval of a metric.
import { groupRuns } from './group-runs.js';
import type { CurveEntry, HistoryPoint, RunResult } from './results-types.js';
import { summarize, type SampleSummary } from './sample-summary.js';

export type CurveMetric = 'train_loss' | 'train_accuracy' | 'val_loss' | 'val_accuracy';

export interface CurvePoint extends SampleSummary {
  step: number;
  /** Mean seconds at this step across the seeds that reached it. */
  seconds: number | null;
}

/**
 * Aggregates one metric over runs at each evaluation step. Runs evaluate at the same steps when they share
 * a recipe; a run that stopped early (diverged) simply contributes no value to later steps, and its
 * non-finite values count as missing.
 */
export function aggregateCurve(runs: readonly RunResult[], metric: CurveMetric): CurvePoint[] {
  const byStep = new Map<number, { values: (number | null)[]; seconds: number[] }>();
  for (const run of runs) {
    const seen = new Map<number, HistoryPoint>();
    for (const point of run.history) seen.set(point.step, point);
    for (const [step, point] of seen) {
      const slot = byStep.get(step) ?? { values: [], seconds: [] };
      slot.values.push(point[metric]);
      slot.seconds.push(point.seconds);
      byStep.set(step, slot);
    }
  }
  return [...byStep.entries()]
    .sort((x, y) => x[0] - y[0])
    .map(([step, slot]) => ({
      step,
      seconds: slot.seconds.length > 0 ? slot.seconds.reduce((s, x) => s + x, 0) / slot.seconds.length : null,
      ...summarize(slot.values),
    }));
}

export const CURVE_METRICS: readonly CurveMetric[] = ['train_loss', 'train_accuracy', 'val_loss', 'val_accuracy'];

/** Every curve metric of every variant at every sweep point, aggregated across seeds step by step. */
export function aggregateCurves(runs: readonly RunResult[]): CurveEntry[] {
  return groupRuns(runs).flatMap((point) =>
    [...point.byVariant].map(([variant, list]) => ({
      variant,
      params: point.params,
      seeds: list.map((r) => r.seed),
      metrics: Object.fromEntries(CURVE_METRICS.map((metric) => [metric, aggregateCurve(list, metric)])),
    })),
  );
}
