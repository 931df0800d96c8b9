// Sweeps over whole recipe settings written as calls: `sweep optimizer: [...]`, `sweep schedule: [...]` with
// step(...), `sweep init: [...]` with arguments. Lowered by the DSL, checked by the IR, applied per run.
import { describe, expect, it } from 'vitest';
import { expandPlan } from '@bnx/ir';
import { checkText } from './index.js';

const file = (sweeps: string[], recipe = 'optimizer: sgd(lr: 0.1, momentum: 0.9)') =>
  [
    'dataset d { source: synthetic(kind: blobs, samples: 200, features: 4, classes: 2) }',
    'model m { input(4); dense(8); relu; dense(2) }',
    `train t { ${recipe}; loss: cross_entropy; epochs: 1; batch: 16 }`,
    `experiment e { data: d; train: t; variant v: m; seeds: 1`,
    ...sweeps.map((s) => `  ${s}`),
    '}',
  ].join('\n');

const problems = (text: string) =>
  checkText(text, '/virtual/s.bnx').diagnostics.map((d) => `${d.range?.start.line}:${d.range?.start.column} ${d.code} ${d.message}`);

describe('sweeps over settings written as calls', () => {
  it('lowers each call to the setting it stands for, named by its text', () => {
    const text = file([
      'sweep optimizer: [sgd(lr: 0.1, momentum: 0.9), adam(lr: 1e-3), rmsprop]',
      'sweep schedule: [cosine, step(every: 2, gamma: 0.5)]',
      'sweep init: [he_normal, normal(std: 0.01)]',
    ]);
    const result = checkText(text, '/virtual/s.bnx');
    expect(result.diagnostics).toEqual([]);
    const sweeps = result.program!.experiments[0]!.sweeps;
    expect(sweeps.map((s) => s.values)).toEqual([
      ['sgd(lr: 0.1, momentum: 0.9)', 'adam(lr: 1e-3)', 'rmsprop'],
      ['cosine', 'step(every: 2, gamma: 0.5)'],
      ['he_normal', 'normal(std: 0.01)'],
    ]);
    expect(sweeps[0]!.settings).toEqual([
      { kind: 'sgd', lr: 0.1, momentum: 0.9, nesterov: false, weightDecay: 0 },
      { kind: 'adam', lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 },
      { kind: 'rmsprop', lr: 0.01, rho: 0.99, momentum: 0, epsilon: 1e-8 },
    ]);
    expect(sweeps[1]!.settings).toEqual([{ kind: 'cosine' }, { kind: 'step', every: 2, gamma: 0.5 }]);
    expect(sweeps[2]!.settings).toEqual([{ kind: 'he_normal' }, { kind: 'normal', std: 0.01 }]);

    const plan = expandPlan(result.program!).plan!;
    expect(plan.runs).toHaveLength(3 * 2 * 2);
    const run = plan.runs.find(
      (r) => r.params['optimizer'] === 'adam(lr: 1e-3)' && r.params['schedule'] === 'step(every: 2, gamma: 0.5)' && r.params['init'] === 'normal(std: 0.01)',
    )!;
    expect(run.train.optimizer).toEqual(sweeps[0]!.settings![1]);
    expect(run.train.schedule).toEqual({ kind: 'step', every: 2, gamma: 0.5 });
    expect(run.train.init).toEqual({ kind: 'normal', std: 0.01 });
    expect(run.id).toBe('v__optimizer=adam_lr__1e-3___schedule=step_every__2__gamma__0.5___init=normal_std__0.01___seed=1');
  });

  it('keeps plain names plain when no value is a call (schedule and init)', () => {
    const sweeps = checkText(file(['sweep init: [he_normal, zeros]']), '/virtual/s.bnx').program!.experiments[0]!.sweeps;
    expect(sweeps[0]).toMatchObject({ values: ['he_normal', 'zeros'] });
    expect(sweeps[0]!.settings).toBeUndefined();
  });

  it('applies a swept optimizer before its swept arguments, whatever order the sweeps are written in', () => {
    const program = checkText(file(['sweep momentum: [0.5]', 'sweep optimizer: [sgd(lr: 0.2), rmsprop(lr: 0.01)]']), '/virtual/s.bnx').program!;
    const runs = expandPlan(program).plan!.runs;
    expect(runs.map((r) => [r.train.optimizer.kind, r.train.optimizer.lr, 'momentum' in r.train.optimizer ? r.train.optimizer.momentum : undefined])).toEqual([
      ['sgd', 0.2, 0.5],
      ['rmsprop', 0.01, 0.5],
    ]);
  });

  it('reports bad values at the value, and arguments a swept optimizer does not take at the sweep', () => {
    expect(problems(file(['sweep optimizer: [sgd(lr: 0.1), adam(lr: -1)]']))).toEqual([
      '5:35 E1202 sweep optimizer adam(lr: -1): lr must be above 0; it is -1',
    ]);
    expect(problems(file(['sweep schedule: [cosine, step(every: 0)]']))).toEqual([
      '5:28 E1202 sweep schedule step(every: 0): step schedule every must be a whole number of at least 1; it is 0',
    ]);
    expect(problems(file(['sweep optimizer: [sgd(lr: 0.1), adamw(lr: 1)]']))).toEqual([
      "5:35 E0114 unknown optimizer 'adamw'; the optimizers are sgd, adam, rmsprop",
    ]);
    expect(problems(file(['sweep optimizer: [sgd(lr: 0.1), adam(lr: 1e-3)]', 'sweep momentum: [0.5, 0.9]']))).toEqual([
      "6:9 E1404 cannot sweep momentum with optimizer adam(lr: 1e-3) in the sweep over optimizer: adam has no argument 'momentum'; it takes lr, beta1, beta2, epsilon, weight_decay",
    ]);
  });

  it('names the flag when --set gives an argument a swept optimizer does not take, and refuses --set optimizer', () => {
    const program = checkText(file(['sweep optimizer: [sgd(lr: 0.1), adam(lr: 1e-3)]']), '/virtual/s.bnx').program!;
    expect(expandPlan(program, undefined, { overrides: { momentum: 0.5 } }).diagnostics.map((d) => [d.code, d.message, d.range])).toEqual([
      [
        'E1404',
        "--set momentum=0.5: adam has no argument 'momentum'; it takes lr, beta1, beta2, epsilon, weight_decay (with optimizer adam(lr: 1e-3) of the sweep)",
        undefined,
      ],
    ]);
    expect(expandPlan(program, undefined, { overrides: { optimizer: 'adam' } }).diagnostics.map((d) => d.message)).toEqual([
      '--set optimizer=adam: optimizer is written as a call such as adam(lr: 0.001), in a sweep in the .bnx file; it is adam',
    ]);
  });
});
