import { describe, expect, it } from 'vitest';
import { isBnxError } from '@bnx/ir';
import { dropoutBackward, dropoutForward } from './dropout.js';
import { flattenBackward, flattenForward } from './flatten.js';
import { dot, numericGradient, randomArray, relativeError, seededRandom } from './testing/gradient-check.js';

describe('dropout and flatten', () => {
  it('dropout multiplies by the given mask, forward and backward (central differences)', () => {
    const random = seededRandom(17);
    const x = randomArray(random, 10);
    const mask = Float32Array.from({ length: 10 }, (_, i) => (i % 3 === 0 ? 0 : 1 / (1 - 0.25)));
    const y = dropoutForward(x, mask);
    expect(y[0]).toBe(0);
    expect(y[1]).toBe(x[1]! * mask[1]!); // the float32 mask value as given, not 1/0.75 recomputed
    const r = randomArray(random, 10);
    expect(
      relativeError(
        dropoutBackward(r, mask),
        numericGradient(x, () => dot(dropoutForward(x, mask), r)),
      ),
    ).toBeLessThan(1e-8);
  });

  it('a mask of the wrong length is a BnxError', () => {
    let caught: unknown;
    try {
      dropoutForward(new Float64Array(4), new Float32Array(3));
    } catch (err) {
      caught = err;
    }
    expect(isBnxError(caught)).toBe(true);
  });

  it('flatten keeps the values and their order, and copies', () => {
    const x = Float64Array.of(1, 2, 3);
    const y = flattenForward(x);
    expect([...y]).toEqual([1, 2, 3]);
    y[0] = 9;
    expect(x[0]).toBe(1);
    expect([...flattenBackward(Float64Array.of(4, 5))]).toEqual([4, 5]);
  });
});
