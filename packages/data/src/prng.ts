// The seeded generator of @bnx/data: Philox4x32-10 (Salmon, Moraes, Dror & Shaw, "Parallel random numbers:
// as easy as 1, 2, 3", SC'11), counter-based, so a split or an epoch's order is a pure function of
// (seed, purpose, index) with no state carried between calls.
//
// This is a deliberate copy of the mapping in @bnx/core's prng.ts (core depends on data, so data cannot
// import it):
//   key     = [seed mod 2^32, floor(seed / 2^32)]          (any non-negative safe integer seed)
//   counter = [block, index, h_lo, h_hi]                    h = FNV-1a-64(UTF-8 bytes of purpose)
// so `uniforms(seed, 'data/epoch', n, 3)` here equals core's `uniforms(seed, 'data/epoch', n, 3)`.
// The Random123 known-answer vectors are checked in prng.test.ts.
import { BnxError } from '@bnx/ir';

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;
const TWO_POW_32 = 4294967296;

/** High 32 bits of the 64-bit product of two unsigned 32-bit integers (the low ones are Math.imul). */
function mulhi(a: number, b: number): number {
  // Split b into 16-bit halves so every partial product is exact in a double.
  const partLo = a * (b & 0xffff);
  const partHi = a * (b >>> 16);
  return (Math.floor((partLo + (partHi % 65536) * 65536) / TWO_POW_32) + Math.floor(partHi / 65536)) >>> 0;
}

/** One Philox4x32-10 block over `counter` with `key`; writes 4 words into `out` at `offset`. */
export function philox4x32(
  counter: readonly [number, number, number, number],
  key: readonly [number, number],
  out: Uint32Array = new Uint32Array(4),
  offset = 0,
): Uint32Array {
  let c0 = counter[0] >>> 0;
  let c1 = counter[1] >>> 0;
  let c2 = counter[2] >>> 0;
  let c3 = counter[3] >>> 0;
  let k0 = key[0] >>> 0;
  let k1 = key[1] >>> 0;
  for (let round = 0; round < 10; round++) {
    if (round > 0) {
      k0 = (k0 + W0) >>> 0;
      k1 = (k1 + W1) >>> 0;
    }
    const hi0 = mulhi(M0, c0);
    const lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi(M1, c2);
    const lo1 = Math.imul(M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
  }
  out[offset] = c0;
  out[offset + 1] = c1;
  out[offset + 2] = c2;
  out[offset + 3] = c3;
  return out;
}

/** FNV-1a, 64-bit, over the UTF-8 bytes of `text`, as two 32-bit words [lo, hi]. */
export function fnv1a64(text: string): [lo: number, hi: number] {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return [Number(hash & 0xffffffffn), Number(hash >> 32n)];
}

/** Seeds come from the user (`seeds: [1, 2, 3]`), so a bad one is the user's error. */
export function checkSeed(seed: number): void {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new BnxError(`seed ${seed} is not a non-negative integer: seeds must be whole numbers 0..2^53-1`);
  }
}

/** The first `words` 32-bit outputs of the stream (seed, purpose, index), 4 per Philox block. */
export function rawWords(seed: number, purpose: string, index: number, words: number): Uint32Array {
  checkSeed(seed);
  if (!Number.isInteger(index) || index < 0 || index >= TWO_POW_32) {
    throw new RangeError(`stream index ${index} is outside 0..2^32-1`);
  }
  const key: [number, number] = [seed % TWO_POW_32, Math.floor(seed / TWO_POW_32)];
  const [hLo, hHi] = fnv1a64(purpose);
  const blocks = Math.ceil(words / 4);
  const out = new Uint32Array(blocks * 4);
  const counter: [number, number, number, number] = [0, index, hLo, hHi];
  for (let block = 0; block < blocks; block++) {
    counter[0] = block;
    philox4x32(counter, key, out, block * 4);
  }
  return words === out.length ? out : out.subarray(0, words);
}

/** `n` uniforms in [0, 1) with 53 random bits each (two words, the genrand_res53 construction). */
export function uniforms(seed: number, purpose: string, n: number, index = 0): Float64Array {
  const words = rawWords(seed, purpose, index, 2 * n);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = ((words[2 * i]! >>> 5) * 67108864 + (words[2 * i + 1]! >>> 6)) / 9007199254740992;
  }
  return out;
}

/** `n` standard normals by Box-Muller over pairs of uniforms; `1 - u` keeps the logarithm finite. */
export function normals(seed: number, purpose: string, n: number, index = 0): Float64Array {
  const pairs = Math.ceil(n / 2);
  const u = uniforms(seed, purpose, 2 * pairs, index);
  const out = new Float64Array(n);
  for (let p = 0; p < pairs; p++) {
    const radius = Math.sqrt(-2 * Math.log(1 - u[2 * p]!));
    const angle = 2 * Math.PI * u[2 * p + 1]!;
    out[2 * p] = radius * Math.cos(angle);
    if (2 * p + 1 < n) out[2 * p + 1] = radius * Math.sin(angle);
  }
  return out;
}
