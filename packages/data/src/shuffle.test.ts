import { describe, expect, it } from 'vitest';
import { epochOrder, seededPermutation } from './shuffle.js';

function isPermutation(order: Uint32Array, n: number): boolean {
  const seen = new Uint8Array(n);
  for (const v of order) {
    if (v >= n || seen[v]) return false;
    seen[v] = 1;
  }
  return order.length === n;
}

describe('epochOrder', () => {
  it('is a permutation and a pure function of (count, seed, epoch)', () => {
    const a = epochOrder(1000, 42, 3);
    expect(isPermutation(a, 1000)).toBe(true);
    epochOrder(1000, 42, 2); // whatever was drawn before does not matter
    expect(epochOrder(1000, 42, 3)).toEqual(a);
    expect(epochOrder(1000, 42, 4)).not.toEqual(a);
    expect(epochOrder(1000, 43, 3)).not.toEqual(a);
  });

  it('handles tiny counts', () => {
    expect(Array.from(epochOrder(0, 1, 0))).toEqual([]);
    expect(Array.from(epochOrder(1, 1, 0))).toEqual([0]);
    expect(isPermutation(epochOrder(2, 1, 0), 2)).toBe(true);
  });

  it('puts every element at every position about equally often', () => {
    // 3 elements, 6000 epochs: each of the 6 orders should appear about 1000 times.
    const counts = new Map<string, number>();
    for (let e = 0; e < 6000; e++) {
      const key = Array.from(epochOrder(3, 9, e)).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(150);
  });

  it('uses the purpose as its own stream', () => {
    expect(seededPermutation(50, 1, 'data/epoch', 0)).toEqual(epochOrder(50, 1, 0));
    expect(seededPermutation(50, 1, 'data/subset', 0)).not.toEqual(epochOrder(50, 1, 0));
  });
});
