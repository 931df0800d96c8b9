// results.json from its header and the runs: the statistics are always recomputed from the runs, so a
// resumed experiment and an uninterrupted one give the same file (apart from timestamps).
import { isClaimId, type ClaimId } from '@bnx/ir';
import { analyzeRuns, RESULTS_SCHEMA, type ResultsFile, type RunResult } from '@bnx/metrics';

export type ResultsHeader = Omit<ResultsFile, 'runs' | 'summary' | 'curves' | 'comparisons' | 'claims' | 'time_to_target' | 'analysis_plan'>;

/** The header's declared claims that this bnx knows (a file from a newer bnx may name more; they are left out, not guessed at). */
function declaredClaims(header: ResultsHeader): ClaimId[] | null {
  return header.declared_claims ? header.declared_claims.filter(isClaimId) : null;
}

/** Orders runs as the plan does (by the given id order, unknown ids last) and derives the statistics. */
export function buildResults(header: ResultsHeader, runs: readonly RunResult[], planOrder?: readonly string[]): ResultsFile {
  const order = new Map((planOrder ?? []).map((id, i) => [id, i]));
  const sorted = [...runs].sort((a, b) => (order.get(a.id) ?? Infinity) - (order.get(b.id) ?? Infinity));
  const analysis = analyzeRuns(sorted, { target: header.target ?? null, variants: header.variants, claims: declaredClaims(header) });
  return {
    ...header,
    // Derived statistics are always current, so the file is always the current version.
    schema: RESULTS_SCHEMA,
    runs: sorted,
    summary: analysis.summary,
    curves: analysis.curves,
    ...(header.target ? { time_to_target: analysis.timeToTarget } : {}),
    comparisons: analysis.comparisons,
    claims: analysis.claims,
    analysis_plan: analysis.plan,
  };
}

/** Re-derives the statistics of an existing file (after a metrics upgrade, or a hand edit); an older version becomes the current one. */
export function reanalyze(results: ResultsFile): ResultsFile {
  const { runs, summary: _s, curves: _cu, comparisons: _c, claims: _cl, time_to_target: _t, analysis_plan: _p, ...header } = results;
  return buildResults(
    header,
    runs,
    runs.map((r) => r.id),
  );
}
