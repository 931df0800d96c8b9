import { describe, expect, it } from 'vitest';
import { learningRate } from './schedule.js';

describe('learningRate', () => {
  it('constant keeps the base rate', () => {
    expect(learningRate({ kind: 'constant' }, 0.1, { step: 500, epoch: 9, totalSteps: 1000 })).toBe(0.1);
  });

  it('step multiplies by gamma every `every` epochs', () => {
    const s = { kind: 'step', every: 3, gamma: 0.5 } as const;
    const at = (epoch: number) => learningRate(s, 0.2, { step: epoch * 10, epoch, totalSteps: 100 });
    expect([0, 1, 2, 3, 5, 6, 9].map(at)).toEqual([0.2, 0.2, 0.2, 0.1, 0.1, 0.05, 0.025]);
  });

  it('cosine follows (1 + cos(pi t / T)) / 2 per step', () => {
    const at = (step: number) => learningRate({ kind: 'cosine' }, 1, { step, epoch: 0, totalSteps: 100 });
    expect(at(0)).toBe(1);
    expect(at(50)).toBeCloseTo(0.5, 12);
    expect(at(25)).toBeCloseTo((1 + Math.SQRT1_2) / 2, 12);
    expect(at(99)).toBeCloseTo((1 + Math.cos((Math.PI * 99) / 100)) / 2, 12);
    expect(at(99)).toBeGreaterThan(0);
    expect(at(100)).toBeCloseTo(0, 12);
  });
});
