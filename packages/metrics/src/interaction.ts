// Difference of differences: (d - c) - (b - a), e.g. batch normalization's advantage at a small batch minus
// its advantage at a large one, with a Welch-Satterthwaite interval over the four independent groups.
import { studentTQuantile, studentTTwoSidedP } from './distributions.js';
import { finiteValues, mean, noSpread, RELATIVE_TOLERANCE, sampleVariance } from './sample-summary.js';

export interface InteractionResult {
  estimate: number;
  ci95: [number, number];
  pValue: number;
  df: number;
}

/** Groups in the order [a, b, c, d]; null when any group has fewer than 2 finite values. */
export function interactionTest(
  groups: readonly [readonly (number | null)[], readonly (number | null)[], readonly (number | null)[], readonly (number | null)[]],
): InteractionResult | null {
  const xs = groups.map((g) => finiteValues(g));
  if (xs.some((x) => x.length < 2)) return null;
  const [a, b, c, d] = xs as [number[], number[], number[], number[]];
  const estimate = mean(d) - mean(c) - (mean(b) - mean(a));
  const q = xs.map((x) => sampleVariance(x) / x.length);
  const se2 = q.reduce((s, v) => s + v, 0);
  if (xs.every((x) => noSpread(x)))
    return {
      estimate,
      ci95: [estimate, estimate],
      pValue: Math.abs(estimate) <= RELATIVE_TOLERANCE * Math.max(...xs.flat().map(Math.abs)) ? 1 : 0,
      df: Infinity,
    };
  const df = se2 ** 2 / q.reduce((s, v, i) => s + v ** 2 / (xs[i]!.length - 1), 0);
  const se = Math.sqrt(se2);
  const half = studentTQuantile(0.975, df) * se;
  return { estimate, ci95: [estimate - half, estimate + half], pValue: studentTTwoSidedP(estimate / se, df), df };
}
