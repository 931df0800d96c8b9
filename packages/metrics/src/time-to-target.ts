// Time to the declared target, per run, as a survival observation: reached at a step (event), or censored at
// the last step the run was evaluated (never reached, interrupted) or at the end of the budget (diverged). Summaries are Kaplan-Meier
// medians and the share of runs that got there; comparisons are log-rank tests.
import { formatP, SIGNIFICANCE } from './compare-samples.js';
import { groupRuns } from './group-runs.js';
import type { ComparisonOutcome, RunResult, TargetSpec, TestName, TimeToTargetEntry } from './results-types.js';
import { kaplanMeier, logRankTest, type LogRankResult, type SurvivalObservation } from './survival.js';
import { timeToTarget } from './target.js';

/**
 * The run's observation; null for a run that was never evaluated and never diverged (nothing is known).
 * A diverged run can never reach the target, so it is censored at `budgetEnd` (the end of the budget), which
 * keeps it at risk throughout: censoring it where it stopped would treat it as a run that might still have
 * got there, and let the few runs that survived stand for it.
 */
export function survivalObservation(run: RunResult, target: TargetSpec, budgetEnd?: number): SurvivalObservation | null {
  const reached = timeToTarget(run, target);
  if (reached) return { time: reached.step, event: true };
  const lastEvaluated = run.history.length > 0 ? run.history[run.history.length - 1]!.step : null;
  if (run.status === 'diverged') {
    const end = Math.max(budgetEnd ?? -Infinity, run.total_steps ?? -Infinity, lastEvaluated ?? -Infinity, run.diverged_at_step ?? -Infinity);
    return Number.isFinite(end) ? { time: end, event: false } : null;
  }
  return lastEvaluated === null ? null : { time: lastEvaluated, event: false };
}

/** Observations of runs that share a budget (one sweep point): the budget ends at the last step any of them was evaluated. */
export function survivalObservations(runs: readonly RunResult[], target: TargetSpec, budgetEnd = budgetEndOf(runs)): SurvivalObservation[] {
  return runs.map((r) => survivalObservation(r, target, budgetEnd)).filter((o): o is SurvivalObservation => o !== null);
}

/** The last step at which any of the runs was evaluated (undefined when none was). */
export function budgetEndOf(runs: readonly RunResult[]): number | undefined {
  const end = Math.max(...runs.map((r) => r.history.at(-1)?.step ?? -Infinity));
  return Number.isFinite(end) ? end : undefined;
}

/** Kaplan-Meier time to target of every variant at every sweep point. */
export function timeToTargetTable(runs: readonly RunResult[], target: TargetSpec): TimeToTargetEntry[] {
  return groupRuns(runs).flatMap((point) => {
    // One budget per sweep point, whichever variant's runs went furthest.
    const end = budgetEndOf([...point.byVariant.values()].flat());
    return [...point.byVariant].map(([variant, list]) => {
      const km = kaplanMeier(survivalObservations(list, target, end));
      return {
        variant,
        params: point.params,
        runs: km.runs,
        reached: km.reached,
        fraction_reached: km.fractionReached,
        median_steps: km.median,
        median_ci95: km.medianCi95,
      };
    });
  });
}

/** "2500 steps [2000, 3500]", "not reached (2 of 5 runs)". */
export function describeMedian(entry: Pick<TimeToTargetEntry, 'median_steps' | 'median_ci95' | 'reached' | 'runs'>): string {
  const end = (x: number | null) => (x === null ? 'not reached' : String(x));
  const reach = `${entry.reached}/${entry.runs} runs reached it`;
  if (entry.median_steps === null) return `median not reached (${reach})`;
  return `median ${entry.median_steps} steps, 95% CI [${end(entry.median_ci95[0])}, ${end(entry.median_ci95[1])}] (${reach})`;
}

/** "exact log-rank test" or "log-rank test". */
export function describeLogRank(r: Pick<LogRankResult, 'test'>, strata = 1): string {
  const name = r.test === 'log_rank_exact' ? 'exact log-rank test' : 'log-rank test';
  return strata > 1 ? `${name} stratified by sweep point (${strata} points)` : name;
}

export interface TimeComparison {
  difference: number | null;
  pValue: number | null;
  test: TestName;
  smallestPossibleP: number;
  nA: number;
  nB: number;
  outcome: ComparisonOutcome;
  verdict: string;
  /** "b_sooner" when b reached the target faster than expected under no difference. */
  direction: 'b_sooner' | 'b_later' | null;
}

/**
 * Steps to target, b against a at one sweep point: Kaplan-Meier medians and a log-rank test, decided at
 * SIGNIFICANCE on `decisionP` (the raw p, or a q-value when the caller adjusts).
 */
export function compareTimeToTarget(
  a: readonly RunResult[],
  b: readonly RunResult[],
  target: TargetSpec,
  names: { a: string; b: string; where: string },
  decisionP?: (p: number) => { p: number; label: string },
): TimeComparison {
  const end = budgetEndOf([...a, ...b]);
  const oa = survivalObservations(a, target, end);
  const ob = survivalObservations(b, target, end);
  const kmA = kaplanMeier(oa);
  const kmB = kaplanMeier(ob);
  const where = names.where ? ` ${names.where}` : '';
  const medians = `${names.b} ${describeMedian({ median_steps: kmB.median, median_ci95: kmB.medianCi95, reached: kmB.reached, runs: kmB.runs })}, ${names.a} ${describeMedian({ median_steps: kmA.median, median_ci95: kmA.medianCi95, reached: kmA.reached, runs: kmA.runs })}`;
  const difference = kmA.median !== null && kmB.median !== null ? kmB.median - kmA.median : null;
  const base = { difference, nA: oa.length, nB: ob.length };
  const test = oa.length > 0 && ob.length > 0 ? logRankTest([{ a: oa, b: ob }]) : null;
  if (!test) {
    const why = oa.length === 0 || ob.length === 0 ? 'no evaluated run on one side' : 'no run reached the target';
    return {
      ...base,
      pValue: null,
      test: 'none',
      smallestPossibleP: 1,
      outcome: 'inconclusive',
      verdict: `inconclusive${where}: ${why} (${medians})`,
      direction: null,
    };
  }
  const smallestPossibleP = test.exactPValue !== null ? Math.min(1, 2 / test.relabellings) : 0;
  const direction: TimeComparison['direction'] = test.z > 0 ? 'b_sooner' : test.z < 0 ? 'b_later' : null;
  const decided = decisionP ? decisionP(test.pValue) : { p: test.pValue, label: '' };
  const detail = `${medians}; ${describeLogRank(test)} ${formatP(test.pValue)}${decided.label ? `, ${decided.label}` : ''}`;
  const result = { ...base, pValue: test.pValue, test: test.test, smallestPossibleP, direction };
  if (smallestPossibleP >= SIGNIFICANCE) {
    return {
      ...result,
      outcome: 'inconclusive',
      verdict: `inconclusive${where}: ${detail}; with this many runs the exact test cannot give p below ${smallestPossibleP.toFixed(3)}`,
    };
  }
  if (decided.p >= SIGNIFICANCE || direction === null) {
    return { ...result, outcome: 'no_difference', verdict: `no detectable difference in steps to reach the target${where} (${detail})` };
  }
  return {
    ...result,
    // steps_to_target: lower is sooner.
    outcome: direction === 'b_sooner' ? 'b_lower' : 'b_higher',
    verdict: `${names.b} reached the target ${direction === 'b_sooner' ? 'sooner' : 'later'} than ${names.a}${where}: ${detail}`,
  };
}
