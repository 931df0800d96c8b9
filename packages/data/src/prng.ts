// The one seeded generator of bnx: Philox4x32-10 (Salmon, Moraes, Dror & Shaw, "Parallel random numbers: as
// easy as 1, 2, 3", SC'11; the Random123 library). It is counter-based: block i of a stream is a pure function
// of (key, counter), so any stream can be derived from (seed, purpose, index) without carrying state, and
// every backend gets the same numbers for the same (seed, purpose, index) whatever order it asks in.
//
// Mapping of bnx's (seed, purpose, index) onto Philox's 64-bit key and 128-bit counter:
//   key     = [seed mod 2^32, floor(seed / 2^32)]          (any non-negative safe integer seed)
//   counter = [block, index, h_lo, h_hi]                    h = FNV-1a-64(UTF-8 bytes of purpose)
// `purpose` names what the numbers are for (`init/dense_1.weight`, `dropout/dropout_1`), `index` is a
// small integer within that purpose (the training step for dropout masks), `block` counts 4-word blocks.
// Distinct purposes collide only if their 64-bit FNV hashes do (about 1 in 2^64 per pair).
//
// It lives in @bnx/data because data needs it for splits and shuffles and @bnx/core (initial weights, dropout
// masks) depends on data, not the other way round; core re-exports it, so either package gives the same numbers.
import { BnxError } from '@bnx/ir';

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;
const TWO_POW_32 = 4294967296;

// Philox's multipliers split into 16-bit halves for the high-word product below.
const M0_HI = M0 >>> 16;
const M0_LO = M0 & 0xffff;
const M1_HI = M1 >>> 16;
const M1_LO = M1 & 0xffff;

/**
 * High 32 bits of the 64-bit product of a constant (given as 16-bit halves) and an unsigned 32-bit integer,
 * by schoolbook multiplication on 16-bit halves: every partial product is below 2^32, exact in a double.
 */
function mulhi(mHi: number, mLo: number, b: number): number {
  const bHi = b >>> 16;
  const bLo = b & 0xffff;
  const lolo = mLo * bLo;
  const hilo = mHi * bLo;
  const lohi = mLo * bHi;
  const carry = ((lolo >>> 16) + (hilo & 0xffff) + (lohi & 0xffff)) >>> 16;
  return (mHi * bHi + (hilo >>> 16) + (lohi >>> 16) + carry) >>> 0;
}

/**
 * One Philox4x32-10 block: 10 rounds over the 128-bit counter with the 64-bit key bumped by the Weyl
 * constants between rounds. Writes the 4 output words into `out` at `offset`.
 */
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
    const hi0 = mulhi(M0_HI, M0_LO, c0);
    const lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi(M1_HI, M1_LO, c2);
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

const FNV64_OFFSET = 0xcbf29ce484222325n;
const FNV64_PRIME = 0x100000001b3n;
const MASK64 = 0xffffffffffffffffn;

/** FNV-1a, 64-bit, over the UTF-8 bytes of `text`, as two 32-bit words [lo, hi]. */
export function fnv1a64(text: string): [lo: number, hi: number] {
  let hash = FNV64_OFFSET;
  for (const byte of new TextEncoder().encode(text)) {
    hash = ((hash ^ BigInt(byte)) * FNV64_PRIME) & MASK64;
  }
  return [Number(hash & 0xffffffffn), Number(hash >> 32n)];
}

/** A stream's identity: which seed, what the numbers are for, and which instance of that purpose. */
export interface StreamId {
  seed: number;
  purpose: string;
  /** Non-negative integer below 2^32, e.g. the training step. Default 0. */
  index?: number;
}

/** Seeds come from the user (`seeds: [1, 2, 3]`), so a bad one is the user's error. */
export function checkSeed(seed: number): void {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new BnxError(`seed ${seed} is not a non-negative integer: seeds must be whole numbers 0..2^53-1`);
  }
}

function checkIndex(index: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= TWO_POW_32) {
    throw new RangeError(`stream index ${index} is outside 0..2^32-1`);
  }
}

/**
 * The first `words` raw 32-bit outputs of the stream (seed, purpose, index): blocks 0, 1, 2, ... of
 * Philox4x32-10, 4 words per block.
 */
export function rawWords(stream: StreamId, words: number): Uint32Array {
  const { seed, purpose } = stream;
  const index = stream.index ?? 0;
  checkSeed(seed);
  checkIndex(index);
  const key: [number, number] = [seed % TWO_POW_32, Math.floor(seed / TWO_POW_32)];
  const [hLo, hHi] = fnv1a64(purpose);
  const blocks = Math.ceil(words / 4);
  const out = new Uint32Array(blocks * 4);
  fillBlocks(out, blocks, key[0], key[1], index, hLo, hHi);
  return words === out.length ? out : out.subarray(0, words);
}

/**
 * Philox4x32-10 blocks 0..blocks-1 of counter [block, c1, c2, c3] under key [key0, key1], written to `out`.
 * The same computation as philox4x32 with the multiplications written out, because this loop is the cost of
 * every dropout mask (about 4x faster than calling philox4x32 per block).
 */
function fillBlocks(out: Uint32Array, blocks: number, key0: number, key1: number, c1In: number, c2In: number, c3In: number): void {
  for (let block = 0; block < blocks; block++) {
    let c0 = block >>> 0;
    let c1 = c1In >>> 0;
    let c2 = c2In >>> 0;
    let c3 = c3In >>> 0;
    let k0 = key0 >>> 0;
    let k1 = key1 >>> 0;
    for (let round = 0; round < 10; round++) {
      // hi0:lo0 = M0 * c0, hi1:lo1 = M1 * c2, on 16-bit halves (each partial product is below 2^32).
      const a0 = c0 & 0xffff;
      const b0 = c0 >>> 16;
      const ll0 = M0_LO * a0;
      const hl0 = M0_HI * a0;
      const lh0 = M0_LO * b0;
      const hi0 = (M0_HI * b0 + (hl0 >>> 16) + (lh0 >>> 16) + (((ll0 >>> 16) + (hl0 & 0xffff) + (lh0 & 0xffff)) >>> 16)) >>> 0;
      const lo0 = Math.imul(M0, c0) >>> 0;
      const a2 = c2 & 0xffff;
      const b2 = c2 >>> 16;
      const ll2 = M1_LO * a2;
      const hl2 = M1_HI * a2;
      const lh2 = M1_LO * b2;
      const hi1 = (M1_HI * b2 + (hl2 >>> 16) + (lh2 >>> 16) + (((ll2 >>> 16) + (hl2 & 0xffff) + (lh2 & 0xffff)) >>> 16)) >>> 0;
      const lo1 = Math.imul(M1, c2) >>> 0;
      c0 = (hi1 ^ c1 ^ k0) >>> 0;
      c1 = lo1;
      c2 = (hi0 ^ c3 ^ k1) >>> 0;
      c3 = lo0;
      k0 = (k0 + W0) >>> 0;
      k1 = (k1 + W1) >>> 0;
    }
    const o = block * 4;
    out[o] = c0;
    out[o + 1] = c1;
    out[o + 2] = c2;
    out[o + 3] = c3;
  }
}

/** Two 32-bit words to a double in [0, 1) with 53 random bits (the genrand_res53 construction). */
function toUnit53(hi: number, lo: number): number {
  return ((hi >>> 5) * 67108864 + (lo >>> 6)) / 9007199254740992;
}

/** `n` independent uniforms in [0, 1), 53-bit resolution, two words each. */
export function uniforms(seed: number, purpose: string, n: number, index = 0): Float64Array {
  const words = rawWords({ seed, purpose, index }, 2 * n);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = toUnit53(words[2 * i]!, words[2 * i + 1]!);
  return out;
}

/**
 * `n` independent standard normals by the Box-Muller transform: each pair of uniforms (u1, u2) gives
 * sqrt(-2 ln(1 - u1)) * cos(2 pi u2) and the same radius times sin(2 pi u2). `1 - u1` lies in (0, 1], so the
 * logarithm is always finite.
 */
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

/**
 * `n` standard normals truncated to [-2, 2] by rejection (resampling from the same stream until a draw
 * falls inside), as Keras's TruncatedNormal and VarianceScaling(distribution='truncated_normal') do.
 * Their standard deviation is 0.87962566103423978, not 1; callers that want unit variance divide by it.
 */
export function truncatedNormals(seed: number, purpose: string, n: number, index = 0): Float64Array {
  const out = new Float64Array(n);
  let filled = 0;
  let drawn = 0;
  // About 95.4% of draws are kept; each round draws what is still missing plus a margin, continuing the
  // same stream (a longer prefix of one stream is the same numbers plus more, so we can just ask again).
  while (filled < n) {
    const want = drawn + Math.ceil((n - filled) * 1.1) + 8;
    const all = normals(seed, purpose, want, index);
    for (let i = drawn; i < want && filled < n; i++) {
      const z = all[i]!;
      if (z >= -2 && z <= 2) out[filled++] = z;
      drawn = i + 1;
    }
  }
  return out;
}

/** Standard deviation of a standard normal truncated to [-2, 2]. */
export const TRUNCATED_NORMAL_STD = 0.87962566103423978;
