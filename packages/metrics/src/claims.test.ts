import { describe, expect, it } from 'vitest';
import { evaluateClaims } from './claims.js';
import type { RunResult } from './results-types.js';
import { fakeRun } from './testing/synthetic-runs.js';

const variants = [
  { name: 'baseline', batchnorm: false },
  { name: 'batchnorm', batchnorm: true },
];
const seeds = [1, 2, 3];
const jitter = (seed: number) => (seed - 2) * 0.003;

function claim(runs: RunResult[], id: string, target = null) {
  return evaluateClaims({ runs, variants, target }).find((c) => c.claim === id);
}

describe('higher learning rates', () => {
  it('is supported when only batchnorm trains at the largest rate', () => {
    const runs = seeds.flatMap((seed) =>
      [0.01, 0.1, 1].flatMap((lr) => [
        fakeRun({ variant: 'baseline', seed, params: { lr }, finalAccuracy: lr === 1 ? 0.1 : 0.95 + jitter(seed), status: lr === 1 ? 'diverged' : 'completed' }),
        fakeRun({ variant: 'batchnorm', seed, params: { lr }, finalAccuracy: 0.96 + jitter(seed) }),
      ]),
    );
    const c = claim(runs, 'higher_learning_rates')!;
    expect(c.status).toBe('supported');
    expect(c.verdict).toMatch(/batchnorm tolerated learning rates up to 1, baseline only up to 0.1/);
  });
  it('is not shown when both tolerate the same rates', () => {
    const runs = seeds.flatMap((seed) => [0.01, 0.1].flatMap((lr) => ['baseline', 'batchnorm'].map((variant) => fakeRun({ variant, seed, params: { lr }, finalAccuracy: 0.95 + jitter(seed) }))));
    expect(claim(runs, 'higher_learning_rates')!.status).toBe('not_shown');
  });
  it('is not shown when the baseline is less accurate everywhere but no worse at the higher rate', () => {
    // The audit case: baseline 32% at 0.01 and 39% at 0.1, never diverging; batchnorm better at both.
    const runs = seeds.flatMap((seed) =>
      [0.01, 0.1].flatMap((lr) => [
        fakeRun({ variant: 'baseline', seed, params: { lr }, finalAccuracy: (lr === 0.1 ? 0.39 : 0.32) + jitter(seed) }),
        fakeRun({ variant: 'batchnorm', seed, params: { lr }, finalAccuracy: (lr === 0.1 ? 0.9 : 0.8) + jitter(seed) }),
      ]),
    );
    const c = claim(runs, 'higher_learning_rates')!;
    expect(c.status).toBe('not_shown');
    expect(c.verdict).toMatch(/^both variants tolerated the same largest learning rate \(0\.1\); .* within 5 points of the variant's own best \(baseline 39\.0%, batchnorm 90\.0%\)/);
  });
  it('does not apply without an lr sweep', () => {
    const runs = seeds.flatMap((seed) => ['baseline', 'batchnorm'].map((variant) => fakeRun({ variant, seed, finalAccuracy: 0.9 })));
    expect(claim(runs, 'higher_learning_rates')).toBeUndefined();
  });
});

describe('initialization sensitivity', () => {
  it('is supported when batchnorm varies less across init scales', () => {
    const base: Record<string, number> = { '0.1': 0.6, '1': 0.95, '3': 0.3 };
    const runs = seeds.flatMap((seed) =>
      [0.1, 1, 3].flatMap((init_scale) => [
        fakeRun({ variant: 'baseline', seed, params: { init_scale }, finalAccuracy: base[String(init_scale)]! + jitter(seed) * 3 }),
        fakeRun({ variant: 'batchnorm', seed, params: { init_scale }, finalAccuracy: 0.95 + jitter(seed) * init_scale }),
      ]),
    );
    const c = claim(runs, 'init_sensitivity')!;
    expect(c.status).toBe('supported');
  });
});

describe('small-batch degradation', () => {
  const make = (bnSmall: number) =>
    seeds.flatMap((seed) =>
      [2, 64].flatMap((batch) => [
        fakeRun({ variant: 'baseline', seed, params: { batch, lr: 0.01 }, finalAccuracy: 0.9 + jitter(seed) }),
        fakeRun({ variant: 'batchnorm', seed, params: { batch, lr: 0.01 }, finalAccuracy: (batch === 2 ? bnSmall : 0.95) + jitter(seed) * 0.5 }),
      ]),
    );
  it('is supported when the advantage shrinks at the smallest batch', () => {
    const c = claim(make(0.8), 'small_batch_degradation')!;
    expect(c.status).toBe('supported');
    expect(c.evidence.gap_small).toBeCloseTo(-0.1, 2);
  });
  it('is not shown when the advantage is the same', () => {
    const runs = make(0.95).map((r) => (r.variant === 'batchnorm' && r.params.batch === 2 ? fakeRun({ variant: 'batchnorm', seed: r.seed, params: r.params, finalAccuracy: 0.95 + jitter(r.seed) * 0.9 }) : r));
    expect(claim(runs, 'small_batch_degradation')!.status).toBe('not_shown');
  });
});

describe('faster convergence and activation stability', () => {
  it('with one seed (ioffe_fig1), reports what it saw but calls it inconclusive', () => {
    const trace = (drift: number) => ({
      layer: 'dense_3',
      point: 'pre_activation' as const,
      percentiles: [15, 50, 85],
      steps: [500, 1000, 1500],
      values: [0, 1, 2].map((i) => [-1 + drift * i, drift * i, 1 + drift * i]),
    });
    const baseline = fakeRun({ variant: 'baseline', seed: 1, finalAccuracy: 0.95, rate: 0.5 });
    baseline.probes = { activations: [trace(0.5)] };
    const bn = fakeRun({ variant: 'batchnorm', seed: 1, finalAccuracy: 0.97, rate: 3 });
    bn.probes = { activations: [trace(0.01)] };
    const claims = evaluateClaims({ runs: [baseline, bn], variants, target: { metric: 'val_accuracy', op: '>=', value: 0.9 } });
    const conv = claims.find((c) => c.claim === 'faster_convergence')!;
    expect(conv.status).toBe('inconclusive');
    expect(conv.verdict).toMatch(/batchnorm at step \d+ \(1\/1 seeds\), baseline at step \d+ \(1\/1 seeds\)/);
    const stab = claims.find((c) => c.claim === 'activation_stability')!;
    expect(stab.status).toBe('inconclusive');
    expect(stab.verdict).toMatch(/baseline 0\.50, batchnorm 0\.01 \(batchnorm moved less\)/);
  });
  it('falls back to the best common level when no run reaches the declared target', () => {
    const runs = seeds.flatMap((seed) => [
      fakeRun({ variant: 'baseline', seed, finalAccuracy: 0.9 + jitter(seed), rate: 0.5, evaluations: 20 }),
      fakeRun({ variant: 'batchnorm', seed, finalAccuracy: 0.92 + jitter(seed), rate: 4, evaluations: 20 }),
    ]);
    const c = evaluateClaims({ runs, variants, target: { metric: 'val_accuracy', op: '>=', value: 0.99 } }).find((x) => x.claim === 'faster_convergence')!;
    expect(c.verdict).toMatch(/no run reached the declared target val_accuracy >= 0.99; measured at the best level/);
    expect(c.status).toBe('supported');
  });
  it('does not time at a level the other variant passed before its first evaluation (a baseline stuck at chance)', () => {
    const runs = seeds.flatMap((seed) => [
      fakeRun({ variant: 'baseline', seed, finalAccuracy: 0.1 + jitter(seed), evaluations: 6 }),
      fakeRun({ variant: 'batchnorm', seed, finalAccuracy: 0.9 + jitter(seed), rate: 2, evaluations: 6 }),
    ]);
    const c = evaluateClaims({ runs, variants }).find((x) => x.claim === 'faster_convergence')!;
    expect(c.status).toBe('supported');
    expect(c.verdict).toMatch(/\(no target declared: baseline never got past \d+\.\d%, below where every batchnorm run was at its first evaluation \(\d+\.\d%\), so speed is measured at the best level every batchnorm run reached\)/);
    expect(c.verdict).toMatch(/batchnorm reached it in 3\/3 seeds .*, baseline in none/);
  });
  it('is not shown when batchnorm is sooner at only one of several sweep points', () => {
    const runs = seeds.flatMap((seed) =>
      [0.01, 0.1, 1].flatMap((lr) => [
        fakeRun({ variant: 'baseline', seed, params: { lr }, finalAccuracy: 0.95, rate: lr === 1 ? 0.3 : 2, evaluations: 20, stepEvery: 100 + seed }),
        fakeRun({ variant: 'batchnorm', seed, params: { lr }, finalAccuracy: 0.95, rate: 2, evaluations: 20, stepEvery: 100 + seed }),
      ]),
    );
    const c = evaluateClaims({ runs, variants, target: { metric: 'val_accuracy', op: '>=', value: 0.8 } }).find((x) => x.claim === 'faster_convergence')!;
    expect(c.evidence.outcomes).toEqual(['no_difference', 'no_difference', 'b_lower']);
    expect(c.status).toBe('not_shown');
  });
  it('does not call a small drift reduction "more stable"', () => {
    const trace = (drift: number) => ({ layer: 'l', point: 'pre_activation' as const, percentiles: [15, 85], steps: [0, 1], values: [[-1, 1], [-1 + drift, 1 + drift]] });
    const runs = seeds.flatMap((seed) => {
      const a = fakeRun({ variant: 'baseline', seed, finalAccuracy: 0.9 });
      a.probes = { activations: [trace(0.6 + seed * 0.01)] };
      const b = fakeRun({ variant: 'batchnorm', seed, finalAccuracy: 0.9 });
      b.probes = { activations: [trace(0.55 + seed * 0.01)] };
      return [a, b];
    });
    const c = evaluateClaims({ runs, variants }).find((x) => x.claim === 'activation_stability')!;
    expect(c.status).toBe('not_shown');
    expect(c.verdict).toMatch(/drifted detectably but only 8% less/);
  });
  it('is inconclusive when runs were evaluated too rarely to time', () => {
    const runs = seeds.flatMap((seed) => ['baseline', 'batchnorm'].map((variant) => fakeRun({ variant, seed, finalAccuracy: 0.9, evaluations: 1 })));
    // A run that diverged before its first evaluation does not count as "evaluated 0 times".
    const early = fakeRun({ variant: 'baseline', seed: 4, finalAccuracy: 0.1, status: 'diverged' });
    early.history = [];
    runs.push(early);
    const c = evaluateClaims({ runs, variants }).find((x) => x.claim === 'faster_convergence')!;
    expect(c.status).toBe('inconclusive');
    expect(c.verdict).toMatch(/evaluated only 1 time, too coarse/);
  });
  it('is contradicted when batchnorm is slower in every seed', () => {
    const runs = seeds.flatMap((seed) => [
      fakeRun({ variant: 'baseline', seed, finalAccuracy: 0.95, rate: 3 + jitter(seed) * 50, evaluations: 20 }),
      fakeRun({ variant: 'batchnorm', seed, finalAccuracy: 0.95, rate: 0.3 + jitter(seed) * 5, evaluations: 20 }),
    ]);
    const claims = evaluateClaims({ runs, variants, target: { metric: 'val_accuracy', op: '>=', value: 0.8 } });
    expect(claims.find((c) => c.claim === 'faster_convergence')!.status).toBe('contradicted');
  });
});
