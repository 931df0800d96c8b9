// The paired comparison of two variants: the same seed gives both variants the same validation split, data
// order and (where shapes agree) initial draws, so the per-seed differences carry the signal and the spread
// between seeds cancels. Decided by the paired t-test from MIN_PAIRS_FOR_T pairs on, and below that by the
// exact sign-flip permutation test, which needs no normality (three or four differences cannot show it) and
// honestly cannot go below 2 / 2^n.
import { studentTQuantile, studentTTwoSidedP } from './distributions.js';
import { finiteValues, mean, noSpread, RELATIVE_TOLERANCE, sampleVariance } from './sample-summary.js';

/** From this many pairs on the paired t-test decides; below it the exact sign-flip test does. */
export const MIN_PAIRS_FOR_T = 5;

/** Largest n for which the sign-flip distribution is enumerated (2^n mean differences). */
export const SIGN_FLIP_EXACT_LIMIT = 16;

export type PairedTestName = 'paired_t' | 'sign_flip_exact';

export interface PairedTestResult {
  /** Number of pairs (differences). */
  n: number;
  /** Mean of the differences b - a. */
  difference: number;
  /** Sample standard deviation of the differences; 0 when they agree within RELATIVE_TOLERANCE. */
  sd: number;
  /** 95% interval of the mean difference (Student t, n - 1 df); null below 2 pairs or without spread. */
  ci95: [number, number] | null;
  /** Paired t two-sided p; null without spread (t is undefined) or below 2 pairs. */
  tPValue: number | null;
  /** Exact sign-flip two-sided p (scipy's convention: twice the smaller one-sided p); null above the enumeration limit with spread. */
  signFlipPValue: number | null;
  /** The test that decides, and its p. */
  test: PairedTestName;
  pValue: number;
  /** Smallest p the deciding test can give with these n pairs (1 / 2^(n-1) for the sign-flip test, 0 for t). */
  smallestPossibleP: number;
}

/**
 * Exact two-sided p of the sign-flip permutation test of mean(d) = 0: under the null each difference is as
 * likely to have either sign, so the 2^n sign patterns are equally likely. Matches
 * scipy.stats.permutation_test(..., permutation_type='samples') with n_resamples=inf.
 */
export function signFlipPValue(differences: readonly number[]): number | null {
  const d = finiteValues(differences);
  const n = d.length;
  if (n === 0) return null;
  const observed = mean(d);
  if (noSpread(d)) {
    // Every difference the same: only the all-positive and all-negative patterns reach |observed|.
    if (Math.abs(observed) <= RELATIVE_TOLERANCE * Math.max(...d.map(Math.abs))) return 1;
    return Math.min(1, 2 / 2 ** n);
  }
  if (n > SIGN_FLIP_EXACT_LIMIT) return null;
  // scipy counts null values within 100 machine epsilons of the observed one as ties.
  const gamma = Math.abs(observed) * 100 * Number.EPSILON;
  let lessOrEqual = 0;
  let greaterOrEqual = 0;
  const total = 2 ** n;
  for (let mask = 0; mask < total; mask++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += mask & (1 << i) ? -d[i]! : d[i]!;
    const stat = sum / n;
    if (stat <= observed + gamma) lessOrEqual++;
    if (stat >= observed - gamma) greaterOrEqual++;
  }
  return Math.min(1, (2 * Math.min(lessOrEqual, greaterOrEqual)) / total);
}

/** Paired test of the differences b - a (one per seed); null below 2 finite differences. */
export function pairedTest(differences: readonly (number | null)[]): PairedTestResult | null {
  const d = finiteValues(differences);
  const n = d.length;
  if (n < 2) return null;
  const difference = mean(d);
  const flat = noSpread(d);
  const sd = flat ? 0 : Math.sqrt(sampleVariance(d));
  const signFlip = signFlipPValue(d);
  let ci95: [number, number] | null = null;
  let tPValue: number | null = null;
  if (!flat) {
    const se = sd / Math.sqrt(n);
    const half = studentTQuantile(0.975, n - 1) * se;
    ci95 = [difference - half, difference + half];
    tPValue = studentTTwoSidedP(difference / se, n - 1);
  }
  // Without spread the t statistic is undefined (zero standard error): only the signs are evidence.
  const useT = n >= MIN_PAIRS_FOR_T && tPValue !== null;
  return {
    n,
    difference,
    sd,
    ci95,
    tPValue,
    signFlipPValue: signFlip,
    test: useT ? 'paired_t' : 'sign_flip_exact',
    pValue: useT ? tPValue! : signFlip!,
    smallestPossibleP: useT ? 0 : Math.min(1, 2 / 2 ** n),
  };
}

/** Pairs values by seed: the differences b - a for every seed with a finite value on both sides. */
export function pairBySeed(a: ReadonlyMap<number, number | null>, b: ReadonlyMap<number, number | null>): { seeds: number[]; differences: number[] } {
  const seeds: number[] = [];
  const differences: number[] = [];
  for (const [seed, va] of a) {
    const vb = b.get(seed);
    if (typeof va !== 'number' || typeof vb !== 'number' || !Number.isFinite(va) || !Number.isFinite(vb)) continue;
    seeds.push(seed);
    differences.push(vb - va);
  }
  return { seeds, differences };
}
