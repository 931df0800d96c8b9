// Helpers for the reference's own unit tests: seeded random inputs and central finite differences in float64.
// The reference is checked against these independent numbers, never against itself.
import { seededRandom } from '@bnx/test-support';

export { seededRandom };

/** Values uniform in [-scale, scale). */
export function randomArray(random: () => number, length: number, scale = 1): Float64Array {
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = (2 * random() - 1) * scale;
  return out;
}

/**
 * d f / d input by central differences, f a scalar function of the whole array. The array is perturbed in
 * place and restored. h = 1e-6 balances truncation (O(h^2)) against float64 cancellation (O(1e-16 / h)).
 */
export function numericGradient(input: Float64Array, f: () => number, h = 1e-6): Float64Array {
  const grad = new Float64Array(input.length);
  for (let i = 0; i < input.length; i++) {
    const saved = input[i]!;
    input[i] = saved + h;
    const up = f();
    input[i] = saved - h;
    const down = f();
    input[i] = saved;
    grad[i] = (up - down) / (2 * h);
  }
  return grad;
}

/** sum_i weights[i] * values[i]: turns an array-valued op into a scalar whose gradient is `weights`. */
export function dot(values: Float64Array, weights: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]! * weights[i]!;
  return sum;
}

/** max |a - b| / max |b|: error relative to the scale of the expected tensor. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return diff / Math.max(scale, 1e-12);
}
