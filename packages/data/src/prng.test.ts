import { describe, expect, it } from 'vitest';
import { fnv1a64, normals, philox4x32, uniforms } from './prng.js';

const hex = (words: Uint32Array) => Array.from(words, (w) => w.toString(16).padStart(8, '0')).join(' ');

describe('philox4x32-10', () => {
  // Known-answer vectors from Random123's kat_vectors (philox4x32 10 rounds).
  it('matches the Random123 known answers', () => {
    expect(hex(philox4x32([0, 0, 0, 0], [0, 0]))).toBe('6627e8d5 e169c58d bc57ac4c 9b00dbd8');
    expect(hex(philox4x32([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff]))).toBe('408f276d 41c83b0e a20bc7c6 6d5451fd');
    expect(hex(philox4x32([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0]))).toBe('d16cfe09 94fdcceb 5001e420 24126ea1');
  });

  it('hashes purposes with FNV-1a 64', () => {
    expect(fnv1a64('')).toEqual([0x84222325, 0xcbf29ce4]);
    // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c.
    expect(fnv1a64('a')).toEqual([0x8601ec8c, 0xaf63dc4c]);
  });

  it('gives uniforms in [0, 1) and unit normals that depend on seed, purpose and index', () => {
    const u = uniforms(7, 'p', 10000);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    const mean = u.reduce((a, b) => a + b, 0) / u.length;
    expect(mean).toBeCloseTo(0.5, 1);
    expect(uniforms(7, 'p', 4)).toEqual(uniforms(7, 'p', 4));
    expect(uniforms(8, 'p', 4)).not.toEqual(uniforms(7, 'p', 4));
    expect(uniforms(7, 'q', 4)).not.toEqual(uniforms(7, 'p', 4));
    expect(uniforms(7, 'p', 4, 1)).not.toEqual(uniforms(7, 'p', 4));
    const z = normals(3, 'n', 20000);
    const zm = z.reduce((a, b) => a + b, 0) / z.length;
    const zv = z.reduce((a, b) => a + (b - zm) ** 2, 0) / z.length;
    expect(Math.abs(zm)).toBeLessThan(0.03);
    expect(zv).toBeCloseTo(1, 1);
  });

  it('rejects seeds that are not non-negative integers', () => {
    expect(() => uniforms(-1, 'p', 1)).toThrow(/seed -1/);
    expect(() => uniforms(1.5, 'p', 1)).toThrow(/seed 1.5/);
  });
});
