// When a run first meets the experiment's declared target.
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
