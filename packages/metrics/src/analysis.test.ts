import { describe, expect, it } from 'vitest';
import { activationDrift } from './activation-drift.js';
import { analyzeRuns } from './analyze.js';
import { aggregateCurve } from './curves.js';
import { compareSamples } from './compare-samples.js';
import { divergenceCounts } from './divergence.js';
import { finalMetrics, valLossAuc } from './final-metrics.js';
import { stepTimeOverhead } from './step-time.js';
import { timeToTarget } from './target.js';
import { fakeRun } from './testing/synthetic-runs.js';

describe('compareSamples verdicts', () => {
  const opts = { a: 'baseline', b: 'batchnorm', metric: 'val_accuracy', where: 'at batch 128' };
  const seeds = (n: number) => ({ a: Array.from({ length: n }, (_, i) => i + 1), b: Array.from({ length: n }, (_, i) => i + 1) });
  it('pairs by seed: a consistent +0.5 points in each of 5 seeds over a 2.5-point spread between seeds is detected', () => {
    const a = [0.95, 0.962, 0.938, 0.975, 0.944];
    const b = a.map((x, i) => x + 0.005 + [0.0004, -0.0003, 0.0002, -0.0001, 0][i]!);
    const paired = compareSamples(a, b, { ...opts, seeds: seeds(5) });
    expect(paired.outcome).toBe('b_higher');
    expect(paired.test).toBe('paired_t');
    expect(paired.nPairs).toBe(5);
    expect(paired.verdict).toMatch(
      /^batchnorm reached higher validation accuracy than baseline at batch 128: \+0\.5 points, 95% CI \[0\.5, 0\.5\], paired t-test over 5 seeds, p < 0\.001$/,
    );
    // The same numbers as independent samples: Welch sees only the spread between seeds.
    const unpaired = compareSamples(a, b, opts);
    expect(unpaired.test).toBe('welch');
    expect(unpaired.outcome).toBe('no_difference');
    expect(unpaired.verdict).toMatch(/Welch's test, unpaired .*; it could have detected about \d+\.\d points \(80% power\)/);
  });
  it('says which test it used when pairing is impossible (the variants share fewer than 2 seeds)', () => {
    const c = compareSamples([0.9, 0.91, 0.905], [0.92, 0.925, 0.93], { ...opts, seeds: { a: [1, 2, 3], b: [4, 5, 6] } });
    expect(c.test).toBe('welch');
    expect(c.outcome).toBe('b_higher');
    expect(c.verdict).toMatch(/Welch's test, unpaired \(3 seeds each; fewer than 2 seeds on both sides to pair\), p = /);
  });
  it('below 5 pairs uses the exact sign-flip test and says it cannot reach p < 0.05', () => {
    const c = compareSamples([0.9, 0.91, 0.905], [0.92, 0.925, 0.93], { ...opts, seeds: seeds(3) });
    expect(c.test).toBe('sign_flip_exact');
    expect(c.outcome).toBe('inconclusive');
    expect(c.verdict).toMatch(/cannot give p below 0\.250, so no difference can be shown with this many seeds/);
  });
  it('is inconclusive with one seed', () => {
    const c = compareSamples([0.9], [0.95], opts);
    expect(c.outcome).toBe('inconclusive');
    expect(c.verdict).toBe('inconclusive at batch 128: 1 seed');
    expect(c.difference).toBeCloseTo(0.05, 12);
  });
  it('is inconclusive when one side only diverged', () => {
    const c = compareSamples([null, null, null], [0.9, 0.91, 0.92], opts);
    expect(c.outcome).toBe('inconclusive');
    expect(c.verdict).toMatch(/no finite validation accuracy for baseline/);
  });
  it('does not take unpaired seeds that all agree for an exact difference: the permutation test decides, and needs 4 seeds a side', () => {
    const steps = { ...opts, metric: 'val_loss' };
    const two = compareSamples([0.2, 0.2], [0.1, 0.1], steps);
    expect(two.outcome).toBe('inconclusive');
    expect(two.ci95).toBeNull();
    expect(two.verdict).toMatch(/exact permutation test, unpaired \(2 and 2 seeds, no spread\) cannot give p below 0\.333/);
    const four = compareSamples([0.2, 0.2, 0.2, 0.2], [0.1, 0.1, 0.1, 0.1], steps);
    expect(four.outcome).toBe('b_lower');
    expect(four.pValue).toBeCloseTo(2 / 70, 12);
    // Equal within rounding (0.1 + 0.2 is not 0.3 in floating point) is no difference, not a spread.
    expect(compareSamples([0.1 + 0.2, 0.3, 0.3], [0.3, 0.3, 0.1 + 0.2], steps).pValue).toBe(1);
  });
  it('reads lower loss as lower, in plain units', () => {
    const c = compareSamples([0.5, 0.52, 0.51, 0.5, 0.53], [0.3, 0.31, 0.32, 0.29, 0.335], { ...opts, metric: 'val_loss', seeds: seeds(5) });
    expect(c.outcome).toBe('b_lower');
    expect(c.verdict).toMatch(/reached lower validation loss .*: -0\.201,/);
  });
});

describe('derived measures', () => {
  it('computes the mean validation loss over training as the area per step', () => {
    const run = fakeRun({ variant: 'v', seed: 1, finalAccuracy: 0.9 });
    run.history = [
      { step: 0, epoch: 0, train_loss: 1, train_accuracy: 0, val_loss: 2, val_accuracy: 0, seconds: 0 },
      { step: 10, epoch: 1, train_loss: 1, train_accuracy: 0, val_loss: 1, val_accuracy: 0, seconds: 1 },
      { step: 30, epoch: 2, train_loss: 1, train_accuracy: 0, val_loss: 0, val_accuracy: 0, seconds: 2 },
    ];
    // Trapezoids: 10 * 1.5 + 20 * 0.5 = 25 over 30 steps.
    expect(valLossAuc(run.history)).toBeCloseTo(25 / 30, 12);
  });
  it('finds the first evaluation that meets the target', () => {
    const run = fakeRun({ variant: 'v', seed: 1, finalAccuracy: 0.9, stepsPerSecond: 100 });
    const reached = timeToTarget(run, { metric: 'val_accuracy', op: '>=', value: run.history[2]!.val_accuracy! })!;
    expect(reached).toEqual({ step: 300, seconds: 3 });
    expect(timeToTarget(run, { metric: 'val_accuracy', op: '>', value: 0.95 })).toBeNull();
  });
  it('gives the generalization gap and nulls the finals of a diverged run', () => {
    const run = fakeRun({ variant: 'v', seed: 1, finalAccuracy: 0.9 });
    expect(finalMetrics(run, null).generalization_gap).toBeCloseTo(0.01, 12);
    const diverged = finalMetrics(fakeRun({ variant: 'v', seed: 1, finalAccuracy: 0.9, status: 'diverged' }), null);
    expect(diverged.val_accuracy).toBeNull();
    expect(diverged.val_loss).toBeNull();
  });
  it('computes step-time overhead as the ratio of throughputs', () => {
    const runs = [
      fakeRun({ variant: 'baseline', seed: 1, finalAccuracy: 0.9, samplesPerSecond: 56_000 }),
      fakeRun({ variant: 'bn', seed: 1, finalAccuracy: 0.9, samplesPerSecond: 40_000 }),
    ];
    const [o] = stepTimeOverhead(runs, 'baseline');
    expect(o!.ratio).toBeCloseTo(1.4, 12);
  });
  it('counts divergences per variant and point', () => {
    const runs = [1, 2, 3].map((seed) =>
      fakeRun({ variant: 'baseline', seed, params: { lr: 1 }, finalAccuracy: 0.1, status: seed === 2 ? 'completed' : 'diverged' }),
    );
    expect(divergenceCounts(runs)).toEqual([{ params: { lr: 1 }, variant: 'baseline', diverged: 2, runs: 3, atSteps: [500, 500] }]);
  });
  it('aggregates a curve per evaluation step across seeds', () => {
    const runs = [0.8, 0.9].map((acc, i) => fakeRun({ variant: 'v', seed: i, finalAccuracy: acc }));
    const curve = aggregateCurve(runs, 'val_accuracy');
    expect(curve).toHaveLength(5);
    expect(curve[4]!.mean).toBeCloseTo(0.85, 12);
    expect(curve[4]!.n).toBe(2);
  });
  it('measures activation drift relative to the distribution width', () => {
    const still = activationDrift({
      layer: 'l',
      point: 'pre_activation',
      percentiles: [15, 50, 85],
      steps: [1, 2, 3],
      values: [
        [-1, 0, 1],
        [-1, 0, 1],
        [-1, 0, 1],
      ],
    })!;
    expect(still.relativeDrift).toBe(0);
    const moving = activationDrift({
      layer: 'l',
      point: 'pre_activation',
      percentiles: [15, 50, 85],
      steps: [1, 2],
      values: [
        [-1, 0, 1],
        [0, 1, 2],
      ],
    })!;
    expect(moving.ranges).toEqual([1, 1, 1]);
    expect(moving.relativeDrift).toBeCloseTo(0.5, 12);
  });
  it('handles a trace longer than a function call takes arguments', () => {
    const n = 300_000;
    const values = Array.from({ length: n }, (_, i) => [-1 + i / n, i / n, 1 + i / n]);
    const drift = activationDrift({ layer: 'l', point: 'pre_activation', percentiles: [15, 50, 85], steps: values.map((_, i) => i), values })!;
    expect(drift.ranges[1]).toBeCloseTo((n - 1) / n, 12);
  });
});

describe('analyzeRuns', () => {
  const variants = [
    { name: 'baseline', batchnorm: false },
    { name: 'batchnorm', batchnorm: true },
  ];
  const runs = [1, 2, 3, 4, 5].flatMap((seed) => [
    fakeRun({ variant: 'baseline', seed, params: { batch: 128 }, finalAccuracy: 0.9 + seed * 0.002, rate: 0.5 + seed * 0.05 }),
    fakeRun({ variant: 'batchnorm', seed, params: { batch: 128 }, finalAccuracy: 0.95 + seed * 0.002 + (seed % 2) * 0.001, rate: 3 }),
  ]);
  it('summarizes, compares paired by seed with q-values, and keeps per-seed values', () => {
    const analysis = analyzeRuns(runs, { variants });
    expect(analysis.target).toBeNull();
    expect(analysis.timeToTarget).toEqual([]);
    const bn = analysis.summary.find((s) => s.variant === 'batchnorm')!;
    expect(bn.metrics.val_accuracy!.values).toEqual([0.953, 0.954, 0.957, 0.958, 0.961].map((v) => expect.closeTo(v, 12)));
    const cmp = analysis.comparisons.find((c) => c.metric === 'val_accuracy')!;
    expect(cmp.a).toBe('baseline');
    expect(cmp.test).toBe('paired_t');
    expect(cmp.outcome).toBe('b_higher');
    expect(cmp.q_value!).toBeGreaterThanOrEqual(cmp.p_value!);
    expect(cmp.verdict).toMatch(/BH q [=<] /);
    expect(cmp.difference).toBeCloseTo(0.0506, 12);
    // No target: no time-to-target comparison, and no level read off the results.
    expect(analysis.comparisons.some((c) => c.metric === 'steps_to_target')).toBe(false);
    const convergence = analysis.claims.find((c) => c.claim === 'faster_convergence')!;
    expect(convergence.status).toBe('supported');
    expect(analysis.plan.document).toMatch(/docs\/statistics\.md$/);
    // Learning curves: every curve metric at every evaluation step, per variant and sweep point, per seed kept.
    const curve = analysis.curves.find((c) => c.variant === 'batchnorm')!;
    expect(curve.seeds).toEqual([1, 2, 3, 4, 5]);
    expect(Object.keys(curve.metrics)).toEqual(['train_loss', 'train_accuracy', 'val_loss', 'val_accuracy']);
    const last = curve.metrics['val_accuracy']!.at(-1)!;
    expect(last.n).toBe(5);
    expect(last.ci95![0]).toBeLessThan(last.mean!);
  });
  it('with a declared target, gives Kaplan-Meier time to target and a log-rank comparison', () => {
    const target = { metric: 'val_accuracy' as const, op: '>=' as const, value: 0.9 };
    const analysis = analyzeRuns(runs, { target, variants });
    const entry = analysis.timeToTarget.find((t) => t.variant === 'batchnorm')!;
    expect(entry).toMatchObject({ runs: 5, reached: 5, fraction_reached: 1 });
    expect(entry.median_steps).toBe(200);
    const base = analysis.timeToTarget.find((t) => t.variant === 'baseline')!;
    expect(base.reached).toBe(5);
    const cmp = analysis.comparisons.find((c) => c.metric === 'steps_to_target')!;
    expect(cmp.test).toBe('log_rank_exact');
    expect(cmp.outcome).toBe('b_lower');
    expect(cmp.verdict).toMatch(/^batchnorm reached the target sooner than baseline at batch 128: batchnorm median 200 steps/);
  });
});
