import { describe, expect, it } from 'vitest';
import type { ModelIR } from '@bnx/ir';
import { dropoutMask, dropoutMasks } from './dropout.js';

const model: ModelIR = {
  name: 'cnn',
  input: [1, 8, 8],
  layers: [
    { op: 'conv2d', name: 'conv_1', filters: 4, kernel: [3, 3], stride: [1, 1], padding: 'valid', init: null, bias: true },
    { op: 'dropout', name: 'dropout_1', rate: 0.25 },
    { op: 'flatten', name: 'flatten_1' },
    { op: 'dense', name: 'dense_1', units: 10, init: null, bias: true },
    { op: 'dropout', name: 'dropout_2', rate: 0.5 },
  ],
};

describe('dropoutMasks', () => {
  it('gives every dropout layer batch * prod(input shape) values of 0 or 1/(1-rate)', () => {
    const masks = dropoutMasks(model, 1, 0, 3);
    expect(Object.keys(masks).sort()).toEqual(['dropout_1', 'dropout_2']);
    expect(masks['dropout_1']).toHaveLength(3 * 4 * 6 * 6);
    expect(masks['dropout_2']).toHaveLength(3 * 10);
    expect(masks['dropout_1']!.every((v) => v === 0 || v === Math.fround(1 / 0.75))).toBe(true);
    expect(masks['dropout_2']!.every((v) => v === 0 || v === 2)).toBe(true);
  });

  it('drops about `rate` of the units', () => {
    const mask = dropoutMask(4, 'dropout_1', 17, 0.3, 20000);
    const dropped = mask.filter((v) => v === 0).length / mask.length;
    // Standard error sqrt(0.3 * 0.7 / 20000) ≈ 0.0032.
    expect(Math.abs(dropped - 0.3)).toBeLessThan(0.015);
  });

  it('depends on (seed, layer, step) only', () => {
    const a = dropoutMask(1, 'dropout_1', 5, 0.5, 64);
    expect(dropoutMask(1, 'dropout_1', 5, 0.5, 64)).toEqual(a);
    expect(dropoutMask(1, 'dropout_1', 6, 0.5, 64)).not.toEqual(a);
    expect(dropoutMask(2, 'dropout_1', 5, 0.5, 64)).not.toEqual(a);
    expect(dropoutMask(1, 'dropout_2', 5, 0.5, 64)).not.toEqual(a);
    // A smaller last batch gets a prefix of the same stream.
    expect(dropoutMask(1, 'dropout_1', 5, 0.5, 16)).toEqual(a.subarray(0, 16));
  });

  it('keeps everything at rate 0 and returns nothing for a model without dropout', () => {
    expect(dropoutMask(1, 'd', 0, 0, 10).every((v) => v === 1)).toBe(true);
    expect(dropoutMasks({ name: 'm', input: [4], layers: [] }, 1, 0, 8)).toEqual({});
  });
});
