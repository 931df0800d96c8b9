import { describe, expect, it } from 'vitest';
import { MAX_SEEDS, parseJobs, parseOverrides, parseSeeds } from './run-options.js';

describe('run options', () => {
  it('parses --set values as the language does', () => {
    expect(parseOverrides(['epochs=1', 'lr=1e-3', 'init=he_normal', 'nesterov=true', 'subset=2000'])).toEqual({
      epochs: 1,
      lr: 0.001,
      init: 'he_normal',
      nesterov: true,
      subset: 2000,
    });
  });
  it('rejects malformed --set', () => {
    expect(() => parseOverrides(['epochs'])).toThrow(/--set 'epochs': expected KEY=VALUE/);
    expect(() => parseOverrides(['lr='])).toThrow(/expected KEY=VALUE/);
  });
  it('parses seed lists and ranges', () => {
    expect(parseSeeds('1..3,7')).toEqual([1, 2, 3, 7]);
    expect(() => parseSeeds('1,x')).toThrow(/'x' is not a whole number/);
    expect(() => parseSeeds('5..1')).toThrow(/empty/);
  });
  it('rejects seeds the runs could not use, naming the flag and the entry', () => {
    expect(() => parseSeeds('-1')).toThrow("--seeds '-1': seeds are whole numbers from 0 up; -1 is negative");
    expect(() => parseSeeds('-3..2')).toThrow('-3..2: seeds are whole numbers from 0 up');
    expect(() => parseSeeds('99999999999999999999')).toThrow('is too large for a seed (at most 2^53-1');
    expect(() => parseSeeds('1..3,2')).toThrow("--seeds '1..3,2': seed 2 is listed twice");
    expect(() => parseSeeds('1,,2')).toThrow('an empty entry is not a whole number');
    expect(() => parseSeeds('1..')).toThrow("'1..' is not a whole number or a range like 1..5");
  });
  it('refuses a huge range before expanding it', () => {
    expect(parseSeeds(`1..${MAX_SEEDS}`)).toHaveLength(MAX_SEEDS);
    const start = Date.now();
    expect(() => parseSeeds('1..100000000')).toThrow(`1..100000000 has 100000000 seeds; at most ${MAX_SEEDS} are allowed`);
    expect(() => parseSeeds(`0..${MAX_SEEDS}`)).toThrow(/at most/);
    expect(Date.now() - start).toBeLessThan(1000);
  });
  it('parses --jobs', () => {
    expect(parseJobs('2')).toBe(2);
    expect(() => parseJobs('0')).toThrow(/at least 1/);
  });
});
