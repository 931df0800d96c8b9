// Everything results.json derives from its runs: summary, learning curves, time to target, comparisons and
// claim verdicts, decided as docs/statistics.md says.
import type { ClaimId } from '@bnx/ir';
import { evaluateClaims } from './claims.js';
import { SIGNIFICANCE } from './compare-samples.js';
import { compareVariants } from './compare-variants.js';
import { aggregateCurves } from './curves.js';
import type {
  AnalysisPlanInfo,
  ClaimVerdict,
  Comparison,
  CurveEntry,
  RunResult,
  SummaryEntry,
  TargetSpec,
  TimeToTargetEntry,
  VariantInfo,
} from './results-types.js';
import { summarizeRuns } from './summarize-runs.js';
import { timeToTargetTable } from './time-to-target.js';

/** Where the analysis plan is written down (the report links to it). */
export const ANALYSIS_PLAN_URL = 'https://github.com/bnx-dev/bnx/blob/main/docs/statistics.md';

export const ANALYSIS_PLAN: AnalysisPlanInfo = {
  document: ANALYSIS_PLAN_URL,
  alpha: SIGNIFICANCE,
  claims_adjustment: 'holm',
  comparisons_adjustment: 'benjamini_hochberg',
};

export interface Analysis {
  /** The declared target (the file's `target:`), or null: no level is ever picked from the results. */
  target: TargetSpec | null;
  summary: SummaryEntry[];
  curves: CurveEntry[];
  /** Kaplan-Meier time to the declared target per variant and sweep point; empty without a target. */
  timeToTarget: TimeToTargetEntry[];
  comparisons: Comparison[];
  claims: ClaimVerdict[];
  plan: AnalysisPlanInfo;
}

export interface AnalyzeOptions {
  /** The declared target (the file's `target:`), or null. */
  target?: TargetSpec | null;
  variants?: readonly VariantInfo[];
  /** The declared claims (the file's `claims:`), or null for every claim tested by default that the runs can speak to. */
  claims?: readonly ClaimId[] | null;
}

export function analyzeRuns(runs: readonly RunResult[], options: AnalyzeOptions = {}): Analysis {
  const target = options.target ?? null;
  return {
    target,
    summary: summarizeRuns(runs, target),
    curves: aggregateCurves(runs),
    timeToTarget: target ? timeToTargetTable(runs, target) : [],
    comparisons: compareVariants(runs, target, options.variants),
    claims: evaluateClaims({ runs, variants: options.variants, target, claims: options.claims ?? null }),
    plan: ANALYSIS_PLAN,
  };
}
