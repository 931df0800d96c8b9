import { describe, expect, it } from 'vitest';
import { batchCount, batches, defaultDropLast } from './batches.js';
import { epochOrder } from './shuffle.js';
import type { Split } from './types.js';

/** 10 samples of 3 features; sample i holds [i, i + 0.25, i + 0.5] and label i. */
const split: Split = {
  x: Float32Array.from({ length: 30 }, (_, k) => Math.floor(k / 3) + (k % 3) * 0.25),
  y: Int32Array.from({ length: 10 }, (_, i) => i),
  count: 10,
  sampleShape: [3],
  numClasses: 10,
};

describe('batches', () => {
  it('gathers samples in the given order, keeping or dropping the last partial batch', () => {
    const order = epochOrder(10, 1, 0);
    // Copy inside the loop: the next batch overwrites the buffers.
    const kept = [];
    for (const b of batches(split, { batchSize: 4, order, dropLast: false })) {
      kept.push({ y: Array.from(b.y), x0: b.x[0], size: b.size, index: b.index, len: b.x.length });
    }
    expect(kept.map((b) => b.size)).toEqual([4, 4, 2]);
    expect(kept.map((b) => b.index)).toEqual([0, 1, 2]);
    expect(kept.flatMap((b) => b.y)).toEqual(Array.from(order));
    expect(kept[2]!.len).toBe(6);
    expect(kept[1]!.x0).toBe(order[4]);
    expect([...batches(split, { batchSize: 4, order, dropLast: true })].length).toBe(2);
    expect(batchCount(10, 4, true)).toBe(2);
    expect(batchCount(10, 4, false)).toBe(3);
  });

  it('reuses one buffer and copies whole samples', () => {
    const seen = [...batches(split, { batchSize: 5, dropLast: false })];
    expect(seen[0]!.x.buffer).toBe(seen[1]!.x.buffer);
    expect(Array.from(seen[1]!.x.subarray(0, 3))).toEqual([5, 5.25, 5.5]);
  });

  it('is the same for the same seed and epoch', () => {
    const collect = () => Array.from(batches(split, { batchSize: 3, order: epochOrder(10, 7, 2), dropLast: false }), (b) => Array.from(b.y));
    const a = collect();
    const b = collect();
    expect(a.flat().sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(a).toEqual(b);
  });

  it('rejects a bad batch size or order', () => {
    expect(() => [...batches(split, { batchSize: 0, dropLast: false })]).toThrow(RangeError);
    expect(() => [...batches(split, { batchSize: 2, order: Uint32Array.of(0, 10), dropLast: false })]).toThrow(/order\[1\] = 10/);
  });
});

describe('defaultDropLast', () => {
  it('drops only a single-sample remainder under batch normalization', () => {
    expect(defaultDropLast(129, 32, true)).toBe(true);
    expect(defaultDropLast(129, 32, false)).toBe(false);
    expect(defaultDropLast(130, 32, true)).toBe(false);
    expect(defaultDropLast(128, 32, true)).toBe(false);
  });
});
