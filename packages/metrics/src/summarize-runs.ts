// The summary table: every final metric of every variant at every sweep point, across seeds.
import { finalMetrics } from './final-metrics.js';
import { groupRuns } from './group-runs.js';
import type { MetricStat, RunResult, SummaryEntry, TargetSpec } from './results-types.js';
import { summarize } from './sample-summary.js';

export function summarizeRuns(runs: readonly RunResult[], target: TargetSpec | null): SummaryEntry[] {
  const entries: SummaryEntry[] = [];
  for (const point of groupRuns(runs)) {
    for (const [variant, list] of point.byVariant) {
      const finals = list.map((run) => finalMetrics(run, target));
      const names = Object.keys(finals[0] ?? {});
      const metrics: Record<string, MetricStat> = {};
      for (const name of names) metrics[name] = summarize(finals.map((f) => f[name] ?? null));
      entries.push({
        variant,
        params: point.params,
        seeds: list.map((r) => r.seed),
        runs: list.length,
        diverged: list.filter((r) => r.status === 'diverged').length,
        failed: list.filter((r) => r.status === 'failed').length,
        interrupted: list.filter((r) => r.status === 'interrupted').length,
        metrics,
      });
    }
  }
  return entries;
}
