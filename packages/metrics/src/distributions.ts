/// <reference path="./jstat.d.ts" />
// The only place bnx touches probability distributions: Student t and the standard normal, from jstat,
// so no special function is written by hand.
import jStat from 'jstat';

/** The p-quantile of Student's t with `df` degrees of freedom (df may be fractional, as in Welch's test). */
export function studentTQuantile(p: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be positive, got ${df}`);
  if (!Number.isFinite(df)) return jStat.normal.inv(p, 0, 1);
  return jStat.studentt.inv(p, df);
}

/** Two-sided p-value of a t statistic: P(|T| >= |t|). */
export function studentTTwoSidedP(t: number, df: number): number {
  if (Number.isNaN(t)) return Number.NaN;
  if (!Number.isFinite(t)) return 0;
  const tail = Number.isFinite(df) ? jStat.studentt.cdf(-Math.abs(t), df) : jStat.normal.cdf(-Math.abs(t), 0, 1);
  return Math.min(1, 2 * tail);
}

/** Standard normal cumulative distribution function. */
export function normalCdf(z: number): number {
  return jStat.normal.cdf(z, 0, 1);
}
