// The one seeded generator for test inputs (random arrays, fuzz mutations, synthetic fixtures). It is
// mulberry32: tiny and plenty for test data, and deliberately not the product's Philox PRNG, so tests that
// check that PRNG do not draw their inputs from it.

export type Random = () => number;

/** A generator of floats in [0, 1), the same sequence for the same seed on every machine. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
