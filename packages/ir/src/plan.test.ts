import { describe, expect, it } from 'vitest';
import { expandPlan, runId } from './plan.js';
import type { ProgramIR } from './types.js';
import { experiment, mlp, mnistFlat, program, sgd, sourceOf, variant } from './testing/ir.js';

const text = ['experiment e {', '  variant baseline: mlp', '  variant bn: mlp with batchnorm()', '  sweep batch: [32, 128]', '}'].join('\n');
const s = sourceOf(text);

function twoVariants(): ProgramIR {
  return program({
    datasets: [mnistFlat({ loc: s.loc(1, 'experiment') })],
    models: [mlp()],
    trains: [sgd({ optimizer: { kind: 'sgd', lr: 0.1, momentum: 0.9, nesterov: false, weightDecay: 0 } })],
    experiments: [
      experiment([variant('baseline', mlp(), s.loc(2, 'variant')), variant('bn', mlp(true), s.loc(3, 'variant'))], {
        seeds: [1, 2, 3],
        sweeps: [
          { key: 'batch', values: [32, 128], loc: s.loc(4, 'sweep', { key: [4, 'batch'], 'values.0': [4, '32'], 'values.1': [4, '128'] }) },
          { key: 'lr', values: [0.01, 0.1] },
        ],
      }),
    ],
  });
}

describe('expandPlan', () => {
  it('expands variants × sweep grid × seeds into fully resolved runs', () => {
    const { plan, diagnostics } = expandPlan(twoVariants());
    expect(diagnostics).toEqual([]);
    expect(plan?.runs.length).toBe(2 * 2 * 2 * 3);
    const ids = plan?.runs.map((r) => r.id) ?? [];
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.slice(0, 4)).toEqual([
      'baseline__batch=32__lr=0.01__seed=1',
      'baseline__batch=32__lr=0.01__seed=2',
      'baseline__batch=32__lr=0.01__seed=3',
      'baseline__batch=32__lr=0.1__seed=1',
    ]);
    const run = plan?.runs.find((r) => r.id === 'bn__batch=128__lr=0.01__seed=2');
    expect(run?.train.batch).toBe(128);
    expect(run?.train.optimizer).toMatchObject({ lr: 0.01, momentum: 0.9 });
    expect(run?.params).toEqual({ batch: 128, lr: 0.01 });
    expect(run?.model.layers.some((l) => l.op === 'batchnorm')).toBe(true);
    expect(plan?.variants).toEqual(['baseline', 'bn']);
  });

  it('gives plain data that JSON round-trips unchanged (no undefined fields, functions or classes)', () => {
    const { plan } = expandPlan(twoVariants(), undefined, { overrides: { steps: 100 } });
    expect(plan).toBeDefined();
    expect(JSON.parse(JSON.stringify(plan))).toStrictEqual(plan);
  });

  it('applies overrides; an overridden key is no longer swept; seeds can be replaced', () => {
    const { plan } = expandPlan(twoVariants(), undefined, { overrides: { batch: 16, epochs: 2 }, seeds: [7] });
    expect(plan?.runs.map((r) => r.id)).toEqual(['baseline__lr=0.01__seed=7', 'baseline__lr=0.1__seed=7', 'bn__lr=0.01__seed=7', 'bn__lr=0.1__seed=7']);
    expect(plan?.runs.every((r) => r.train.batch === 16 && r.train.epochs === 2)).toBe(true);
    expect(plan?.sweeps.map((sw) => sw.key)).toEqual(['lr']);
  });

  it('reports --set batch=1 on a batch-normalized variant as the file would, at the variant', () => {
    const { plan, diagnostics } = expandPlan(twoVariants(), 'e', { overrides: { batch: 1 } });
    expect(plan).toBeUndefined();
    expect(diagnostics.map((d) => `${d.code} ${d.range?.start.line}:${d.range?.start.column} ${d.message}`)).toEqual([
      "E1301 3:3 batch normalization in training needs batches of at least 2 samples; 'bn' trains with batch 1",
    ]);
    expect(diagnostics[0]?.hint).toBe('set by --set batch=1');
  });

  it('lists the valid keys for an unknown override, and checks override values', () => {
    const unknown = expandPlan(twoVariants(), undefined, { overrides: { btach: 4 } });
    expect(unknown.plan).toBeUndefined();
    expect(unknown.diagnostics[0]?.code).toBe('E1403');
    expect(unknown.diagnostics[0]?.hint).toMatch(/^did you mean 'batch'\? the keys are subset, validation, epochs/);
    const bad = expandPlan(twoVariants(), undefined, { overrides: { lr: -1 } });
    expect(bad.diagnostics.map((d) => d.message)).toEqual(['--set lr=-1: lr must be above 0; it is -1']);
    const combination = expandPlan(twoVariants(), undefined, { overrides: { subset: 100, validation: 100 } });
    expect(combination.diagnostics.map((d) => d.code)).toEqual(['E1208']);
    expect(combination.diagnostics[0]?.hint).toContain('--set validation=0.1');
    // The value at fault came from a flag: the message names it and points at no line of the file.
    expect(combination.diagnostics[0]?.message).toBe('--set validation=100: validation 100 takes 100 of the subset of 100, leaving none to train on');
    expect(combination.diagnostics[0]?.range).toBeUndefined();
    const tooBig = expandPlan(twoVariants(), undefined, { overrides: { subset: 10_000_000 } });
    expect(tooBig.diagnostics.map((d) => d.message)).toEqual([
      expect.stringMatching(/^--set subset=10000000: subset 10000000 is more than the \d+ training samples of /),
    ]);
    expect(tooBig.diagnostics[0]?.range).toBeUndefined();
    const bigBatch = expandPlan(twoVariants(), undefined, { overrides: { subset: 100, validation: 0.5, batch: 64 } });
    expect(bigBatch.plan).toBeDefined();
    expect(bigBatch.diagnostics.map((d) => [d.code, d.message, d.range])).toEqual([
      ['W1213', "--set batch=64: batch 64 is larger than the 50 training samples of dataset 'd': every epoch is one batch of 50", undefined],
    ]);
    expect(expandPlan(twoVariants(), undefined, { overrides: { subset: 100, validation: 0.1 } }).plan?.runs[0]?.dataset).toMatchObject({
      subset: 100,
      validation: { fraction: 0.1 },
    });
  });

  it('needs an experiment name when there are several, and knows which exist', () => {
    const prog = twoVariants();
    prog.experiments.push({ ...prog.experiments[0]!, name: 'other' });
    const none = expandPlan(prog);
    expect(none.diagnostics.map((d) => [d.code, d.message])).toEqual([['E1602', '/test/input.bnx declares 2 experiments; name one of e, other']]);
    expect(expandPlan(prog, 'other').plan?.experiment).toBe('other');
    const wrong = expandPlan(prog, 'otehr');
    expect(wrong.diagnostics[0]?.code).toBe('E1603');
    expect(wrong.diagnostics[0]?.hint).toContain("did you mean 'other'?");
    expect(expandPlan(program({})).diagnostics.map((d) => d.code)).toEqual(['E1601']);
  });

  it('refuses a program that does not validate', () => {
    const prog = twoVariants();
    prog.trains[0]!.batch = 0;
    prog.experiments[0]!.sweeps = [];
    const { plan, diagnostics } = expandPlan(prog);
    expect(plan).toBeUndefined();
    expect(diagnostics.map((d) => d.code)).toEqual(['E1202']);
  });
});

describe('runId', () => {
  it('is filesystem-safe', () => {
    expect(runId('bn', { lr: 1e-7, schedule: 'cosine', nesterov: true }, 3)).toBe('bn__lr=1e-7__schedule=cosine__nesterov=true__seed=3');
    expect(runId('a/b c', {}, 1)).toBe('a_b_c__seed=1');
  });
});

describe('expandPlan on half-built IR', () => {
  it('never throws: it returns a plan or diagnostics', () => {
    let seed = 99;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const junk = [undefined, null, -1, 0, 1, 2.5, 'x', 'batch', true, [], {}];
    const paths: (string | number)[][] = [];
    const collect = (value: unknown, path: (string | number)[]) => {
      if (path.length > 0) paths.push(path);
      if (value !== null && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) collect(v, [...path, Array.isArray(value) ? Number(k) : k]);
      }
    };
    collect(twoVariants(), []);
    let plans = 0;
    for (let i = 0; i < 600; i++) {
      const prog = structuredClone(twoVariants()) as unknown as Record<string, unknown>;
      const path = paths[Math.floor(random() * paths.length)]!;
      let parent: unknown = prog;
      for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, unknown> | undefined)?.[key];
      if (parent !== null && typeof parent === 'object') {
        (parent as Record<string | number, unknown>)[path[path.length - 1]!] = junk[Math.floor(random() * junk.length)];
      }
      const result = expandPlan(prog as unknown as ProgramIR, undefined, { overrides: { epochs: 1 } });
      expect(result.plan !== undefined || result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
      expect(result.diagnostics.filter((d) => d.code === 'E1901')).toEqual([]);
      if (result.plan) plans++;
    }
    // Many mutations hit fields that do not matter (locations, names): those must still give plans.
    expect(plans).toBeGreaterThan(50);
  });
});

describe('expandPlan limits', () => {
  it('refuses more seeds than a list may hold, and a plan over MAX_RUNS made by --seeds', () => {
    const many = Array.from({ length: 10_001 }, (_, i) => i);
    expect(expandPlan(twoVariants(), undefined, { seeds: many }).diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['E1207', '10001 seeds are given; at most 10000 are allowed'],
    ]);
    const { plan, diagnostics } = expandPlan(twoVariants(), undefined, { seeds: many.slice(0, 2000) });
    expect(plan).toBeUndefined();
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['E1214', "experiment 'e' expands to 16000 runs (2 variants × 2 batch values × 2 lr values × 2000 seeds); at most 10000 are allowed"],
    ]);
  });

  it('refuses --set batch=1e12 as check refuses batch: 1e12, naming the flag and the limit', () => {
    const { plan, diagnostics } = expandPlan(twoVariants(), undefined, { overrides: { batch: 1e12 } });
    expect(plan).toBeUndefined();
    // One for each variant's model (the batch-normalized one is larger).
    const errors = diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => d.code)).toEqual(['E1215', 'E1215']);
    expect(errors.map((d) => d.range)).toEqual([undefined, undefined]);
    for (const error of errors)
      expect(error.message).toMatch(
        /^--set batch=1000000000000: batch 1,000,000,000,000 of model '.*' \([\d,]+ values per sample.*at most 268,435,456 fit in memory for one batch$/,
      );
  });

  it('never gives two runs one id: variant names that differ only outside the id alphabet are an error', () => {
    const p = twoVariants();
    const [a, b] = p.experiments[0]!.variants;
    a!.name = 'base line';
    b!.name = 'base_line';
    const { plan, diagnostics } = expandPlan(p);
    expect(plan).toBeUndefined();
    expect(diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.message])[0]).toEqual([
      'E1210',
      "two runs would have the same id 'base_line__batch=32__lr=0.01__seed=1'; run ids must be unique",
    ]);
  });
});
