// Welch's unequal-variance t-test and the confidence interval of a difference of means.
import { studentTQuantile, studentTTwoSidedP } from './distributions.js';
import { finiteValues, mean, noSpread, sampleVariance } from './sample-summary.js';

export interface WelchResult {
  /** mean(b) - mean(a). */
  difference: number;
  /** Standard error of the difference. */
  se: number;
  /** Welch-Satterthwaite degrees of freedom (Infinity when both samples have zero variance). */
  df: number;
  t: number;
  /** Two-sided p-value. */
  pValue: number;
  ci95: [number, number];
  nA: number;
  nB: number;
}

/** Welch's test of mean(b) - mean(a); null when either sample has fewer than 2 finite values. */
export function welchTest(a: readonly (number | null)[], b: readonly (number | null)[]): WelchResult | null {
  const xa = finiteValues(a);
  const xb = finiteValues(b);
  if (xa.length < 2 || xb.length < 2) return null;
  const difference = mean(xb) - mean(xa);
  if (noSpread(xa) && noSpread(xb)) {
    // Every seed gave the same value in both groups (within rounding): Welch's statistic is undefined; the
    // difference is exact, not estimated. Callers that decide (compareSamples) use a permutation test instead.
    const same = noSpread([...xa, ...xb]);
    return {
      difference,
      se: 0,
      df: Infinity,
      t: same ? 0 : Math.sign(difference) * Infinity,
      pValue: same ? 1 : 0,
      ci95: [difference, difference],
      nA: xa.length,
      nB: xb.length,
    };
  }
  const qa = sampleVariance(xa) / xa.length;
  const qb = sampleVariance(xb) / xb.length;
  const se = Math.sqrt(qa + qb);
  const df = (qa + qb) ** 2 / (qa ** 2 / (xa.length - 1) + qb ** 2 / (xb.length - 1));
  const t = difference / se;
  const half = studentTQuantile(0.975, df) * se;
  return { difference, se, df, t, pValue: studentTTwoSidedP(t, df), ci95: [difference - half, difference + half], nA: xa.length, nB: xb.length };
}
