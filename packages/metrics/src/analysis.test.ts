import { describe, expect, it } from 'vitest';
import { activationDrift } from './activation-drift.js';
import { analyzeRuns } from './analyze.js';
import { aggregateCurve } from './curves.js';
import { compareSamples } from './compare-samples.js';
import { divergenceCounts } from './divergence.js';
import { finalMetrics, valLossAuc } from './final-metrics.js';
import { stepTimeOverhead } from './step-time.js';
import { bestCommonTarget, timeToTarget } from './target.js';
import { fakeRun } from './testing/synthetic-runs.js';

describe('compareSamples verdicts', () => {
  const opts = { a: 'baseline', b: 'batchnorm', metric: 'val_accuracy', where: 'at batch 128' };
  it('reports a detected difference with its interval and seeds', () => {
    const c = compareSamples([0.9, 0.91, 0.905], [0.92, 0.925, 0.93], opts);
    expect(c.outcome).toBe('b_higher');
    expect(c.verdict).toMatch(/^batchnorm reached higher validation accuracy than baseline at batch 128: \+2\.0 points, 95% CI \[[\d.]+, [\d.]+\], 3 seeds each, p = /);
    // Three seeds cannot reach p < 0.05 in an exact rank test; the verdict must say so rather than overstate.
    expect(c.verdict).toMatch(/rank test cannot confirm it at this sample size \(p = 0\.10\)/);
  });
  it('says "no detectable difference" when the interval contains zero', () => {
    const c = compareSamples([0.9, 0.95, 0.92], [0.91, 0.93, 0.94], { ...opts, where: 'at batch 512' });
    expect(c.outcome).toBe('no_difference');
    expect(c.verdict).toMatch(/^no detectable difference in validation accuracy at batch 512/);
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
  it('does not take seeds that all agree for an exact difference: the rank test decides, and needs 4 seeds a side', () => {
    const steps = { ...opts, metric: 'steps_to_target' };
    const two = compareSamples([200, 200], [100, 100], steps);
    expect(two.outcome).toBe('inconclusive');
    expect(two.ci95).toBeNull();
    expect(two.verdict).toBe('inconclusive at batch 128: steps to reach the target was -100 steps in every seed (2 seeds each), with no spread to test; too few seeds for the rank test to tell (rank test p = 0.33)');
    const four = compareSamples([200, 200, 200, 200], [100, 100, 100, 100], steps);
    expect(four.outcome).toBe('b_lower');
    expect(four.verdict).toBe('batchnorm reached the target sooner than baseline at batch 128: -100 steps in every seed (4 seeds each), rank test p = 0.029');
    expect(compareSamples([150, 150], [150, 150], steps).outcome).toBe('no_difference');
  });
  it('reads lower loss as lower, in plain units', () => {
    const c = compareSamples([0.5, 0.52, 0.51], [0.3, 0.31, 0.32], { ...opts, metric: 'val_loss' });
    expect(c.outcome).toBe('b_lower');
    expect(c.verdict).toMatch(/reached lower validation loss .*: -0\.200,/);
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
  it('takes the best common level as the lowest best accuracy of finished runs', () => {
    const runs = [fakeRun({ variant: 'a', seed: 1, finalAccuracy: 0.8 }), fakeRun({ variant: 'b', seed: 1, finalAccuracy: 0.9 }), fakeRun({ variant: 'c', seed: 1, finalAccuracy: 0.2, status: 'diverged' })];
    expect(bestCommonTarget(runs)!.value).toBeCloseTo(0.8, 12);
  });
  it('gives the generalization gap and nulls the finals of a diverged run', () => {
    const run = fakeRun({ variant: 'v', seed: 1, finalAccuracy: 0.9 });
    expect(finalMetrics(run, null).generalization_gap).toBeCloseTo(0.01, 12);
    const diverged = finalMetrics(fakeRun({ variant: 'v', seed: 1, finalAccuracy: 0.9, status: 'diverged' }), null);
    expect(diverged.val_accuracy).toBeNull();
    expect(diverged.val_loss).toBeNull();
  });
  it('computes step-time overhead as the ratio of throughputs', () => {
    const runs = [fakeRun({ variant: 'baseline', seed: 1, finalAccuracy: 0.9, samplesPerSecond: 56_000 }), fakeRun({ variant: 'bn', seed: 1, finalAccuracy: 0.9, samplesPerSecond: 40_000 })];
    const [o] = stepTimeOverhead(runs, 'baseline');
    expect(o!.ratio).toBeCloseTo(1.4, 12);
  });
  it('counts divergences per variant and point', () => {
    const runs = [1, 2, 3].map((seed) => fakeRun({ variant: 'baseline', seed, params: { lr: 1 }, finalAccuracy: 0.1, status: seed === 2 ? 'completed' : 'diverged' }));
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
    const still = activationDrift({ layer: 'l', point: 'pre_activation', percentiles: [15, 50, 85], steps: [1, 2, 3], values: [[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]] })!;
    expect(still.relativeDrift).toBe(0);
    const moving = activationDrift({ layer: 'l', point: 'pre_activation', percentiles: [15, 50, 85], steps: [1, 2], values: [[-1, 0, 1], [0, 1, 2]] })!;
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
  it('summarizes, compares and keeps per-seed values', () => {
    // Four seeds: every seed reaches the target at the same evaluation, and only with four a side can that
    // agreement alone (no spread) be told from chance (exact p = 2/70).
    const runs = [1, 2, 3, 4].flatMap((seed) => [
      fakeRun({ variant: 'baseline', seed, params: { batch: 128 }, finalAccuracy: 0.9 + seed * 0.002 }),
      fakeRun({ variant: 'batchnorm', seed, params: { batch: 128 }, finalAccuracy: 0.95 + seed * 0.002, rate: 3 }),
    ]);
    const analysis = analyzeRuns(runs, { variants });
    const bn = analysis.summary.find((s) => s.variant === 'batchnorm')!;
    expect(bn.metrics.val_accuracy!.values).toEqual([0.952, 0.954, 0.956, 0.958].map((v) => expect.closeTo(v, 12)));
    const cmp = analysis.comparisons.find((c) => c.metric === 'val_accuracy')!;
    expect(cmp.a).toBe('baseline');
    expect(cmp.outcome).toBe('b_higher');
    expect(cmp.difference).toBeCloseTo(0.05, 12);
    const convergence = analysis.claims.find((c) => c.claim === 'faster_convergence')!;
    expect(convergence.status).toBe('supported');
    // Learning curves: every curve metric at every evaluation step, per variant and sweep point, per seed kept.
    const curve = analysis.curves.find((c) => c.variant === 'batchnorm')!;
    expect(curve.seeds).toEqual([1, 2, 3, 4]);
    expect(Object.keys(curve.metrics)).toEqual(['train_loss', 'train_accuracy', 'val_loss', 'val_accuracy']);
    const last = curve.metrics['val_accuracy']!.at(-1)!;
    expect(last.step).toBe(runs.find((r) => r.variant === 'batchnorm')!.history.at(-1)!.step);
    expect(last.values).toEqual([0.952, 0.954, 0.956, 0.958].map((v) => expect.closeTo(v, 12)));
    expect(last.n).toBe(4);
    expect(last.ci95![0]).toBeLessThan(last.mean!);
    // With three seeds the same agreement is not evidence enough.
    const three = analyzeRuns(runs.filter((r) => r.seed !== 4), { variants });
    expect(three.claims.find((c) => c.claim === 'faster_convergence')!.status).toBe('inconclusive');
  });
});
