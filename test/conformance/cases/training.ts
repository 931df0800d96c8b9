// Whole-trainer behaviour: a short run whose loss falls, state()/load() round trips and resuming, evaluate()
// in inference mode.
import { expect } from 'vitest';
import { computeLoss, countCorrect, forward, logitsOf, planNetwork, trainStep } from '@bnx/core/reference';
import type { Split } from '@bnx/data';
import type { Optimizer } from '@bnx/ir';
import type { NamedArrays, TrainBatch } from '@bnx/core';
import { scenario, toFloat64, trainSteps, type ConformanceContext, type StepInput } from '../context.js';
import { batchnorm, dense, model, recipe, simple } from '../ir.js';
import { dropoutMask, seededRandom, type Random } from '../random.js';

/** Three Gaussian blobs in 4 dimensions, centres at distance ~2.5: learnable in a few dozen steps. */
function blobs(random: Random, size: number): StepInput {
  const centres = [
    [1.5, 0, -1, 0.5],
    [-1, 1.5, 0.5, -0.5],
    [0, -1.5, 1, 1],
  ];
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const x = new Float32Array(size * 4);
  const y = new Int32Array(size);
  for (let n = 0; n < size; n++) {
    y[n] = Math.floor(random() * 3);
    for (let f = 0; f < 4; f++) x[n * 4 + f] = centres[y[n]!]![f]! + 0.7 * gauss();
  }
  return { x, y, size };
}

const blobModel = model(
  'blobs',
  [4],
  [dense('dense_1', 12, false), batchnorm('bn_1'), simple('relu', 'relu_1'), simple('dropout', 'dropout_1'), dense('dense_2', 3)],
);

const withMasks = (random: Random, b: StepInput): StepInput => ({ ...b, dropoutMasks: { dropout_1: dropoutMask(random, b.size * 12, 0.5) } });

export function registerTrainingCases(ctx: ConformanceContext): void {
  ctx.case('training/the loss falls on a tiny synthetic problem, and follows the reference', async () => {
    const random = seededRandom(500);
    const optimizer: Optimizer = { kind: 'sgd', lr: 0.1, momentum: 0.9, nesterov: false, weightDecay: 0 };
    const s = scenario(blobModel, recipe(optimizer, 'cross_entropy', 16), random);
    const batches = Array.from({ length: 40 }, () => withMasks(random, blobs(random, 16)));
    const lrs = batches.map(() => 0.1);
    const results = await ctx.withTrainer(s, (trainer) => trainSteps(trainer, batches, lrs));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const losses = results.map((r) => r.loss);
    expect(mean(losses.slice(-5)), `losses ${losses.map((l) => l.toFixed(3)).join(' ')}`).toBeLessThan(0.5 * mean(losses.slice(0, 5)));
    // The first 10 steps against the float64 reference; float32 rounding compounds, so 10x the tolerance.
    const plan = planNetwork(blobModel);
    const state = toFloat64(s.initial);
    const expected = batches.slice(0, 10).map((b, step) => trainStep(plan, s.recipe, state, b, 3, 0.1, step + 1).loss);
    ctx.expectClose(losses.slice(0, 10), expected, 'losses of the first 10 steps', 10 * ctx.tolerance);
  });

  ctx.case('training/batches are views of one reused buffer, overwritten when the next batch is pulled', async () => {
    // The driver's contract (TrainBatch): a backend that pulls batches ahead to fuse steps must copy x and y.
    const random = seededRandom(505);
    const r = recipe({ kind: 'sgd', lr: 0.1, momentum: 0.9, nesterov: false, weightDecay: 0 }, 'cross_entropy', 8);
    const s = scenario(blobModel, r, random);
    const batches = Array.from({ length: 6 }, () => withMasks(random, blobs(random, 8)));
    const x = new Float32Array(8 * 4);
    const y = new Int32Array(8);
    function* reused(): Generator<TrainBatch> {
      for (const [step, b] of batches.entries()) {
        x.set(b.x);
        y.set(b.y);
        yield { x, y, size: 8, step, lr: 0.1, dropoutMasks: b.dropoutMasks ?? {} };
      }
    }
    const plan = planNetwork(blobModel);
    const state = toFloat64(s.initial);
    const expectedLosses = batches.map((b, step) => trainStep(plan, r, state, b, 3, 0.1, step + 1).loss);
    await ctx.withTrainer(s, async (trainer) => {
      const losses: number[] = [];
      await trainer.train(reused(), { onStep: (result) => void losses.push(result.loss) });
      ctx.expectClose(losses, expectedLosses, 'losses of the 6 steps');
      const after = await trainer.state();
      for (const name of Object.keys(s.initial)) {
        const initial = s.initial[name]!.data;
        ctx.expectClose(
          Array.from(after[name]!.data, (v, i) => v - initial[i]!),
          Array.from(state[name]!, (v, i) => v - initial[i]!),
          `change of ${name}`,
        );
      }
    });
  });

  ctx.case('state/state() returns the initial state; load() replaces it exactly', async () => {
    const random = seededRandom(510);
    const s = scenario(blobModel, recipe({ kind: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 }), random);
    const other = scenario(blobModel, s.recipe, random).initial;
    await ctx.withTrainer(s, async (trainer) => {
      const initial = await trainer.state();
      for (const [name, entry] of Object.entries(s.initial)) {
        expect(initial[name]?.shape, `shape of ${name}`).toEqual(entry.shape);
        expect(Array.from(initial[name]!.data), name).toEqual(Array.from(entry.data));
      }
      await trainer.load(other);
      const loaded = await trainer.state();
      for (const [name, entry] of Object.entries(other)) expect(Array.from(loaded[name]!.data), name).toEqual(Array.from(entry.data));
    });
  });

  ctx.case('state/resuming from state() continues the run (optimizer state included)', async () => {
    const random = seededRandom(520);
    const r = recipe({ kind: 'adam', lr: 0.05, beta1: 0.8, beta2: 0.9, epsilon: 1e-3, weightDecay: 0 }, 'cross_entropy', 8);
    const s = scenario(blobModel, r, random);
    const batches = Array.from({ length: 4 }, () => withMasks(random, blobs(random, 8)));
    const steps = batches.map((b, step) => ({ x: b.x, y: b.y, size: b.size, step, lr: 0.05, dropoutMasks: b.dropoutMasks ?? {} }));
    const straight = await ctx.withTrainer(s, async (t) => {
      await t.train(steps, { onStep: () => {} });
      return t.state();
    });
    const half: NamedArrays = await ctx.withTrainer(s, async (t) => {
      await t.train(steps.slice(0, 2), { onStep: () => {} });
      return t.state();
    });
    const resumed = await ctx.withTrainer(s, async (t) => {
      await t.load(half);
      await t.train(steps.slice(2), { onStep: () => {} });
      return t.state();
    });
    for (const name of Object.keys(s.initial)) {
      const initial = s.initial[name]!.data;
      ctx.expectClose(
        Array.from(resumed[name]!.data, (v, i) => v - initial[i]!),
        Array.from(straight[name]!.data, (v, i) => v - initial[i]!),
        `change of ${name} after resuming`,
      );
    }
  });

  for (const loss of ['cross_entropy', 'mse'] as const) {
    ctx.case(`evaluate/inference mode (running statistics, no dropout), ${loss}, partial last batch`, async () => {
      const random = seededRandom(530);
      const s = scenario(blobModel, recipe({ kind: 'sgd', lr: 0.1, momentum: 0, nesterov: false, weightDecay: 0 }, loss), random);
      const data = blobs(random, 11);
      const split: Split = { x: data.x, y: data.y, count: 11, sampleShape: [4], numClasses: 3 };
      const plan = planNetwork(blobModel);
      const logits = logitsOf(forward(plan, toFloat64(s.initial), Float64Array.from(data.x), 11, 'eval'));
      const dims = { batch: 11, classes: 3 };
      const result = await ctx.withTrainer(s, (trainer) => trainer.evaluate(split, 4));
      expect(result.count).toBe(11);
      ctx.expectClose([result.loss], [computeLoss(loss, logits, data.y, dims).loss], 'evaluation loss');
      expect(result.accuracy).toBeCloseTo(countCorrect(logits, data.y, dims) / 11, 12);
    });
  }

  ctx.case('state/the trainer names its backend and device', async () => {
    const s = scenario(blobModel, recipe({ kind: 'sgd', lr: 0.1, momentum: 0, nesterov: false, weightDecay: 0 }), seededRandom(550));
    await ctx.withTrainer(s, async (trainer) => {
      expect(trainer.backend).toBe(ctx.backend.name);
      expect(['cpu', 'cuda']).toContain(trainer.device);
      const asked = ctx.options.device ?? 'auto';
      if (asked !== 'auto') expect(trainer.device).toBe(asked);
    });
  });

  ctx.case('evaluate/does not change the state', async () => {
    const random = seededRandom(540);
    const s = scenario(blobModel, recipe({ kind: 'sgd', lr: 0.1, momentum: 0.9, nesterov: false, weightDecay: 0 }), random);
    const data = blobs(random, 6);
    await ctx.withTrainer(s, async (trainer) => {
      await trainer.evaluate({ x: data.x, y: data.y, count: 6, sampleShape: [4], numClasses: 3 }, 6);
      await trainer.activations(data.x, 6, [{ layer: 'bn_1' }]);
      const after = await trainer.state();
      for (const [name, entry] of Object.entries(s.initial)) expect(Array.from(after[name]!.data), name).toEqual(Array.from(entry.data));
    });
  });
}
