import { describe, expect, it } from 'vitest';
import { isBnxError } from './errors.js';
import { applySetting, parseSetting, parseSettingValue, settingProblem } from './settings.js';
import type { RunSpec } from './types.js';
import { mlp, mnistFlat, sgd } from './testing/ir.js';

const run = (): RunSpec => ({
  id: 'x',
  experiment: 'e',
  variant: 'baseline',
  seed: 1,
  params: {},
  dataset: mnistFlat(),
  model: mlp(),
  train: sgd({ epochs: 3 }),
  probes: [],
});

describe('parseSettingValue', () => {
  it('reads numbers, booleans and identifiers', () => {
    expect(parseSettingValue('0.1')).toBe(0.1);
    expect(parseSettingValue('1e-3')).toBe(0.001);
    expect(parseSettingValue('-5')).toBe(-5);
    expect(parseSettingValue('.5')).toBe(0.5);
    expect(parseSettingValue('1/255')).toBeCloseTo(1 / 255, 12);
    expect(parseSettingValue('true')).toBe(true);
    expect(parseSettingValue('false')).toBe(false);
    expect(parseSettingValue('cosine')).toBe('cosine');
    expect(parseSetting('batch=1')).toEqual({ key: 'batch', value: 1 });
  });

  it('refuses anything else with a BnxError', () => {
    for (const text of ['', '1.2.3', 'a b', '1/0', '"x"']) {
      expect(() => parseSettingValue(text), text).toThrow(/cannot read the value/);
    }
    try {
      parseSetting('epochs');
    } catch (err) {
      expect(isBnxError(err)).toBe(true);
    }
    expect(() => parseSetting('=3')).toThrow(/KEY=VALUE/);
  });
});

describe('applySetting', () => {
  it('changes the recipe, the optimizer or the dataset, and leaves the input untouched', () => {
    const before = run();
    const after = applySetting(applySetting(applySetting(before, 'lr', 0.5), 'batch', 64), 'validation', 0.1);
    expect(after.train.optimizer).toMatchObject({ kind: 'sgd', lr: 0.5 });
    expect(after.train.batch).toBe(64);
    expect(after.dataset.validation).toEqual({ fraction: 0.1 });
    expect(before.train.batch).toBe(32);
    expect(before.train.optimizer).toMatchObject({ lr: 0.1 });
    expect(applySetting(before, 'validation', 5000).dataset.validation).toEqual({ count: 5000 });
    expect(applySetting(before, 'weight_decay', 1e-4).train.optimizer).toMatchObject({ weightDecay: 1e-4 });
    expect(applySetting(before, 'init', 'he_normal').train.init).toEqual({ kind: 'he_normal' });
  });

  it('setting epochs clears steps and back', () => {
    const steps = applySetting(run(), 'steps', 100);
    expect([steps.train.steps, steps.train.epochs]).toEqual([100, undefined]);
    const epochs = applySetting(steps, 'epochs', 2);
    expect([epochs.train.steps, epochs.train.epochs]).toEqual([undefined, 2]);
  });

  it('refuses unknown keys, arguments the optimizer lacks and bad values', () => {
    expect(() => applySetting(run(), 'btach', 1)).toThrow(/unknown setting 'btach'/);
    expect(() => applySetting(run(), 'beta1', 0.9)).toThrow("sgd has no argument 'beta1'; it takes lr, momentum, nesterov, weight_decay");
    expect(() => applySetting(run(), 'batch', 0)).toThrow('batch must be a whole number of at least 1; it is 0');
    expect(settingProblem('momentum', 1.5)?.message).toBe('momentum must be between 0 and 1; it is 1.5');
    expect(settingProblem('nesterov', 1)?.message).toBe('nesterov must be true or false; it is 1');
    expect(settingProblem('subset', 10)).toBeUndefined();
  });
});
