import { describe, expect, it } from 'vitest';
import { isBnxError } from '@bnx/ir';
import { contextOf } from './context.js';
import { classCounts } from './raw.js';
import { fixedHoldout, proportionalQuotas, selectTraining } from './split.js';

const ctx = contextOf({ name: 'd' });
/** 1000 labels, classes 0..3 in proportions 10%, 20%, 30%, 40%. */
const labels = Int32Array.from({ length: 1000 }, (_, i) => (i % 10 < 1 ? 0 : i % 10 < 3 ? 1 : i % 10 < 6 ? 2 : 3));

function thrown(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(isBnxError(err)).toBe(true);
    return (err as Error).message;
  }
  throw new Error('expected an error');
}

describe('proportionalQuotas', () => {
  it('sums to k and follows the class proportions', () => {
    expect(proportionalQuotas([100, 200, 300, 400], 100)).toEqual([10, 20, 30, 40]);
    expect(proportionalQuotas([1, 1, 1], 2)).toEqual([1, 1, 0]);
    expect(proportionalQuotas([5, 3], 7).reduce((a, b) => a + b)).toBe(7);
    expect(proportionalQuotas([7002 - 2, 7000], 2000)).toEqual([1000, 1000]);
  });
});

describe('selectTraining', () => {
  it('takes no copy when nothing is asked', () => {
    expect(selectTraining(ctx, labels, 4, { seed: 1, stratify: true })).toEqual({ train: null, validation: null });
  });

  it('holds out a stratified, seeded, disjoint validation split', () => {
    const a = selectTraining(ctx, labels, 4, { seed: 1, stratify: true, validation: { count: 100 } });
    expect(a.train!.length).toBe(900);
    expect(a.validation!.length).toBe(100);
    expect(
      classCounts(
        Int32Array.from(a.validation!, (i) => labels[i]!),
        4,
      ),
    ).toEqual([10, 20, 30, 40]);
    const all = new Set([...a.train!, ...a.validation!]);
    expect(all.size).toBe(1000);
    // Source order inside each split.
    expect(Array.from(a.train!)).toEqual(Array.from(a.train!).sort((x, y) => x - y));
    expect(selectTraining(ctx, labels, 4, { seed: 1, stratify: true, validation: { count: 100 } })).toEqual(a);
    expect(selectTraining(ctx, labels, 4, { seed: 2, stratify: true, validation: { count: 100 } }).validation).not.toEqual(a.validation);
  });

  it('can skip stratification, and takes fractions of what subset left', () => {
    const s = selectTraining(ctx, labels, 4, { seed: 3, stratify: false, subset: 500, validation: { fraction: 0.2 } });
    expect(s.train!.length).toBe(400);
    expect(s.validation!.length).toBe(100);
    const sub = selectTraining(ctx, labels, 4, { seed: 3, stratify: false, subset: 500 });
    expect(sub.train!.length).toBe(500);
    expect(new Set([...s.train!, ...s.validation!])).toEqual(new Set(sub.train!));
  });

  it('rejects sizes that leave nothing to train on', () => {
    expect(thrown(() => selectTraining(ctx, labels, 4, { seed: 1, stratify: true, validation: { count: 1000 } }))).toBe(
      "dataset 'd': validation 1000 leaves no training data: it must be smaller than the 1000 training samples",
    );
    expect(thrown(() => selectTraining(ctx, labels, 4, { seed: 1, stratify: true, subset: 50, validation: { count: 60 } }))).toMatch(
      /validation 60 leaves no training data: it must be smaller than the 50 samples left by subset/,
    );
    expect(thrown(() => selectTraining(ctx, labels, 4, { seed: 1, stratify: true, validation: { fraction: 1 } }))).toMatch(/fraction must lie in \(0, 1\)/);
    expect(thrown(() => selectTraining(ctx, labels, 4, { seed: 1, stratify: true, validation: { fraction: 0.0001 } }))).toMatch(/less than one sample/);
    expect(thrown(() => selectTraining(ctx, labels, 4, { seed: 1, stratify: true, subset: 1001 }))).toMatch(/subset 1001 asks for more samples than the 1000/);
    expect(thrown(() => selectTraining(ctx, labels, 4, { seed: 1, stratify: true, subset: 0 }))).toMatch(/subset must be a whole number/);
  });
});

describe('fixedHoldout', () => {
  it('is stratified and independent of any run seed', () => {
    const a = fixedHoldout(labels, 4, 200, 'x');
    expect(a.test.length).toBe(200);
    expect(
      classCounts(
        Int32Array.from(a.test, (i) => labels[i]!),
        4,
      ),
    ).toEqual([20, 40, 60, 80]);
    expect(fixedHoldout(labels, 4, 200, 'x')).toEqual(a);
    expect(fixedHoldout(labels, 4, 200, 'y').test).not.toEqual(a.test);
  });
});
