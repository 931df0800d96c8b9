// Seeded permutations. Every shuffle in bnx's data path is a Fisher-Yates shuffle driven by the Philox
// stream (seed, purpose, index), so the order is a pure function of those three and the count: the same on
// every backend, in every process, whatever was drawn before.
import { uniforms } from './prng.js';

/**
 * A permutation of 0..count-1: Fisher-Yates from the top, swap position i with floor(u_k * (i + 1)) where
 * u_k is the k-th uniform of the stream and k = count-1-i. 53-bit uniforms make the modulo bias negligible
 * (below count / 2^53).
 */
export function seededPermutation(count: number, seed: number, purpose: string, index = 0): Uint32Array {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`permutation size ${count} is not a count`);
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  if (count < 2) return order;
  const u = uniforms(seed, purpose, count - 1, index);
  for (let i = count - 1, k = 0; i > 0; i--, k++) {
    const j = Math.floor(u[k]! * (i + 1));
    const tmp = order[i]!;
    order[i] = order[j]!;
    order[j] = tmp;
  }
  return order;
}

/** Purpose string of the per-epoch training order stream; the epoch is the stream index. */
export const EPOCH_PURPOSE = 'data/epoch';

/**
 * The order in which epoch `epoch` (0-based) visits the `count` training samples: a pure function of
 * (count, seed, epoch), identical for every backend.
 */
export function epochOrder(count: number, seed: number, epoch: number): Uint32Array {
  return seededPermutation(count, seed, EPOCH_PURPOSE, epoch);
}
