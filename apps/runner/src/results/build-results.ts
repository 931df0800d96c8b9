// results.json from its header and the runs: the statistics are always recomputed from the runs, so a
// resumed experiment and an uninterrupted one give the same file (apart from timestamps).
import { analyzeRuns, type ResultsFile, type RunResult } from '@bnx/metrics';

export type ResultsHeader = Omit<ResultsFile, 'runs' | 'summary' | 'curves' | 'comparisons' | 'claims'>;

/** Orders runs as the plan does (by the given id order, unknown ids last) and derives the statistics. */
export function buildResults(header: ResultsHeader, runs: readonly RunResult[], planOrder?: readonly string[]): ResultsFile {
  const order = new Map((planOrder ?? []).map((id, i) => [id, i]));
  const sorted = [...runs].sort((a, b) => (order.get(a.id) ?? Infinity) - (order.get(b.id) ?? Infinity));
  const analysis = analyzeRuns(sorted, { target: header.target ?? null, variants: header.variants });
  return { ...header, runs: sorted, summary: analysis.summary, curves: analysis.curves, comparisons: analysis.comparisons, claims: analysis.claims };
}

/** Re-derives summary, curves, comparisons and claims of an existing file (after a metrics upgrade, or a hand edit). */
export function reanalyze(results: ResultsFile): ResultsFile {
  const { runs, summary: _s, curves: _cu, comparisons: _c, claims: _cl, ...header } = results;
  return buildResults(header, runs, runs.map((r) => r.id));
}
