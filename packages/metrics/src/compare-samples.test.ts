import { describe, expect, it } from 'vitest';
import { formatP, SIGNIFICANCE } from './compare-samples.js';

describe('formatP', () => {
  it('writes three decimals, and p < 0.001 below that', () => {
    expect(formatP(0.0213)).toBe('p = 0.021');
    expect(formatP(0.374)).toBe('p = 0.374');
    expect(formatP(0.0004)).toBe('p < 0.001');
  });

  it('never writes a p on either side of the threshold as the threshold itself', () => {
    // A Holm-adjusted p of 0.0498 decided a claim; "p = 0.050" beside it read as not significant.
    expect(formatP(0.04982481513297384)).toBe('p = 0.0498');
    expect(formatP(0.0503)).toBe('p = 0.0503');
    expect(formatP(SIGNIFICANCE)).toBe('p = 0.050');
    for (const p of [0.0495, 0.04951, 0.04999, 0.0501, 0.05049]) {
      const shown = Number(formatP(p).slice('p = '.length));
      expect(shown < SIGNIFICANCE).toBe(p < SIGNIFICANCE);
    }
  });
});
