// Batch-normalization semantics against the published conventions (PyTorch BatchNorm1d), with the expected
// numbers worked out here by hand rather than taken from any implementation.
import { afterAll, describe, expect, it } from 'vitest';
import { isBnxError } from '@bnx/ir';
import type { Trainer } from '@bnx/core';
import { tfjsBackend } from './backend.js';
import { bn, model, options, recipe, sgd } from './testing/fixtures.js';

// Four samples, three features; feature j is (j+1) * [1, 2, 3, 4].
const x = Float32Array.from([1, 2, 3, 2, 4, 6, 3, 6, 9, 4, 8, 12]);
const y = Int32Array.from([0, 1, 2, 0]);
const batchMean = [2.5, 5, 7.5];
const biasedVar = [1.25, 5, 11.25]; // mean of squared deviations: (2.25+0.25+0.25+2.25)/4 = 1.25, times (j+1)^2
const unbiasedVar = biasedVar.map((v) => (v * 4) / 3);

const trainers: Trainer[] = [];
afterAll(async () => {
  for (const t of trainers) await t.dispose();
});

async function oneStep(engine: string, runningVar: 'unbiased' | 'biased') {
  const m = model('bn_only', [3], [bn('bn', runningVar)]);
  const initial = {
    'bn.gamma': { shape: [3], data: Float32Array.of(1, 1, 1) },
    'bn.beta': { shape: [3], data: Float32Array.of(0, 0, 0) },
    'bn.running_mean': { shape: [3], data: Float32Array.of(0, 0, 0) },
    'bn.running_var': { shape: [3], data: Float32Array.of(1, 1, 1) },
  };
  const trainer = await tfjsBackend.compile(m, recipe(sgd(0), 'mse'), options(3, initial, 4, false, engine));
  trainers.push(trainer);
  let loss = NaN;
  await trainer.train([{ x, y, size: 4, step: 0, lr: 0, dropoutMasks: {} }], { onStep: (s) => void (loss = s.loss) });
  return { trainer, loss, state: await trainer.state() };
}

for (const engine of ['wasm', 'cpu']) {
  describe(`batch normalization on ${engine}`, () => {
    it('one step with momentum 0.1 moves the running statistics by a tenth of the batch ones (unbiased variance)', async () => {
      const { state } = await oneStep(engine, 'unbiased');
      const mean = [...state['bn.running_mean']!.data];
      const variance = [...state['bn.running_var']!.data];
      [0.25, 0.5, 0.75].forEach((v, j) => expect(mean[j]).toBeCloseTo(v, 5));
      [1.0667, 1.5667, 2.4].forEach((v, j) => expect(variance[j]).toBeCloseTo(v, 4));
      unbiasedVar.forEach((v, j) => expect(variance[j]).toBeCloseTo(0.9 + 0.1 * v, 5));
    });

    it('keeps the biased variance when running_var is biased', async () => {
      const { state } = await oneStep(engine, 'biased');
      [1.025, 1.4, 2.025].forEach((v, j) => expect(state['bn.running_var']!.data[j]).toBeCloseTo(v, 5));
    });

    it('normalizes a training batch with its own mean and BIASED variance', async () => {
      const { loss } = await oneStep(engine, 'unbiased');
      // mse against one-hot: mean over samples and classes of (xhat - onehot)^2, xhat from the biased variance.
      let sum = 0;
      for (let n = 0; n < 4; n++) {
        for (let j = 0; j < 3; j++) {
          const xHat = (x[n * 3 + j]! - batchMean[j]!) / Math.sqrt(biasedVar[j]! + 1e-5);
          sum += (xHat - (y[n] === j ? 1 : 0)) ** 2;
        }
      }
      expect(loss).toBeCloseTo(sum / 12, 5);
    });

    it('uses the running statistics in evaluation mode', async () => {
      const { trainer, state } = await oneStep(engine, 'unbiased');
      const [out] = await trainer.activations(x, 4, [{ layer: 'bn' }]);
      for (let n = 0; n < 4; n++) {
        for (let j = 0; j < 3; j++) {
          const expected = (x[n * 3 + j]! - state['bn.running_mean']!.data[j]!) / Math.sqrt(state['bn.running_var']!.data[j]! + 1e-5);
          expect(out![n * 3 + j]).toBeCloseTo(expected, 5);
        }
      }
    });

    it('refuses a training batch of one sample, as PyTorch does', async () => {
      const m = model('bn_only', [3], [bn('bn')]);
      const trainer = await tfjsBackend.compile(m, recipe(sgd(0.1)), options(3, {}, 4, false, engine));
      trainers.push(trainer);
      const err = await trainer
        .train([{ x: x.subarray(0, 3), y: y.subarray(0, 1), size: 1, step: 0, lr: 0.1, dropoutMasks: {} }], { onStep: () => {} })
        .catch((e: unknown) => e);
      expect(isBnxError(err)).toBe(true);
      expect((err as Error).message).toMatch(/layer 'bn'.*batch of one sample/);
    });
  });
}
