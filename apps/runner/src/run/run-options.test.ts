import { describe, expect, it } from 'vitest';
import { parseJobs, parseOverrides, parseSeeds } from './run-options.js';

describe('run options', () => {
  it('parses --set values as the language does', () => {
    expect(parseOverrides(['epochs=1', 'lr=1e-3', 'init=he_normal', 'nesterov=true', 'subset=2000'])).toEqual({ epochs: 1, lr: 0.001, init: 'he_normal', nesterov: true, subset: 2000 });
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
  it('parses --jobs', () => {
    expect(parseJobs('2')).toBe(2);
    expect(() => parseJobs('0')).toThrow(/at least 1/);
  });
});
