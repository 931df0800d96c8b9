import { describe, expect, it } from 'vitest';
import { isBnxError } from '@bnx/ir';
import { countCorrect, crossEntropy, meanSquaredError } from './losses.js';
import { numericGradient, randomArray, relativeError, seededRandom } from './testing/gradient-check.js';

describe('losses', () => {
  const labels = Int32Array.of(2, 0, 1);
  const d = { batch: 3, classes: 4 };

  it('cross_entropy of equal logits is log(classes); mse of zeros is 1/classes', () => {
    expect(crossEntropy(new Float64Array(12), labels, d).loss).toBeCloseTo(Math.log(4), 14);
    expect(meanSquaredError(new Float64Array(12), labels, d).loss).toBeCloseTo(1 / 4, 14);
  });

  it('cross_entropy is the mean of -log softmax of the true class', () => {
    const logits = Float64Array.of(1, 2, 3, 4, 0, 0, 0, 0, -1, 5, 2, 0);
    const expected: [number[], number][] = [
      [[1, 2, 3, 4], 2],
      [[0, 0, 0, 0], 0],
      [[-1, 5, 2, 0], 1],
    ];
    let sum = 0;
    for (const [row, label] of expected) {
      sum += -Math.log(Math.exp(row[label]!) / row.reduce((a, v) => a + Math.exp(v), 0));
    }
    expect(crossEntropy(logits, labels, d).loss).toBeCloseTo(sum / 3, 13);
  });

  for (const [name, loss] of [
    ['cross_entropy', crossEntropy],
    ['mse', meanSquaredError],
  ] as const) {
    it(`${name} gradient matches central differences`, () => {
      const logits = randomArray(seededRandom(2), 12, 2);
      const numeric = numericGradient(logits, () => loss(logits, labels, d).loss);
      expect(relativeError(loss(logits, labels, d).dlogits, numeric)).toBeLessThan(1e-7);
    });
  }

  it('rejects a label outside the classes with a BnxError', () => {
    let caught: unknown;
    try {
      crossEntropy(new Float64Array(12), Int32Array.of(0, 4, 1), d);
    } catch (err) {
      caught = err;
    }
    expect(isBnxError(caught)).toBe(true);
    expect(String(caught)).toContain('label 4 of sample 1');
  });

  it('countCorrect takes the argmax, first index on ties', () => {
    const logits = Float64Array.of(0, 0, 1, 0, 5, 5, 0, 0, 0, 3, 3, 0);
    expect(countCorrect(logits, labels, d)).toBe(3);
  });
});
