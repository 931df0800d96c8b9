// Everything results.json derives from its runs: summary, learning curves, comparisons and claim verdicts.
import { evaluateClaims } from './claims.js';
import { compareVariants } from './compare-variants.js';
import { aggregateCurves } from './curves.js';
import type { ClaimVerdict, Comparison, CurveEntry, RunResult, SummaryEntry, TargetSpec, VariantInfo } from './results-types.js';
import { summarizeRuns } from './summarize-runs.js';
import { bestCommonTarget } from './target.js';

export interface Analysis {
  /** The target time-to-target was measured against: the declared one, or the best common level. */
  target: TargetSpec | null;
  summary: SummaryEntry[];
  curves: CurveEntry[];
  comparisons: Comparison[];
  claims: ClaimVerdict[];
}

export function analyzeRuns(runs: readonly RunResult[], options: { target?: TargetSpec | null; variants?: readonly VariantInfo[] } = {}): Analysis {
  const target = options.target ?? bestCommonTarget(runs);
  return {
    target,
    summary: summarizeRuns(runs, target),
    curves: aggregateCurves(runs),
    comparisons: compareVariants(runs, target, options.variants),
    claims: evaluateClaims({ runs, variants: options.variants, target: options.target ?? null }),
  };
}
