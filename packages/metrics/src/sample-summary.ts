// Summary of one metric across seeds: what every table and band in a report is built from.
import { studentTQuantile } from './distributions.js';

export interface SampleSummary {
  /** null when there is no finite value. */
  mean: number | null;
  /** Sample standard deviation (n - 1); null below 2 values. */
  std: number | null;
  /** 95% confidence interval of the mean (Student t); null below 2 values. */
  ci95: [number, number] | null;
  n: number;
  min: number | null;
  max: number | null;
  /** Every seed's value, in seed order; null where a run produced no finite value (diverged, failed). */
  values: (number | null)[];
}

/**
 * Values closer together than this, relative to their size, count as identical: floating-point sums of the
 * same numbers in another order differ by about 1e-16 relative, so exact equality would treat rounding
 * noise as a real spread (or a real spread as none).
 */
export const RELATIVE_TOLERANCE = 1e-9;

/** true when every value equals the first within RELATIVE_TOLERANCE of the largest magnitude. */
export function noSpread(xs: readonly number[]): boolean {
  if (xs.length === 0) return true;
  let scale = 0;
  for (const x of xs) scale = Math.max(scale, Math.abs(x));
  const tol = RELATIVE_TOLERANCE * scale;
  return xs.every((x) => Math.abs(x - xs[0]!) <= tol);
}

export function finiteValues(values: readonly (number | null | undefined)[]): number[] {
  return values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
}

export function mean(xs: readonly number[]): number {
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
}

/** Unbiased sample variance (divides by n - 1); NaN below 2 values. */
export function sampleVariance(xs: readonly number[]): number {
  if (xs.length < 2) return Number.NaN;
  const m = mean(xs);
  let ss = 0;
  for (const x of xs) ss += (x - m) * (x - m);
  return ss / (xs.length - 1);
}

/**
 * Mean, standard deviation, Student-t 95% interval, extremes and count of the finite values. Non-finite
 * and missing values are kept in `values` (as null) but do not count in n.
 */
export function summarize(values: readonly (number | null | undefined)[]): SampleSummary {
  const kept = values.map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : null));
  const xs = finiteValues(kept);
  const n = xs.length;
  if (n === 0) return { mean: null, std: null, ci95: null, n, min: null, max: null, values: kept };
  const m = mean(xs);
  const min = Math.min(...xs);
  const max = Math.max(...xs);
  if (n < 2) return { mean: m, std: null, ci95: null, n, min, max, values: kept };
  const std = Math.sqrt(sampleVariance(xs));
  const half = studentTQuantile(0.975, n - 1) * (std / Math.sqrt(n));
  return { mean: m, std, ci95: [m - half, m + half], n, min, max, values: kept };
}
