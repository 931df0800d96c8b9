import { describe, expect, it } from 'vitest';
import { avgpoolBackward, avgpoolForward, maxpoolBackward, maxpoolForward, poolOutputSize, type PoolGeometry } from './pool.js';
import { dot, numericGradient, randomArray, relativeError, seededRandom } from './testing/gradient-check.js';

const plane = (h: number, w: number, size: number, stride: number, padding: 'same' | 'valid'): PoolGeometry => ({
  batch: 1,
  channels: 1,
  inHeight: h,
  inWidth: w,
  size: [size, size],
  stride: [stride, stride],
  padding,
});

describe('pooling', () => {
  it('maxpool 2x2 stride 2 drops the odd last row and column (valid)', () => {
    const x = Float64Array.from({ length: 25 }, (_, i) => i);
    expect([...maxpoolForward(x, plane(5, 5, 2, 2, 'valid'))]).toEqual([6, 8, 16, 18]);
  });

  it('avgpool with same padding averages over the real inputs only', () => {
    const x = Float64Array.from({ length: 9 }, (_, i) => i + 1);
    // 3x3 input, size 2 stride 2 same: outputs 2x2, padding at the end; the last window holds only x[8].
    const y = avgpoolForward(x, plane(3, 3, 2, 2, 'same'));
    expect([...y]).toEqual([(1 + 2 + 4 + 5) / 4, (3 + 6) / 2, (7 + 8) / 2, 9]);
  });

  const geometries: PoolGeometry[] = [
    { batch: 2, channels: 2, inHeight: 5, inWidth: 6, size: [3, 2], stride: [2, 2], padding: 'valid' },
    { batch: 2, channels: 2, inHeight: 5, inWidth: 5, size: [2, 2], stride: [2, 2], padding: 'same' },
    { batch: 1, channels: 2, inHeight: 5, inWidth: 5, size: [3, 3], stride: [1, 1], padding: 'same' },
  ];
  for (const g of geometries) {
    const label = `${g.size.join('x')} stride ${g.stride.join('x')} ${g.padding}`;
    it(`maxpool and avgpool backward match central differences (${label})`, () => {
      const random = seededRandom(3);
      const [oh, ow] = poolOutputSize(g);
      // Distinct values keep every max unique, so the function is differentiable where it is probed.
      const x = randomArray(random, g.batch * g.channels * g.inHeight * g.inWidth);
      const r = randomArray(random, g.batch * g.channels * oh * ow);
      const fMax = () => dot(maxpoolForward(x, g), r);
      const fAvg = () => dot(avgpoolForward(x, g), r);
      expect(relativeError(maxpoolBackward(x, r, g), numericGradient(x, fMax))).toBeLessThan(1e-7);
      expect(relativeError(avgpoolBackward(r, g), numericGradient(x, fAvg))).toBeLessThan(1e-7);
    });
  }
});
