import { describe, expect, it } from 'vitest';
import { percentiles } from './percentiles.js';

describe('percentiles', () => {
  it('interpolates linearly between order statistics like numpy', () => {
    // numpy.percentile([1, 2, 3, 4], [0, 25, 50, 90, 100]) = [1, 1.75, 2.5, 3.7, 4]
    const got = percentiles(new Float32Array([4, 1, 3, 2]), [0, 25, 50, 90, 100]);
    const want = [1, 1.75, 2.5, 3.7, 4];
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 12));
  });

  it('handles one value and no values', () => {
    expect(percentiles([7], [15, 85])).toEqual([7, 7]);
    expect(percentiles([], [50])).toEqual([Number.NaN]);
  });
});
