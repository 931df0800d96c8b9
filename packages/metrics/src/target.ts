// When a run first meets the experiment's target (or a level every variant reaches).
import type { HistoryPoint, RunResult, TargetSpec } from './results-types.js';

export function meetsTarget(point: HistoryPoint, target: TargetSpec): boolean {
  const value = point[target.metric];
  if (value === null || !Number.isFinite(value)) return false;
  switch (target.op) {
    case '>=':
      return value >= target.value;
    case '>':
      return value > target.value;
    case '<=':
      return value <= target.value;
    case '<':
      return value < target.value;
  }
}

/** Steps and seconds at the first evaluation that meets the target; null when none does. */
export function timeToTarget(run: RunResult, target: TargetSpec): { step: number; seconds: number } | null {
  for (const point of run.history) {
    if (meetsTarget(point, target)) return { step: point.step, seconds: point.seconds };
  }
  return null;
}

/**
 * Without a declared target, the "best common level": the highest validation accuracy that every run which
 * finished reached at some evaluation (the minimum over runs of each run's best). null when no run has one.
 */
export function bestCommonTarget(runs: readonly RunResult[]): TargetSpec | null {
  let level = Infinity;
  for (const run of runs) {
    if (run.status !== 'completed') continue;
    let best = -Infinity;
    for (const point of run.history) {
      if (point.val_accuracy !== null && Number.isFinite(point.val_accuracy)) best = Math.max(best, point.val_accuracy);
    }
    if (best > -Infinity) level = Math.min(level, best);
  }
  return Number.isFinite(level) ? { metric: 'val_accuracy', op: '>=', value: level } : null;
}
