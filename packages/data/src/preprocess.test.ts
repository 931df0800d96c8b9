import { describe, expect, it } from 'vitest';
import type { Preprocess } from '@bnx/ir';
import { contextOf } from './context.js';
import { applyPreprocess, byteTable, shapeAfter } from './preprocess.js';
import type { Split } from './types.js';

const ctx = contextOf({ name: 'd' });
function split(values: number[], sampleShape: number[]): Split {
  const size = sampleShape.reduce((a, b) => a * b, 1);
  return { x: Float32Array.from(values), y: new Int32Array(values.length / size), count: values.length / size, sampleShape, numClasses: 2 };
}

describe('preprocess', () => {
  it('scales, then normalizes per channel (channels-first)', () => {
    // Two samples of shape (2, 1, 2): channel 0 then channel 1.
    const s = split([2, 4, 6, 8, 10, 12, 14, 16], [2, 1, 2]);
    const steps: Preprocess[] = [
      { op: 'scale', factor: 0.5 },
      { op: 'normalize', mean: [1, 3], std: [1, 2] },
    ];
    applyPreprocess(ctx, steps, [2, 1, 2], s, []);
    expect(Array.from(s.x)).toEqual([0, 1, 0, 0.5, 4, 5, 2, 2.5]);
  });

  it('standardizes with statistics of the training split only', () => {
    const train = split([1, 3, 5, 7], [1]);
    const test = split([100, 200], [1]);
    const { notes } = applyPreprocess(ctx, [{ op: 'standardize' }], [1], train, [test]);
    const std = Math.sqrt(5); // mean 4, biased variance (9+1+1+9)/4 = 5
    expect(Array.from(train.x).map((v) => +v.toFixed(5))).toEqual([-3, -1, 1, 3].map((v) => +(v / std).toFixed(5)));
    expect(test.x[0]).toBeCloseTo((100 - 4) / std, 4);
    expect(notes[0]).toMatch(/fitted on the 4 training samples/);
  });

  it('standardizes vectors per feature and leaves constant features centred', () => {
    const train = split([1, 5, 3, 5], [2]);
    applyPreprocess(ctx, [{ op: 'standardize' }], [2], train, []);
    expect(Array.from(train.x)).toEqual([-1, 0, 1, 0]);
  });

  it('flattens the sample shape and updates every split', () => {
    const train = split(new Array(12).fill(1), [1, 2, 3]);
    const test = split(new Array(6).fill(1), [1, 2, 3]);
    const result = applyPreprocess(ctx, [{ op: 'flatten' }], [1, 2, 3], train, [test]);
    expect(result.sampleShape).toEqual([6]);
    expect(test.sampleShape).toEqual([6]);
    expect(shapeAfter([{ op: 'scale', factor: 2 }, { op: 'flatten' }], [3, 32, 32])).toEqual([3072]);
  });

  it('names the step and its position when per-channel values do not fit', () => {
    const loc = { range: { file: 'a.bnx', start: { line: 4, column: 30, offset: 0 }, end: { line: 4, column: 60, offset: 0 } } };
    const s = split(new Array(4).fill(1), [1, 2, 2]);
    expect(() => applyPreprocess(ctx, [{ op: 'normalize', mean: [0.5, 0.5, 0.5], std: 0.5, loc }], [1, 2, 2], s, [])).toThrow(
      "dataset 'd': preprocess normalize (a.bnx:4:30): mean has 3 values but samples of shape (1, 2, 2) have 1 channel; give one value or 1",
    );
    expect(() => applyPreprocess(ctx, [{ op: 'normalize', mean: 0, std: 0 }], [1, 2, 2], s, [])).toThrow(/std must be positive/);
  });

  it('folds leading scale/normalize steps into a byte table with bit-identical results', () => {
    const shape = [3, 4, 4];
    const bytes = Uint8Array.from({ length: 5 * 48 }, (_, i) => (i * 37 + 11) % 256);
    const steps: Preprocess[] = [
      { op: 'scale', factor: 1 / 255 },
      { op: 'normalize', mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.243, 0.261] },
      { op: 'scale', factor: 3 },
      { op: 'flatten' },
    ];
    const lookup = byteTable(ctx, steps, shape)!;
    expect(lookup.folded).toBe(3);
    const stepwise = split(Array.from(bytes), shape);
    applyPreprocess(ctx, steps, shape, stepwise, []);
    const viaTable = Float32Array.from(bytes, (v, i) => lookup.table[Math.floor((i % 48) / 16) * 256 + v]!);
    expect(Buffer.from(viaTable.buffer).equals(Buffer.from(stepwise.x.buffer))).toBe(true);
    expect(byteTable(ctx, [{ op: 'flatten' }, { op: 'scale', factor: 2 }], shape)).toBeNull();
  });
});
