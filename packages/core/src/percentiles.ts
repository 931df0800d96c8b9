// Percentiles as numpy.percentile computes them by default ("linear"): the value at rank p/100 * (n-1) of the
// sorted data, interpolated between the two nearest order statistics.

/** Percentiles `ps` (each in 0..100) of `values`; NaN for an empty input. Does not modify `values`. */
export function percentiles(values: ArrayLike<number>, ps: readonly number[]): number[] {
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  const n = sorted.length;
  return ps.map((p) => {
    if (n === 0) return Number.NaN;
    const rank = (Math.min(100, Math.max(0, p)) / 100) * (n - 1);
    const lo = Math.floor(rank);
    const hi = Math.min(n - 1, lo + 1);
    const frac = rank - lo;
    return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * frac;
  });
}
