import { describe, expect, it } from 'vitest';
import * as act from './activations.js';
import { dot, numericGradient, randomArray, relativeError, seededRandom } from './testing/gradient-check.js';

type Pair = [string, (x: Float64Array) => Float64Array, (x: Float64Array, dy: Float64Array) => Float64Array];

const elementwise: Pair[] = [
  ['relu', act.reluForward, act.reluBackward],
  ['leaky_relu', (x) => act.leakyReluForward(x, 0.2), (x, dy) => act.leakyReluBackward(x, dy, 0.2)],
  ['sigmoid', act.sigmoidForward, act.sigmoidBackward],
  ['tanh', act.tanhForward, act.tanhBackward],
  ['elu', (x) => act.eluForward(x, 0.7), (x, dy) => act.eluBackward(x, dy, 0.7)],
];

describe('activations', () => {
  for (const [name, fwd, bwd] of elementwise) {
    it(`${name} backward matches central differences`, () => {
      const random = seededRandom(11);
      // Inputs kept away from 0 so the finite difference never straddles a kink.
      const x = randomArray(random, 24, 2).map((v) => (Math.abs(v) < 0.05 ? v + 0.1 : v));
      const r = randomArray(random, 24);
      expect(
        relativeError(
          bwd(x, r),
          numericGradient(x, () => dot(fwd(x), r)),
        ),
      ).toBeLessThan(1e-7);
    });
  }

  it('forward values at known points', () => {
    const x = Float64Array.of(-2, 0, 3);
    expect([...act.reluForward(x)]).toEqual([0, 0, 3]);
    expect([...act.leakyReluForward(x, 0.1)]).toEqual([-0.2, 0, 3]);
    expect(act.sigmoidForward(x)[1]).toBe(0.5);
    expect(act.eluForward(x, 1)[0]).toBeCloseTo(Math.exp(-2) - 1, 15);
    expect(act.tanhForward(x)[2]).toBeCloseTo((Math.exp(6) - 1) / (Math.exp(6) + 1), 15);
  });

  it('softmax normalizes each row of the last axis and its backward matches central differences', () => {
    const random = seededRandom(5);
    const x = randomArray(random, 12, 3);
    const y = act.softmaxForward(x, 4);
    for (let row = 0; row < 3; row++) {
      expect(y[row * 4]! + y[row * 4 + 1]! + y[row * 4 + 2]! + y[row * 4 + 3]!).toBeCloseTo(1, 14);
    }
    expect([...act.softmaxForward(Float64Array.of(1000, 1000), 2)]).toEqual([0.5, 0.5]);
    const r = randomArray(random, 12);
    const numeric = numericGradient(x, () => dot(act.softmaxForward(x, 4), r));
    expect(relativeError(act.softmaxBackward(y, r, 4), numeric)).toBeLessThan(1e-7);
  });
});
