import { describe, expect, it } from 'vitest';
import { l2norm, meanAndStd, tensorNorms } from './probe-stats.js';

describe('probe statistics', () => {
  it('l2norm and population mean/std', () => {
    expect(l2norm(new Float32Array([3, 4]))).toBe(5);
    expect(meanAndStd([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({ mean: 5, std: 2 });
    expect(meanAndStd([])).toEqual({ mean: Number.NaN, std: Number.NaN });
  });

  it('tensorNorms names a tensor the state lacks', () => {
    const state = { 'dense_1.weight': { shape: [2], data: new Float32Array([6, 8]) } };
    expect(tensorNorms(state, ['dense_1.weight'])).toEqual({ 'dense_1.weight': 10 });
    expect(() => tensorNorms(state, ['dense_1.bias'])).toThrow(/no tensor 'dense_1.bias'/);
  });
});
