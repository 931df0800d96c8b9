import { describe, expect, it } from 'vitest';
import { isBnxError } from '@bnx/ir';
import { fnv1a64, normals, philox4x32, rawWords, truncatedNormals, TRUNCATED_NORMAL_STD, uniforms } from './prng.js';

const hex = (words: Uint32Array) => [...words].map((w) => w.toString(16).padStart(8, '0')).join(' ');

function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s / xs.length;
}

function variance(xs: ArrayLike<number>): number {
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i]! - m) ** 2;
  return s / xs.length;
}

describe('philox4x32-10', () => {
  // The known-answer vectors published with Random123 (kat_vectors, "philox4x32 10").
  it('matches the Random123 known-answer vectors', () => {
    expect(hex(philox4x32([0, 0, 0, 0], [0, 0]))).toBe('6627e8d5 e169c58d bc57ac4c 9b00dbd8');
    expect(hex(philox4x32([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff]))).toBe('408f276d 41c83b0e a20bc7c6 6d5451fd');
    expect(hex(philox4x32([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0]))).toBe('d16cfe09 94fdcceb 5001e420 24126ea1');
  });
});

describe('rawWords', () => {
  it('is philox4x32 over counters [block, index, fnv_lo, fnv_hi] with key [seed lo, seed hi]', () => {
    const seed = 2 ** 32 * 3 + 12345;
    const [hLo, hHi] = fnv1a64('dropout/dropout_1');
    const words = rawWords({ seed, purpose: 'dropout/dropout_1', index: 77 }, 4 * 50);
    for (let block = 0; block < 50; block++) {
      const expected = philox4x32([block, 77, hLo, hHi], [12345, 3]);
      expect(words.subarray(4 * block, 4 * block + 4)).toEqual(expected);
    }
  });
});

describe('fnv1a64', () => {
  it('matches the published FNV-1a 64 test values', () => {
    // From the FNV reference test suite: "" -> cbf29ce484222325, "a" -> af63dc4c8601ec8c.
    expect(fnv1a64('')).toEqual([0x84222325, 0xcbf29ce4]);
    expect(fnv1a64('a')).toEqual([0x8601ec8c, 0xaf63dc4c]);
  });
});

describe('streams', () => {
  it('are reproducible and prefix-stable', () => {
    const a = uniforms(7, 'init/dense_1.weight', 1000);
    const b = uniforms(7, 'init/dense_1.weight', 1000);
    expect(b).toEqual(a);
    expect(uniforms(7, 'init/dense_1.weight', 10)).toEqual(a.subarray(0, 10));
    expect(normals(7, 'x', 9)).toEqual(normals(7, 'x', 10).subarray(0, 9));
  });

  it('differ by seed, purpose and index', () => {
    const base = rawWords({ seed: 1, purpose: 'p', index: 0 }, 8);
    expect(rawWords({ seed: 2, purpose: 'p', index: 0 }, 8)).not.toEqual(base);
    expect(rawWords({ seed: 1, purpose: 'q', index: 0 }, 8)).not.toEqual(base);
    expect(rawWords({ seed: 1, purpose: 'p', index: 1 }, 8)).not.toEqual(base);
    // Seeds above 2^32 use the key's second word.
    expect(rawWords({ seed: 2 ** 32 + 1, purpose: 'p' }, 8)).not.toEqual(base);
  });

  it('are uncorrelated with each other', () => {
    const n = 20000;
    const a = normals(3, 'stream-a', n);
    const b = normals(3, 'stream-b', n);
    const c = normals(3, 'stream-a', n, 1);
    const corr = (x: Float64Array, y: Float64Array) => {
      let s = 0;
      for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
      return s / x.length;
    };
    // Standard error of a correlation of n independent pairs is 1/sqrt(n) ≈ 0.007; allow 4.5 of them.
    expect(Math.abs(corr(a, b))).toBeLessThan(0.032);
    expect(Math.abs(corr(a, c))).toBeLessThan(0.032);
    // Lag-1 autocorrelation within a stream (Box-Muller pairs share a radius but are uncorrelated).
    expect(Math.abs(corr(a.subarray(1), a.subarray(0, n - 1)))).toBeLessThan(0.032);
  });

  it('rejects seeds that are not non-negative integers with a BnxError', () => {
    for (const seed of [-1, 1.5, Number.NaN]) {
      let caught: unknown;
      try {
        uniforms(seed, 'p', 1);
      } catch (err) {
        caught = err;
      }
      expect(isBnxError(caught)).toBe(true);
    }
  });
});

describe('distributions', () => {
  const n = 40000;

  it('uniforms lie in [0, 1) with mean 1/2 and variance 1/12', () => {
    const u = uniforms(11, 'moments', n);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    // Standard errors: sqrt(1/12/n) ≈ 0.0014 for the mean.
    expect(mean(u)).toBeCloseTo(0.5, 2);
    expect(variance(u)).toBeCloseTo(1 / 12, 2);
    // Each tenth of the interval gets about a tenth of the draws (chi-square, 9 dof, 99.9% quantile 27.9).
    const counts = new Array<number>(10).fill(0);
    for (const x of u) counts[Math.floor(x * 10)]!++;
    const chi2 = counts.reduce((s, c) => s + (c - n / 10) ** 2 / (n / 10), 0);
    expect(chi2).toBeLessThan(27.9);
  });

  it('normals have mean 0, variance 1 and normal tails', () => {
    const z = normals(12, 'moments', n);
    expect(Math.abs(mean(z))).toBeLessThan(0.025);
    expect(Math.abs(variance(z) - 1)).toBeLessThan(0.04);
    const beyond2 = z.filter((x) => Math.abs(x) > 2).length / n;
    expect(beyond2).toBeGreaterThan(0.0455 - 0.006);
    expect(beyond2).toBeLessThan(0.0455 + 0.006);
  });

  it('truncated normals stay within 2 and have the documented standard deviation', () => {
    const z = truncatedNormals(13, 'moments', n);
    expect(Math.max(...z.map(Math.abs))).toBeLessThanOrEqual(2);
    expect(Math.abs(mean(z))).toBeLessThan(0.02);
    expect(Math.sqrt(variance(z))).toBeCloseTo(TRUNCATED_NORMAL_STD, 2);
  });
});
