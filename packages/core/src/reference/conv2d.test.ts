import { describe, expect, it } from 'vitest';
import { conv2dBackward, conv2dForward, conv2dOutputSize, type Conv2dGeometry } from './conv2d.js';
import { dot, numericGradient, randomArray, relativeError, seededRandom } from './testing/gradient-check.js';

const single = (h: number, w: number, k: [number, number], padding: 'same' | 'valid'): Conv2dGeometry => ({
  batch: 1,
  inChannels: 1,
  inHeight: h,
  inWidth: w,
  outChannels: 1,
  kernel: k,
  stride: [1, 1],
  padding,
});

describe('conv2d', () => {
  it('a 3x3 all-ones kernel with same padding counts the in-bounds neighbours', () => {
    const y = conv2dForward(new Float64Array(9).fill(1), new Float64Array(9).fill(1), null, single(3, 3, [3, 3], 'same'));
    expect([...y]).toEqual([4, 6, 4, 6, 9, 6, 4, 6, 4]);
  });

  it('an even kernel with same padding pads at the end (SAME_UPPER), so the last output sees one input', () => {
    const x = Float64Array.from({ length: 9 }, (_, i) => 10 ** i);
    const y = conv2dForward(x, new Float64Array(4).fill(1), null, single(3, 3, [2, 2], 'same'));
    expect(y[0]).toBe(x[0]! + x[1]! + x[3]! + x[4]!);
    expect(y[8]).toBe(x[8]);
  });

  it('uses OIHW weights: output channel o reads weight[o, c, ky, kx]', () => {
    // Two input channels, 1x1 kernel: y[o] = sum_c w[o, c] x[c].
    const g: Conv2dGeometry = { ...single(1, 1, [1, 1], 'valid'), inChannels: 2, outChannels: 2 };
    const y = conv2dForward(Float64Array.of(1, 10), Float64Array.of(1, 2, 3, 4), Float64Array.of(0, 100), g);
    expect([...y]).toEqual([21, 143]);
  });

  const cases: [string, Conv2dGeometry][] = [
    ['same, stride (2,1), 3x2 kernel', { batch: 2, inChannels: 2, inHeight: 5, inWidth: 4, outChannels: 3, kernel: [3, 2], stride: [2, 1], padding: 'same' }],
    ['valid, stride 2', { batch: 2, inChannels: 3, inHeight: 6, inWidth: 5, outChannels: 2, kernel: [2, 2], stride: [2, 2], padding: 'valid' }],
  ];
  for (const [name, g] of cases) {
    it(`backward matches central differences (${name})`, () => {
      const random = seededRandom(7);
      const [oh, ow] = conv2dOutputSize(g);
      const x = randomArray(random, g.batch * g.inChannels * g.inHeight * g.inWidth);
      const w = randomArray(random, g.outChannels * g.inChannels * g.kernel[0] * g.kernel[1]);
      const b = randomArray(random, g.outChannels);
      const r = randomArray(random, g.batch * g.outChannels * oh * ow);
      const f = () => dot(conv2dForward(x, w, b, g), r);
      const grads = conv2dBackward(x, w, r, true, g);
      expect(relativeError(grads.dx, numericGradient(x, f))).toBeLessThan(1e-7);
      expect(relativeError(grads.dw, numericGradient(w, f))).toBeLessThan(1e-7);
      expect(relativeError(grads.db!, numericGradient(b, f))).toBeLessThan(1e-7);
    });
  }
});
