// The one error measure of the suite, per tensor:
//
//   relativeError(actual, expected) = max_i |actual_i - expected_i| / max(max_i |expected_i|, TINY)
//
// Why the max-norm of the whole tensor and not each element's own relative error: a float32 backend computes
// sums whose terms cancel, so its error is small relative to the SCALE of the tensor, not to each element; an
// element that happens to be near zero would make an element-wise ratio blow up for a correct backend. Scaling
// by the largest expected magnitude asks "how many float32 ulps of this tensor's range is the backend off",
// which is what a float32 implementation can promise (1e-4 leaves room for ~800 float32 ulps of accumulated
// rounding). TINY guards all-zero expectations (dead ReLUs, zero gradients): there the absolute error is
// bounded instead, TINY being well below what O(1) test inputs produce anywhere else.
export const TINY = 1e-6;

export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i]! - expected[i]!);
    // NaN in either array must fail, and Math.max(NaN, x) is NaN, which compares false with everything.
    diff = Number.isNaN(d) ? Infinity : Math.max(diff, d);
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return diff / Math.max(scale, TINY);
}
