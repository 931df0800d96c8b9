// Seeded test inputs. mulberry32 is enough for reproducible small arrays, and keeping it here means the suite
// does not depend on @bnx/core's PRNG, which is one of the things other tests check.

export type Random = () => number;

export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
