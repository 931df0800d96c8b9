// What an experiment's design lets its tests show at all, known before any run: `bnx check` warns when the
// seeds are too few for any test to reach p < SIGNIFICANCE, and the recommended default is the smallest
// count that can.
import { SIGNIFICANCE } from './compare-samples.js';
import { MIN_PAIRS_FOR_T } from './paired-test.js';
import { smallestExactLogRankP } from './survival.js';

export interface ExperimentDesign {
  /** Seeds per variant (the same seeds for every variant, so also the number of pairs). */
  seeds: number;
  variants: number;
  /** Sweep points (product of the sweep sizes; 1 without sweeps). */
  sweepPoints: number;
  /** Whether the file declares a `target:` (time to target is then tested by log-rank). */
  declaredTarget: boolean;
}

/** Smallest two-sided p of the paired tests (per-seed differences) and, with a target, of the exact log-rank test. */
export function smallestAttainableP(design: ExperimentDesign): { paired: number; timeToTarget: number | null } {
  const n = design.seeds;
  const paired = n < 2 ? 1 : n >= MIN_PAIRS_FOR_T ? 0 : Math.min(1, 2 / 2 ** n);
  const timeToTarget = design.declaredTarget
    ? n < 1
      ? 1
      : smallestExactLogRankP(Array.from({ length: Math.max(1, design.sweepPoints) }, () => ({ a: n, b: n })))
    : null;
  return { paired, timeToTarget };
}

/** A sentence for `bnx check` when no test of this design can reach p < SIGNIFICANCE; null when one can. */
export function seedCountWarning(design: ExperimentDesign): string | null {
  if (design.variants < 2) return null;
  const { paired, timeToTarget } = smallestAttainableP(design);
  if (paired < SIGNIFICANCE) return null;
  const n = design.seeds;
  const why =
    n < 2
      ? `with ${n} seed nothing can be tested`
      : `with ${n} seeds the paired comparisons use the exact sign-flip test, which cannot give p below ${paired.toFixed(3)}`;
  const time =
    timeToTarget !== null
      ? timeToTarget < SIGNIFICANCE
        ? ` (only time to the target, by the exact log-rank test, can reach p = ${timeToTarget.toFixed(3)})`
        : `; nor can the exact log-rank test for time to the target (p >= ${timeToTarget.toFixed(3)})`
      : '';
  return `${why}${time}, so no comparison or claim can be shown; use at least ${MIN_PAIRS_FOR_T} seeds (e.g. \`seeds: 1..${MIN_PAIRS_FOR_T}\`)`;
}
