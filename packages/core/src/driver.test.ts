import { describe, expect, it } from 'vitest';
import type { Layer, Probe } from '@bnx/ir';
import { isBnxError, type BnxError } from '@bnx/ir';
import { trainRun } from './driver.js';
import type { RunProgress, RunRecord } from './run-record.js';
import { createFakeBackend } from './testing/fake-backend.js';
import type { FakeFaults } from './testing/fake-backend.js';
import { blobDataset, runSpec, sgdRecipe, vectorModel } from './testing/tiny-data.js';

const dense = (name: string, units: number, bias = true): Layer => ({ op: 'dense', name, units, init: null, bias });
const relu = (name: string): Layer => ({ op: 'relu', name });
const bn = (name: string): Layer => ({ op: 'batchnorm', name, momentum: 0.1, epsilon: 1e-5, runningVar: 'unbiased', affine: true });

const mlp = vectorModel(4, [dense('dense_1', 8), relu('relu_1'), dense('dense_2', 3)]);
const bnMlp = vectorModel(4, [dense('dense_1', 8, false), bn('bn_1'), relu('relu_1'), dense('dense_2', 3)]);
const dropoutMlp = vectorModel(4, [dense('dense_1', 8), relu('relu_1'), { op: 'dropout', name: 'dropout_1', rate: 0.5 }, dense('dense_2', 3)]);

// 100 training samples in batches of 32: 4 steps per epoch (32, 32, 32, 4).
const data = blobDataset({ train: 100, validation: 60, test: 90 });

/** A clock that advances `ms` on every read, so timings and progress throttling are deterministic. */
function fakeClock(ms: number): () => number {
  let t = 0;
  return () => (t += ms);
}

async function run(
  opts: { model?: typeof mlp; recipe?: ReturnType<typeof sgdRecipe>; seed?: number; faults?: FakeFaults; probes?: Probe[] } = {},
  extra: Partial<Parameters<typeof trainRun>[1]> = {},
) {
  const backend = createFakeBackend({ faults: opts.faults ?? {} });
  const spec = runSpec(opts.model ?? mlp, opts.recipe ?? sgdRecipe(), { seed: opts.seed ?? 1, probes: opts.probes ?? [] });
  const record = await trainRun(spec, { backend, device: 'auto', data, now: fakeClock(1), ...extra });
  return { record, log: backend.log };
}

describe('trainRun schedule', () => {
  it('evaluates at the end of every epoch by default and tests at the end', async () => {
    const { record, log } = await run();
    expect(record.status).toBe('completed');
    expect(record.history.map((h) => h.step)).toEqual([4, 8, 12]);
    expect(record.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    expect(record.step_losses).toHaveLength(12);
    expect(record.steps).toBe(12);
    expect(record.total_steps).toBe(12);
    expect(log.map((s) => s.step)).toEqual([...Array(12).keys()]);
    expect(log.map((s) => s.size)).toEqual([32, 32, 32, 4, 32, 32, 32, 4, 32, 32, 32, 4]);
    expect(record.test).toBeDefined();
    expect(record.eval_split).toBe('validation');
    expect(record.backend).toBe('fake');
    expect(record.device).toBe('cpu');
    expect(record.engine).toBe('js');
  });

  it('runs a steps: recipe across epochs and evaluates every eval_every steps and at the end', async () => {
    const { record, log } = await run({ recipe: sgdRecipe({ epochs: undefined, steps: 11, evalEvery: 5 }) });
    expect(record.history.map((h) => h.step)).toEqual([5, 10, 11]);
    expect(record.history.map((h) => h.epoch)).toEqual([1.25, 2.5, 2.75]);
    expect(log).toHaveLength(11);
    // Each epoch has its own order: epoch 2 does not repeat epoch 1's first batch.
    expect(log[4]!.xSum).not.toBe(log[0]!.xSum);
  });

  it('reports train loss and accuracy as the sample-weighted mean since the previous evaluation', async () => {
    const { record, log } = await run();
    const sizes = log.map((s) => s.size);
    const weighted = (from: number, to: number) => {
      let sum = 0;
      let n = 0;
      for (let i = from; i < to; i++) {
        sum += record.step_losses[i]! * sizes[i]!;
        n += sizes[i]!;
      }
      return sum / n;
    };
    expect(record.history[0]!.train_loss).toBeCloseTo(weighted(0, 4), 12);
    expect(record.history[1]!.train_loss).toBeCloseTo(weighted(4, 8), 12);
    for (const h of record.history) {
      expect(h.train_accuracy).toBeGreaterThanOrEqual(0);
      expect(h.train_accuracy).toBeLessThanOrEqual(1);
    }
  });

  it('hands each step the scheduled learning rate', async () => {
    const stepLr = await run({ recipe: sgdRecipe({ schedule: { kind: 'step', every: 1, gamma: 0.5 } }) });
    expect(stepLr.log.map((s) => s.lr)).toEqual([...Array(12).keys()].map((i) => 0.1 * 0.5 ** Math.floor(i / 4)));
    const cosine = await run({ recipe: sgdRecipe({ schedule: { kind: 'cosine' } }) });
    expect(cosine.log[0]!.lr).toBe(0.1);
    expect(cosine.log[6]!.lr).toBeCloseTo(0.05, 12);
  });

  it('hands each step dropout masks for its batch size', async () => {
    const { log, record } = await run({ model: dropoutMlp });
    expect(record.status).toBe('completed');
    expect(log.every((s) => s.maskLayers.join() === 'dropout_1')).toBe(true);
  });

  it('evaluates on the test split when there is no validation split', async () => {
    const backend = createFakeBackend();
    const noVal = blobDataset({ train: 100, test: 90 });
    const record = await trainRun(runSpec(mlp, sgdRecipe()), { backend, device: 'cpu', data: noVal });
    expect(record.eval_split).toBe('test');
    expect(record.history.at(-1)!.val_loss).toBe(record.test!.loss);
  });

  it('learns separable blobs', async () => {
    const { record } = await run({ recipe: sgdRecipe({ epochs: 10, batch: 10 }) });
    expect(record.step_losses.at(-1)!).toBeLessThan(record.step_losses[0]!);
    expect(record.history.at(-1)!.val_accuracy).toBeGreaterThan(0.85);
    expect(record.test!.accuracy).toBeGreaterThan(0.85);
  });
});

describe('trainRun outcomes', () => {
  it('stops a run whose loss is NaN as diverged at that step', async () => {
    const { record, log } = await run({ faults: { nanLossAtStep: 5 } });
    expect(record.status).toBe('diverged');
    expect(record.diverged_at_step).toBe(6);
    expect(record.error).toMatch(/NaN at step 6 \(epoch 2\)/);
    expect(record.step_losses).toHaveLength(6);
    expect(record.step_losses[5]).toBeNaN();
    expect(record.history.map((h) => h.step)).toEqual([4]);
    expect(record.test).toBeUndefined();
    expect(log).toHaveLength(6);
  });

  it('stops at the next step when the signal aborts, keeping the record', async () => {
    const controller = new AbortController();
    const { record } = await run(
      {},
      {
        signal: controller.signal,
        now: fakeClock(200),
        onProgress: (p) => {
          if (p.step === 6) controller.abort();
        },
      },
    );
    expect(record.status).toBe('interrupted');
    expect(record.steps).toBe(6);
    expect(record.step_losses).toHaveLength(6);
    expect(record.history).toHaveLength(1);
    expect(record.test).toBeUndefined();
  });

  it('does not start when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const { record, log } = await run({}, { signal: controller.signal });
    expect(record.status).toBe('interrupted');
    expect(log).toHaveLength(0);
  });

  it('records a backend error as failed with its message', async () => {
    const { record } = await run({ faults: { throwAtStep: 2 } });
    expect(record.status).toBe('failed');
    expect(record.error).toBe('fake backend crashed at step 2');
    expect(record.step_losses).toHaveLength(2);
  });

  it('records a compile refusal as failed', async () => {
    const { record } = await run({ faults: { compileError: 'this backend cannot run adam' } });
    expect(record.status).toBe('failed');
    expect(record.error).toBe('this backend cannot run adam');
  });

  it('throws a BnxError for a spec with nothing to train on', async () => {
    const backend = createFakeBackend();
    const spec = runSpec(mlp, sgdRecipe({ epochs: 0 }));
    await expect(trainRun(spec, { backend, device: 'cpu', data })).rejects.toSatisfy(isBnxError);
  });

  it('reports progress at most every 100 ms', async () => {
    const seen: RunProgress[] = [];
    // 30 ms per clock read: progress can fire only on some steps.
    await run({ recipe: sgdRecipe({ epochs: 10 }) }, { now: fakeClock(30), onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThan(3);
    expect(seen.length).toBeLessThan(40);
    expect(seen.every((p) => p.totalSteps === 40 && Number.isFinite(p.loss) && p.samplesPerSecond > 0)).toBe(true);
    expect(seen.map((p) => p.step)).toEqual([...seen.map((p) => p.step)].sort((a, b) => a - b));
  });
});

describe('trainRun probes', () => {
  it('samples activation percentiles at step 0 and each evaluation, on the resolved layer', async () => {
    const { record } = await run({
      model: bnMlp,
      probes: [{ kind: 'activations', layer: 'dense_1', point: 'pre_activation', percentiles: [15, 50, 85] }],
    });
    const [probe] = record.probes.activations!;
    expect(probe!.resolved_layer).toBe('bn_1');
    expect(probe!.samples).toBe(60);
    expect(probe!.steps).toEqual([0, 4, 8, 12]);
    for (const v of probe!.values) {
      expect(v).toHaveLength(3);
      expect(v[0]!).toBeLessThanOrEqual(v[1]!);
      expect(v[1]!).toBeLessThanOrEqual(v[2]!);
    }
    expect(probe!.values[3]).not.toEqual(probe!.values[0]);
  });

  // Regression: the probe ran batch normalization in inference mode, so at step 0 (running statistics 0 and
  // 1) a network with small initial weights showed its tiny unnormalized values, and the drift measured from
  // there was the running statistics catching up. Training normalizes with the batch's statistics; so does
  // the probe now, at every point.
  it('normalizes with the probe batch statistics at step 0, as training does, even with tiny initial weights', async () => {
    const probes: Probe[] = [
      { kind: 'activations', layer: 'dense_1', point: 'pre_activation', percentiles: [15, 50, 85] },
      { kind: 'activations', layer: 'dense_1', point: 'pre_activation', percentiles: [15, 50, 85], unit: 3 },
    ];
    const { record } = await run({ model: bnMlp, recipe: sgdRecipe({ initScale: 0.01 }), probes });
    const [pooled, unit] = record.probes.activations!;
    // Standardized values (gamma 1, beta 0): the 15th and 85th percentiles sit near -1 and +1, not near 0.
    for (const probe of [pooled!, unit!]) {
      const [p15, , p85] = probe.values[0]!;
      expect(p15!).toBeLessThan(-0.5);
      expect(p85!).toBeGreaterThan(0.5);
      expect(p85! - p15!).toBeLessThan(3);
    }
    expect(unit!.unit).toBe(3);
    expect(pooled!.unit).toBeUndefined();
    // One unit is a different sample of values from all eight pooled.
    expect(unit!.values[0]).not.toEqual(pooled!.values[0]);
  });

  it('leaves training untouched: the probe restores the running statistics it replaced', async () => {
    const probes: Probe[] = [{ kind: 'activations', layer: 'dense_1', point: 'pre_activation', percentiles: [50], every: 1 }, { kind: 'bn_stats' }];
    const probed = await run({ model: bnMlp, probes });
    const plain = await run({ model: bnMlp, probes: [{ kind: 'bn_stats' }] });
    // The reference backend keeps float64 weights and hands its state out as float32, so a restored state is
    // the same up to float32 rounding (the real backends keep float32 and restore it exactly).
    const close = (a: number[], b: number[]) => a.every((x, i) => Math.abs(x - b[i]!) <= 1e-5 * Math.max(1, Math.abs(b[i]!)));
    expect(probed.record.step_losses).toHaveLength(plain.record.step_losses.length);
    expect(close(probed.record.step_losses, plain.record.step_losses)).toBe(true);
    const vals = (r: RunRecord) => r.history.map((h) => h.val_loss as number);
    expect(close(vals(probed.record), vals(plain.record))).toBe(true);
    const means = (r: RunRecord) => r.probes.bn_stats!.layers['bn_1']!.running_mean_mean;
    expect(close(means(probed.record), means(plain.record))).toBe(true);
  });

  it('samples activations every N steps when asked', async () => {
    const { record } = await run({
      probes: [{ kind: 'activations', layer: 'last_hidden', point: 'post_activation', percentiles: [50], every: 5 }],
    });
    const [probe] = record.probes.activations!;
    expect(probe!.resolved_layer).toBe('relu_1');
    expect(probe!.steps).toEqual([0, 5, 10, 12]);
  });

  it('records gradient norms averaged since the last evaluation, weight norms and BN statistics', async () => {
    const { record } = await run({ model: bnMlp, probes: [{ kind: 'grad_norm' }, { kind: 'weight_norm' }, { kind: 'bn_stats' }] });
    const names = ['dense_1.weight', 'bn_1.gamma', 'bn_1.beta', 'dense_2.weight', 'dense_2.bias'];
    expect(Object.keys(record.probes.grad_norm!.norms).sort()).toEqual([...names].sort());
    expect(Object.keys(record.probes.weight_norm!.norms).sort()).toEqual([...names].sort());
    expect(record.probes.grad_norm!.steps).toEqual([4, 8, 12]);
    for (const series of Object.values(record.probes.grad_norm!.norms)) {
      expect(series).toHaveLength(3);
      expect(series.every((v) => v > 0 && Number.isFinite(v))).toBe(true);
    }
    // gamma starts at ones (norm sqrt(8)) and moves with training.
    expect(record.probes.weight_norm!.norms['bn_1.gamma']![2]).not.toBeCloseTo(Math.sqrt(8), 6);
    const stats = record.probes.bn_stats!.layers['bn_1']!;
    expect(record.probes.bn_stats!.steps).toEqual([4, 8, 12]);
    // 12 momentum-0.1 updates move the running statistics away from (0, 1).
    expect(stats.running_mean_std[2]).toBeGreaterThan(0);
    expect(stats.running_var_mean[2]).not.toBeCloseTo(1, 3);
  });

  it('omits bn_stats for a model without batch normalization', async () => {
    const { record } = await run({ probes: [{ kind: 'bn_stats' }] });
    expect(record.probes.bn_stats).toBeUndefined();
  });
});

describe('trainRun determinism', () => {
  const strip = (r: RunRecord) => ({ ...r, seconds: 0, samples_per_second: 0, history: r.history.map((h) => ({ ...h, seconds: 0 })) });
  const probes: Probe[] = [{ kind: 'activations', layer: 'dense_1', point: 'post_activation', percentiles: [50] }, { kind: 'grad_norm' }, { kind: 'bn_stats' }];

  it('gives identical records for the same seed and different ones for another seed', async () => {
    const model = vectorModel(4, [
      dense('dense_1', 8, false),
      bn('bn_1'),
      relu('relu_1'),
      { op: 'dropout', name: 'dropout_1', rate: 0.3 },
      dense('dense_2', 3),
    ]);
    const a = await trainRun(runSpec(model, sgdRecipe(), { seed: 7, probes: [...probes] }), { backend: createFakeBackend(), device: 'cpu', data });
    const b = await trainRun(runSpec(model, sgdRecipe(), { seed: 7, probes: [...probes] }), { backend: createFakeBackend(), device: 'cpu', data });
    const c = await trainRun(runSpec(model, sgdRecipe(), { seed: 8, probes: [...probes] }), { backend: createFakeBackend(), device: 'cpu', data });
    expect(strip(b)).toEqual(strip(a));
    expect(c.step_losses).not.toEqual(a.step_losses);
  });
});

describe('trainRun spec checks', () => {
  it('throws a BnxError naming the model and dataset when the class count does not match', async () => {
    const four = vectorModel(4, [dense('dense_1', 4)]);
    const err = await trainRun(runSpec(four, sgdRecipe()), { backend: createFakeBackend(), device: 'cpu', data }).catch((e: unknown) => e);
    expect(isBnxError(err)).toBe(true);
    expect((err as Error).message).toMatch(
      /run '.*': the last layer of model 'm' gives 4 outputs but dataset 'blobs' has 3 classes; cross_entropy needs one logit per class$/,
    );
    // The same code as the validator's check, as a diagnostic the CLI can show with its source line.
    expect((err as BnxError).code).toBe('E1501');
    expect((err as BnxError).diagnostics.map((d) => d.code)).toEqual(['E1501']);
  });

  it('throws a BnxError when the model input does not take the samples', async () => {
    const wide = vectorModel(5, [dense('dense_1', 3)]);
    const err = await trainRun(runSpec(wide, sgdRecipe()), { backend: createFakeBackend(), device: 'cpu', data }).catch((e: unknown) => e);
    expect(isBnxError(err)).toBe(true);
    expect((err as Error).message).toMatch(/model 'm' takes input \(5\) but dataset 'blobs' gives samples of shape \(4\)$/);
    expect((err as BnxError).diagnostics.map((d) => d.code)).toEqual(['E1502']);
  });
});

describe('trainRun batch checks', () => {
  it('refuses batch 1 with batch normalization before compiling', async () => {
    const backend = createFakeBackend();
    const err = await trainRun(runSpec(bnMlp, sgdRecipe({ batch: 1 })), { backend, device: 'cpu', data }).catch((e: unknown) => e);
    expect(isBnxError(err)).toBe(true);
    expect((err as Error).message).toMatch(/batch 1 cannot train a model with batch normalization/);
    expect(backend.log).toHaveLength(0);
  });

  it('drops a last batch of one sample when the model has batch normalization', async () => {
    // 97 samples in batches of 32 leave one: dropped with BN (3 steps per epoch), kept without (4).
    const odd = blobDataset({ train: 97, validation: 30, test: 30 });
    const withBn = createFakeBackend();
    await trainRun(runSpec(bnMlp, sgdRecipe({ epochs: 1 })), { backend: withBn, device: 'cpu', data: odd });
    expect(withBn.log.map((s) => s.size)).toEqual([32, 32, 32]);
    const without = createFakeBackend();
    await trainRun(runSpec(mlp, sgdRecipe({ epochs: 1 })), { backend: without, device: 'cpu', data: odd });
    expect(without.log.map((s) => s.size)).toEqual([32, 32, 32, 1]);
  });
});
