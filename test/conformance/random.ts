// Seeded test inputs for the conformance suite, drawn from the tests' own generator rather than from
// @bnx/core's PRNG, which is one of the things other tests check.
import { seededRandom, type Random } from '@bnx/test-support';

export { seededRandom, type Random };

/** Values uniform in [low, high), rounded to float32 (the precision every backend gets its inputs in). */
export function uniform(random: Random, length: number, low = -1, high = 1): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = low + (high - low) * random();
  return out;
}

export function labels(random: Random, count: number, classes: number): Int32Array {
  return Int32Array.from({ length: count }, () => Math.floor(random() * classes));
}

/** An inverted-dropout mask: each value 0 with probability `rate`, else 1/(1-rate). */
export function dropoutMask(random: Random, length: number, rate: number): Float32Array {
  return Float32Array.from({ length }, () => (random() < rate ? 0 : 1 / (1 - rate)));
}
