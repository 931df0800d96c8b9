// Mistakes that are easy to make in a first experiment and that once passed silently or without a hint.
import { describe, expect, it } from 'vitest';
import { expandPlan } from '@bnx/ir';
import { checkText } from './index.js';

const FILE = '/virtual/traps.bnx';
const parts = {
  dataset: 'dataset d {\n  source: synthetic(kind: blobs, samples: 100, features: 2, classes: 2)\n}',
  model: 'model m {\n  input(2)\n  dense(4)\n  relu\n  dense(2)\n}',
  train: 'train t {\n  optimizer: sgd(lr: 0.1)\n  epochs: 1\n  batch: 10\n}',
};
const program = (experiment: string, over: Partial<typeof parts> = {}) => {
  const p = { ...parts, ...over };
  return [p.dataset, p.model, p.train, `experiment e {\n  data: d\n  train: t\n${experiment}\n}\n`].join('\n');
};
const summary = (text: string) =>
  checkText(text, FILE).diagnostics.map((d) => ({
    code: d.code,
    severity: d.severity,
    at: `${d.range?.start.line}:${d.range?.start.column}`,
    message: d.message,
    hint: d.hint,
  }));

describe('seeds: N', () => {
  it('warns that seeds: 2 is the one seed 2, and suggests 1..2', () => {
    const text = program('  variant a: m\n  seeds: 2');
    expect(summary(text)).toEqual([
      {
        code: 'W0122',
        severity: 'warning',
        at: '19:10',
        message: 'seeds: 2 is the one seed 2, not 2 seeds',
        hint: 'for 2 seeds write seeds: 1..2; for the seed 2 alone, seeds: [2]',
      },
    ]);
    // A warning, not an error: the program is still there, with the one seed.
    expect(checkText(text, FILE).program?.experiments[0]?.seeds).toEqual([2]);
  });

  it('says nothing for a list, a range or seeds: 1', () => {
    for (const seeds of ['[2]', '1..2', '1']) expect(summary(program(`  variant a: m\n  seeds: ${seeds}`))).toEqual([]);
  });
});

describe('a batchnorm layer and with batchnorm', () => {
  it('warns that the model normalizes already, so the baseline has batch normalization too', () => {
    const model = 'model m {\n  input(2)\n  dense(4)\n  batchnorm\n  relu\n  dense(4)\n  relu\n  dense(2)\n}';
    const found = summary(program('  variant baseline: m\n  variant bn: m with batchnorm', { model }));
    expect(found).toEqual([
      {
        code: 'W1303',
        severity: 'warning',
        at: '22:22',
        message: "model 'm' already has a batchnorm layer: variant 'bn' gets 2 in all with 'with batchnorm', and a variant of 'm' without it normalizes too",
        hint: "remove the batchnorm layers from model 'm' and let 'with batchnorm' add them, or drop 'with batchnorm'",
      },
    ]);
  });
});

describe('names written with a hyphen', () => {
  it('suggests fashion_mnist for source: fashion-mnist', () => {
    expect(summary(program('  variant a: m', { dataset: 'dataset d {\n  source: fashion-mnist\n}' }))).toContainEqual({
      code: 'E0114',
      severity: 'error',
      at: '2:11',
      message: "unknown dataset source 'fashion-mnist': a name cannot contain '-' (it reads as a subtraction)",
      hint: "did you mean 'fashion_mnist'?",
    });
  });

  it('suggests the underscore name for other choices too', () => {
    const train = 'train t {\n  optimizer: sgd(lr: 0.1)\n  epochs: 1\n  batch: 10\n  loss: cross-entropy\n}';
    expect(summary(program('  variant a: m', { train }))[0]).toMatchObject({ code: 'E0114', at: '14:9', hint: "did you mean 'cross_entropy'?" });
  });
});

describe('a forgotten colon', () => {
  it("hints 'epochs: 2' for epochs 2", () => {
    const train = 'train t {\n  optimizer: sgd(lr: 0.1)\n  epochs 2\n  batch: 10\n}';
    expect(summary(program('  variant a: m', { train }))[0]).toEqual({
      code: 'E0002',
      severity: 'error',
      at: '12:10',
      message: "expected the end of the line or ';' before '2': one statement per line",
      hint: "did you mean 'epochs: 2'? an entry is written with a colon after its key",
    });
  });

  it('gives no such hint for two layers on one line', () => {
    const model = 'model m {\n  input(2)\n  dense(4) relu\n  dense(2)\n}';
    expect(summary(program('  variant a: m', { model }))[0]).toMatchObject({ code: 'E0002', hint: undefined });
  });
});

describe('validation: 0', () => {
  it('is no validation split, as when none is declared', () => {
    const dataset = 'dataset d {\n  source: synthetic(kind: blobs, samples: 100, features: 2, classes: 2)\n  validation: 0\n}';
    const result = checkText(program('  variant a: m', { dataset }), FILE);
    expect(result.diagnostics).toEqual([]);
    expect(result.program?.datasets[0]?.validation).toBeUndefined();
  });

  it("may be set with --set validation=0, which removes the file's split", () => {
    const dataset = 'dataset d {\n  source: synthetic(kind: blobs, samples: 100, features: 2, classes: 2)\n  validation: 0.2\n}';
    const result = checkText(program('  variant a: m', { dataset }), FILE);
    const { plan, diagnostics } = expandPlan(result.program!, undefined, { overrides: { validation: 0 } });
    expect(diagnostics).toEqual([]);
    expect(plan?.runs[0]?.dataset.validation).toBeUndefined();
  });
});
