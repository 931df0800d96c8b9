import { describe, expect, it } from 'vitest';
import { denseBackward, denseForward } from './dense.js';
import { dot, numericGradient, randomArray, relativeError, seededRandom } from './testing/gradient-check.js';

describe('dense', () => {
  it('computes x·W + b with W laid out [in, out]', () => {
    const x = Float64Array.of(1, 2); // one sample, 2 inputs
    const w = Float64Array.of(1, 2, 3, 4, 5, 6); // [[1,2,3],[4,5,6]]
    const b = Float64Array.of(0.5, 0, -1);
    expect([...denseForward(x, w, b, { batch: 1, inputs: 2, units: 3 })]).toEqual([9.5, 12, 14]);
  });

  it('backward matches central differences for x, W and b', () => {
    const random = seededRandom(1);
    const d = { batch: 3, inputs: 4, units: 5 };
    const x = randomArray(random, 12);
    const w = randomArray(random, 20);
    const b = randomArray(random, 5);
    const r = randomArray(random, 15);
    const f = () => dot(denseForward(x, w, b, d), r);
    const g = denseBackward(x, w, r, true, d);
    expect(relativeError(g.dx, numericGradient(x, f))).toBeLessThan(1e-7);
    expect(relativeError(g.dw, numericGradient(w, f))).toBeLessThan(1e-7);
    expect(relativeError(g.db!, numericGradient(b, f))).toBeLessThan(1e-7);
    expect(denseBackward(x, w, r, false, d).db).toBeNull();
  });
});
