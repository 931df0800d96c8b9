import { describe, expect, it } from 'vitest';
import { groupNormBackward, groupNormForward, type GroupNormLayout } from './groupnorm.js';
import { dot, numericGradient, randomArray, relativeError, seededRandom } from './testing/gradient-check.js';

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
/** PyTorch's normalization of one group: (v - mean) / sqrt(biased variance + eps). */
const normalize = (v: number[], eps: number) => {
  const m = mean(v);
  const variance = v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length;
  return v.map((x) => (x - m) / Math.sqrt(variance + eps));
};

describe('group and layer normalization', () => {
  it('layer norm (one group) normalizes each sample over all its features, then scales and shifts per feature', () => {
    const rows = [
      [1, 2, 3, 10],
      [-4, 0, 4, 8],
    ];
    const gamma = Float64Array.of(1, 2, 3, 4);
    const beta = Float64Array.of(0, 1, 0, -1);
    const { y } = groupNormForward(Float64Array.from(rows.flat()), gamma, beta, 1e-5, { batch: 2, channels: 4, spatial: 1, groups: 1 });
    rows.forEach((row, n) => normalize(row, 1e-5).forEach((v, j) => expect(y[n * 4 + j]).toBeCloseTo(gamma[j]! * v + beta[j]!, 12)));
  });

  it('groups split consecutive channels: groups = C is instance norm, over each channel of each sample', () => {
    const random = seededRandom(3);
    const l: GroupNormLayout = { batch: 2, channels: 4, spatial: 3, groups: 2 };
    const x = randomArray(random, 2 * 4 * 3, 3);
    const values = [...x];
    const plane = (n: number, c: number) => values.slice((n * 4 + c) * 3, (n * 4 + c + 1) * 3);
    const two = groupNormForward(x, null, null, 1e-5, l).y;
    for (let n = 0; n < 2; n++)
      for (let g = 0; g < 2; g++) {
        const expected = normalize([...plane(n, 2 * g), ...plane(n, 2 * g + 1)], 1e-5);
        expect(relativeError(two.slice((n * 4 + 2 * g) * 3, (n * 4 + 2 * g + 2) * 3), expected)).toBeLessThan(1e-12);
      }
    const instance = groupNormForward(x, null, null, 1e-5, { ...l, groups: 4 }).y;
    for (let n = 0; n < 2; n++)
      for (let c = 0; c < 4; c++) expect(relativeError(instance.slice((n * 4 + c) * 3, (n * 4 + c + 1) * 3), normalize(plane(n, c), 1e-5))).toBeLessThan(1e-12);
  });

  it('a sample is normalized alone: the output of one sample does not depend on the others (unlike batch norm)', () => {
    const l: GroupNormLayout = { batch: 2, channels: 3, spatial: 2, groups: 3 };
    const a = groupNormForward(Float64Array.of(1, 2, 3, 5, 8, 13, 0, 0, 1, 1, 2, 3), null, null, 1e-5, l).y;
    const b = groupNormForward(Float64Array.of(1, 2, 3, 5, 8, 13, 100, -7, 4, 4, 9, 1), null, null, 1e-5, l).y;
    expect([...a.slice(0, 6)]).toEqual([...b.slice(0, 6)]);
  });

  const layouts: [string, GroupNormLayout, boolean][] = [
    ['layer norm after dense, affine', { batch: 3, channels: 5, spatial: 1, groups: 1 }, true],
    ['group norm after dense, 5 groups of 2 features, affine', { batch: 2, channels: 10, spatial: 1, groups: 5 }, true],
    ['group norm after conv, 2 groups, affine', { batch: 2, channels: 4, spatial: 6, groups: 2 }, true],
    ['layer norm after conv, no affine', { batch: 2, channels: 3, spatial: 4, groups: 1 }, false],
  ];
  for (const [name, l, hasAffine] of layouts) {
    it(`backward matches central differences (${name})`, () => {
      const random = seededRandom(17);
      const input = randomArray(random, l.batch * l.channels * l.spatial, 2);
      const gamma = hasAffine ? randomArray(random, l.channels).map((v) => v + 1.5) : null;
      const beta = hasAffine ? randomArray(random, l.channels) : null;
      const r = randomArray(random, input.length);
      const f = () => dot(groupNormForward(input, gamma, beta, 1e-3, l).y, r);
      const g = groupNormBackward(r, groupNormForward(input, gamma, beta, 1e-3, l), gamma, l);
      expect(relativeError(g.dx, numericGradient(input, f))).toBeLessThan(1e-6);
      if (gamma !== null && beta !== null) {
        expect(relativeError(g.dgamma!, numericGradient(gamma, f))).toBeLessThan(1e-7);
        expect(relativeError(g.dbeta!, numericGradient(beta, f))).toBeLessThan(1e-7);
      } else {
        expect(g.dgamma).toBeNull();
      }
    });
  }
});
