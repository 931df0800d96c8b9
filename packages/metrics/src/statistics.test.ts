// Reference values computed independently with scipy 1.17 (stats.ttest_ind(equal_var=False),
// stats.t.interval, stats.mannwhitneyu) and, for Welch, the worked example on Wikipedia's "Welch's t-test".
// jstat inverts the t distribution numerically (about 1e-8 relative), so intervals are checked to 6 digits.
import { describe, expect, it } from 'vitest';
import { studentTQuantile, studentTTwoSidedP } from './distributions.js';
import { interactionTest } from './interaction.js';
import { mannWhitney } from './mann-whitney.js';
import { summarize } from './sample-summary.js';
import { welchTest } from './welch.js';
import { pairedTest, signFlipPValue } from './paired-test.js';
import { noSpread } from './sample-summary.js';
import { seedCountWarning, smallestAttainableP } from './power.js';

describe('Student t', () => {
  it('matches the table quantiles', () => {
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(4.302652729749462, 8);
    expect(studentTQuantile(0.975, 9)).toBeCloseTo(2.262157162798205, 8);
    expect(studentTQuantile(0.975, Infinity)).toBeCloseTo(1.959963985, 6);
  });
  it('gives two-sided p-values', () => {
    expect(studentTTwoSidedP(4.302652729749462, 2)).toBeCloseTo(0.05, 8);
    expect(studentTTwoSidedP(0, 5)).toBeCloseTo(1, 10);
    expect(studentTTwoSidedP(Infinity, 5)).toBe(0);
  });
});

describe('summarize', () => {
  it('computes mean, std and the Student-t interval', () => {
    const s = summarize([0.91, 0.92, 0.93]);
    expect(s.mean).toBeCloseTo(0.92, 12);
    expect(s.std).toBeCloseTo(0.01, 12);
    expect(s.ci95![0]).toBeCloseTo(0.8951586228824967, 10);
    expect(s.ci95![1]).toBeCloseTo(0.9448413771175034, 10);
    expect([s.n, s.min, s.max]).toEqual([3, 0.91, 0.93]);
  });
  it('has no spread or interval for a single seed', () => {
    expect(summarize([0.5])).toEqual({ mean: 0.5, std: null, ci95: null, n: 1, min: 0.5, max: 0.5, values: [0.5] });
  });
  it('gives a zero-width interval for identical values', () => {
    const s = summarize([2, 2, 2]);
    expect(s.std).toBe(0);
    expect(s.ci95).toEqual([2, 2]);
  });
  it('keeps diverged (non-finite) values as null without counting them', () => {
    const s = summarize([1, Number.NaN, 3, null, Infinity]);
    expect(s.values).toEqual([1, null, 3, null, null]);
    expect(s.n).toBe(2);
    expect(s.mean).toBe(2);
  });
  it('handles no values at all', () => {
    expect(summarize([]).mean).toBeNull();
  });
});

describe('welchTest', () => {
  const a1 = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
  const a2 = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];
  it('reproduces the textbook example', () => {
    const r = welchTest(a1, a2)!;
    expect(r.t).toBeCloseTo(2.455356398286006, 8);
    expect(r.df).toBeCloseTo(24.988529290231416, 8);
    expect(r.pValue).toBeCloseTo(0.021378001462866992, 8);
    expect(r.ci95[0]).toBeCloseTo(0.3492370661924069, 6);
    expect(r.ci95[1]).toBeCloseTo(3.984096267140929, 6);
  });
  it('is antisymmetric', () => {
    const r = welchTest(a2, a1)!;
    expect(r.difference).toBeLessThan(0);
    expect(r.pValue).toBeCloseTo(0.021378001462866992, 8);
  });
  it('refuses to test a single seed', () => {
    expect(welchTest([1], [2, 3])).toBeNull();
  });
  it('treats zero variance (within rounding) as an exact difference', () => {
    expect(welchTest([0.1 + 0.2, 0.3], [0.3, 0.1 + 0.2])!.pValue).toBe(1);
    expect(welchTest([1, 1], [1, 1])!.pValue).toBe(1);
    const r = welchTest([1, 1], [2, 2])!;
    expect(r.pValue).toBe(0);
    expect(r.ci95).toEqual([1, 1]);
  });
});

describe('mannWhitney', () => {
  it('is exact for small samples', () => {
    const r = mannWhitney([1, 2, 3], [4, 5, 6])!;
    expect(r.u).toBe(0);
    expect(r.exact).toBe(true);
    expect(r.pValue).toBeCloseTo(0.1, 12);
    const r2 = mannWhitney([1.1, 2.3, 3.5, 7.7, 0.2], [4.1, 5.2, 6.3, 2.2])!;
    expect(r2.u).toBe(6);
    expect(r2.pValue).toBeCloseTo(0.4126984126984127, 12);
  });
  it('matches scipy for larger exact samples', () => {
    const x = [0.91, 0.83, 0.77, 0.945, 0.88, 0.72, 0.985, 0.81, 0.86, 0.79];
    const y = [0.93, 0.97, 0.89, 0.99, 0.94, 0.92, 0.96, 0.98, 0.9, 0.95, 0.87, 0.995];
    const r = mannWhitney(x, y)!;
    expect(r.u).toBe(20);
    expect(r.pValue).toBeCloseTo(0.00714455822814956, 12);
  });
  it('uses the tie-corrected normal approximation with ties', () => {
    const r = mannWhitney([1, 2, 2, 3, 4], [2, 3, 5, 6, 6, 7])!;
    expect(r.exact).toBe(false);
    expect(r.u).toBe(4.5);
    expect(r.pValue).toBeCloseTo(0.06414661873440437, 10);
  });
  it('gives p = 1 when every value is equal', () => {
    expect(mannWhitney([1, 1], [1, 1])!.pValue).toBe(1);
  });
});

describe('interactionTest', () => {
  it('matches a hand computation of the difference of differences', () => {
    const r = interactionTest([
      [0.9, 0.91, 0.92],
      [0.95, 0.96, 0.94],
      [0.8, 0.82, 0.81],
      [0.7, 0.75, 0.72],
    ])!;
    expect(r.estimate).toBeCloseTo(-0.1266666666666666, 12);
    expect(r.df).toBeCloseTo(4.041237113402055, 8);
    expect(r.ci95[0]).toBeCloseTo(-0.17544210639877833, 6);
    expect(r.pValue).toBeCloseTo(0.0019149163113261676, 8);
  });
});

describe('zero spread is judged with a relative tolerance, not float equality', () => {
  it('takes rounding noise for no spread', () => {
    expect(noSpread([0.1 + 0.2, 0.3])).toBe(true);
    expect(noSpread([0.3, 0.3000001])).toBe(false);
    // Differences equal up to rounding: no t statistic (zero standard error), only the signs count.
    const r = pairedTest([0.1 + 0.2 - 0.2, 0.1, 0.3 - 0.2, 0.1, 0.1])!;
    expect(r.sd).toBe(0);
    expect(r.test).toBe('sign_flip_exact');
    expect(r.pValue).toBeCloseTo(2 / 32, 12);
    expect(signFlipPValue([0, 0, 0])).toBe(1);
  });
});

describe('what a design can show (bnx check)', () => {
  it('warns when 3 or 4 seeds cannot reach p < 0.05, and not from 5 on', () => {
    expect(smallestAttainableP({ seeds: 3, variants: 2, sweepPoints: 1, declaredTarget: true })).toEqual({ paired: 0.25, timeToTarget: 0.1 });
    expect(seedCountWarning({ seeds: 3, variants: 2, sweepPoints: 1, declaredTarget: false })).toMatch(
      /with 3 seeds the paired comparisons use the exact sign-flip test, which cannot give p below 0\.250.*use at least 5 seeds/,
    );
    expect(seedCountWarning({ seeds: 4, variants: 2, sweepPoints: 1, declaredTarget: true })).toMatch(
      /only time to the target, by the exact log-rank test, can reach p = 0\.029/,
    );
    expect(seedCountWarning({ seeds: 5, variants: 2, sweepPoints: 1, declaredTarget: true })).toBeNull();
    expect(seedCountWarning({ seeds: 1, variants: 1, sweepPoints: 1, declaredTarget: false })).toBeNull();
  });
});
