import { describe, expect, it } from 'vitest';
import { channelMoments, unitValues } from './probe-recorder.js';

// Two samples of a (2 channels, 3 positions) layer: sample n, channel c, position p at (n*2 + c)*3 + p.
const batch = Float32Array.from([1, 2, 3, 10, 20, 30, 4, 5, 6, 40, 50, 60]);

describe('unitValues', () => {
  it('takes one channel over every sample and position', () => {
    expect([...unitValues(batch, 2, [2, 3], 0)]).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...unitValues(batch, 2, [2, 3], 1)]).toEqual([10, 20, 30, 40, 50, 60]);
  });

  it('takes one feature of a dense layer', () => {
    expect([...unitValues(Float32Array.from([1, 2, 3, 4, 5, 6]), 2, [3], 2)]).toEqual([3, 6]);
  });

  it('refuses a unit past the layer', () => {
    expect(() => unitValues(batch, 2, [2, 3], 2)).toThrow(/unit 2 is outside the layer's 2 units/);
  });
});

describe('channelMoments', () => {
  it('gives the per-channel mean and biased variance over samples and positions', () => {
    const { mean, variance } = channelMoments(batch, 2, [2, 3]);
    expect([...mean]).toEqual([3.5, 35]);
    // values 1..6: mean 3.5, biased variance 17.5 / 6.
    expect(variance[0]).toBeCloseTo(17.5 / 6, 6);
    expect(variance[1]).toBeCloseTo(1750 / 6, 3);
  });
});
