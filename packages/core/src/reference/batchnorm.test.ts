import { describe, expect, it } from 'vitest';
import { isBnxError } from '@bnx/ir';
import { batchNormEvalForward, batchNormTrainBackward, batchNormTrainForward, updateRunningStatistics, type BatchNormLayout } from './batchnorm.js';
import { dot, numericGradient, randomArray, relativeError, seededRandom } from './testing/gradient-check.js';

describe('batch normalization', () => {
  // The published example: 4 samples of 3 features, running mean 0, running variance 1, momentum 0.1.
  const rows = [
    [1, 2, 3],
    [2, 4, 6],
    [3, 6, 9],
    [4, 8, 12],
  ];
  const x = Float64Array.from(rows.flat());
  const layout: BatchNormLayout = { batch: 4, channels: 3, spatial: 1 };
  const column = (j: number) => rows.map((r) => r[j]!);
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const squares = (v: number[]) => v.reduce((a, b) => a + (b - mean(v)) ** 2, 0);

  for (const convention of ['unbiased', 'biased'] as const) {
    it(`one training step with momentum 0.1 updates the running statistics (${convention})`, () => {
      const stats = batchNormTrainForward(x, null, null, 1e-5, layout).stats;
      const running = updateRunningStatistics({ mean: new Float64Array(3), variance: Float64Array.of(1, 1, 1) }, stats, 0.1, convention);
      const divisor = convention === 'unbiased' ? 3 : 4;
      const expectedMean = [0, 1, 2].map((j) => 0.9 * 0 + 0.1 * mean(column(j)));
      const expectedVar = [0, 1, 2].map((j) => 0.9 * 1 + 0.1 * (squares(column(j)) / divisor));
      expect(relativeError(running.mean, expectedMean)).toBeLessThan(1e-15);
      expect(relativeError(running.variance, expectedVar)).toBeLessThan(1e-15);
      // The numbers as published (rounded to 4 decimals), as a check of the check above.
      const published = convention === 'unbiased' ? [1.0667, 1.5667, 2.4] : [1.025, 1.4, 2.025];
      [0.25, 0.5, 0.75].forEach((m, j) => expect(running.mean[j]).toBeCloseTo(m, 12));
      published.forEach((v, j) => expect(Math.abs(running.variance[j]! - v)).toBeLessThan(5e-5));
    });
  }

  it('training normalizes with the biased batch variance', () => {
    const result = batchNormTrainForward(x, Float64Array.of(2, 2, 2), Float64Array.of(1, 1, 1), 0, layout);
    for (let j = 0; j < 3; j++) {
      const v = column(j);
      const sd = Math.sqrt(squares(v) / 4);
      rows.forEach((r, n) => expect(result.y[n * 3 + j]).toBeCloseTo((2 * (r[j]! - mean(v))) / sd + 1, 12));
    }
  });

  it('evaluation normalizes with the running statistics', () => {
    const y = batchNormEvalForward(Float64Array.of(3, 5), Float64Array.of(2), Float64Array.of(0.5), Float64Array.of(1), Float64Array.of(4 - 1e-3), 1e-3, {
      batch: 2,
      channels: 1,
      spatial: 1,
    });
    expect([...y].map((v) => Number(v.toFixed(12)))).toEqual([2.5, 4.5]);
  });

  const layouts: [string, BatchNormLayout, boolean][] = [
    ['after dense, affine', { batch: 5, channels: 3, spatial: 1 }, true],
    ['after conv (per channel over N, H, W), affine', { batch: 2, channels: 3, spatial: 6 }, true],
    ['after conv, no affine', { batch: 2, channels: 2, spatial: 4 }, false],
  ];
  for (const [name, l, hasAffine] of layouts) {
    it(`training backward matches central differences (${name})`, () => {
      const random = seededRandom(13);
      const input = randomArray(random, l.batch * l.channels * l.spatial, 2);
      const gamma = hasAffine ? randomArray(random, l.channels).map((v) => v + 1.5) : null;
      const beta = hasAffine ? randomArray(random, l.channels) : null;
      const r = randomArray(random, input.length);
      const f = () => dot(batchNormTrainForward(input, gamma, beta, 1e-3, l).y, r);
      const g = batchNormTrainBackward(r, batchNormTrainForward(input, gamma, beta, 1e-3, l), gamma, hasAffine, l);
      expect(relativeError(g.dx, numericGradient(input, f))).toBeLessThan(1e-6);
      if (gamma !== null && beta !== null) {
        expect(relativeError(g.dgamma!, numericGradient(gamma, f))).toBeLessThan(1e-7);
        expect(relativeError(g.dbeta!, numericGradient(beta, f))).toBeLessThan(1e-7);
      } else {
        expect(g.dgamma).toBeNull();
      }
    });
  }

  it('a single value per channel in training is a BnxError', () => {
    let caught: unknown;
    try {
      batchNormTrainForward(Float64Array.of(1, 2, 3), null, null, 1e-5, { batch: 1, channels: 3, spatial: 1 });
    } catch (err) {
      caught = err;
    }
    expect(isBnxError(caught)).toBe(true);
  });
});
