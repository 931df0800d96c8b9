/// <reference path="./jstat.d.ts" />
// The only place bnx touches probability distributions: Student t and the standard normal, from jstat.
// jstat's Student t loses accuracy as the degrees of freedom grow (its quantile is off by 5e-8 at df = 1e4
// and by 3e-3 at df = 1e9), so above LARGE_DF the quantile comes from the Cornish-Fisher expansion of t
// around the normal (Abramowitz & Stegun 26.7.5, four terms: within 1e-12 of scipy's 97.5% quantile at df = 300 and
// exact to double precision from df = 1e4) and the cdf from inverting that expansion.
import jStat from 'jstat';

/** Degrees of freedom from which the expansion replaces jstat's t. */
const LARGE_DF = 300;

/** The t quantile for `df` degrees of freedom whose normal quantile is z (A&S 26.7.5). */
function tFromZ(z: number, df: number): number {
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}

/** The normal quantile z whose t quantile is t: Newton's method on tFromZ (its derivative is close to 1). */
function zFromT(t: number, df: number): number {
  let z = t;
  for (let i = 0; i < 50; i++) {
    const h = 1e-6 * Math.max(1, Math.abs(z));
    const slope = (tFromZ(z + h, df) - tFromZ(z - h, df)) / (2 * h);
    const step = (tFromZ(z, df) - t) / slope;
    z -= step;
    if (Math.abs(step) <= 1e-15 * Math.max(1, Math.abs(z))) break;
  }
  return z;
}

/** The p-quantile of Student's t with `df` degrees of freedom (df may be fractional, as in Welch's test). */
export function studentTQuantile(p: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be positive, got ${df}`);
  const z = jStat.normal.inv(p, 0, 1);
  if (!Number.isFinite(df)) return z;
  if (df >= LARGE_DF) return tFromZ(z, df);
  // jstat inverts the cdf to about 1e-8; two Newton steps on its (more accurate) cdf polish that.
  let t = jStat.studentt.inv(p, df);
  for (let i = 0; i < 2 && Number.isFinite(t); i++) {
    const density = jStat.studentt.pdf(t, df);
    if (!(density > 0)) break;
    t -= (jStat.studentt.cdf(t, df) - p) / density;
  }
  return t;
}

/** P(T <= t) for Student's t with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be positive, got ${df}`);
  if (Number.isNaN(t)) return Number.NaN;
  if (!Number.isFinite(t)) return t > 0 ? 1 : 0;
  if (!Number.isFinite(df)) return normalCdf(t);
  if (df >= LARGE_DF) return normalCdf(zFromT(t, df));
  return jStat.studentt.cdf(t, df);
}

/** Two-sided p-value of a t statistic: P(|T| >= |t|). */
export function studentTTwoSidedP(t: number, df: number): number {
  if (Number.isNaN(t)) return Number.NaN;
  if (!Number.isFinite(t)) return 0;
  return Math.min(1, 2 * studentTCdf(-Math.abs(t), df));
}

/** Standard normal cumulative distribution function. */
export function normalCdf(z: number): number {
  return jStat.normal.cdf(z, 0, 1);
}

/** The p-quantile of the standard normal. */
export function normalQuantile(p: number): number {
  return jStat.normal.inv(p, 0, 1);
}

/** Two-sided p-value of a standard normal statistic: P(|Z| >= |z|). */
export function normalTwoSidedP(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  return Math.min(1, 2 * normalCdf(-Math.abs(z)));
}

/** ln C(n, k). */
export function logChoose(n: number, k: number): number {
  return jStat.gammaln(n + 1) - jStat.gammaln(k + 1) - jStat.gammaln(n - k + 1);
}
