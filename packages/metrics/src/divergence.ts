// How many runs of each variant diverged (loss became NaN or infinite), per sweep point.
import { groupRuns } from './group-runs.js';
import type { RunResult, SweepValue } from './results-types.js';

export interface DivergenceCount {
  params: Record<string, SweepValue>;
  variant: string;
  diverged: number;
  runs: number;
  /** Steps at which the diverged runs stopped. */
  atSteps: number[];
}

export function divergenceCounts(runs: readonly RunResult[]): DivergenceCount[] {
  const out: DivergenceCount[] = [];
  for (const point of groupRuns(runs)) {
    for (const [variant, list] of point.byVariant) {
      const diverged = list.filter((r) => r.status === 'diverged');
      out.push({
        params: point.params,
        variant,
        diverged: diverged.length,
        runs: list.length,
        atSteps: diverged.map((r) => r.diverged_at_step ?? r.history[r.history.length - 1]?.step ?? 0),
      });
    }
  }
  return out;
}
