import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { isBnxError } from '@bnx/ir';
import type { TrainBatch, Trainer } from '@bnx/core';
import { tfjsBackend } from './backend.js';
import { adam, bn, conv, dense, initialStateFor, model, options, recipe, rng, sgd } from './testing/fixtures.js';

const trainers: Trainer[] = [];
afterAll(async () => {
  for (const t of trainers) await t.dispose();
});

/** Images whose class is the brighter half (top or bottom) of a noisy 2x8x8 picture: a conv net learns it fast. */
function halves(steps: number, size: number, seed: number, lr: number): TrainBatch[] {
  const random = rng(seed);
  return Array.from({ length: steps }, (_, step) => {
    const x = new Float32Array(size * 128);
    const y = new Int32Array(size);
    for (let n = 0; n < size; n++) {
      y[n] = random() < 0.5 ? 0 : 1;
      for (let c = 0; c < 2; c++) {
        for (let i = 0; i < 64; i++) {
          const top = i < 32;
          x[n * 128 + c * 64 + i] = random() - 0.5 + ((top ? y[n] === 0 : y[n] === 1) ? 0.5 : 0);
        }
      }
    }
    return { x, y, size, step, lr, dropoutMasks: {} };
  });
}

const cnn = model(
  'cnn',
  [2, 8, 8],
  [
    conv('c1', 4, 3, 1, 'same', false),
    bn('bn1'),
    { op: 'relu', name: 'r1' },
    { op: 'maxpool', name: 'p1', size: [2, 2], stride: [2, 2] },
    { op: 'flatten', name: 'f' },
    dense('d1', 2),
  ],
);

describe('conv training on the wasm engine', () => {
  it('has no Conv2DBackpropFilter kernel on wasm, so the filter gradient must take another route', async () => {
    const trainer = await tfjsBackend.compile(cnn, recipe(adam(0.01)), options(2, initialStateFor(cnn, recipe(adam(0.01)), 2), 16, false, 'wasm'));
    trainers.push(trainer);
    expect(tf.getBackend()).toBe('wasm');
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
  });

  it('learns: the loss falls and held-out accuracy is far above chance', async () => {
    const r = recipe(adam(0.01));
    const trainer = await tfjsBackend.compile(cnn, r, options(2, initialStateFor(cnn, r, 2), 16, false, 'wasm'));
    trainers.push(trainer);
    const losses: number[] = [];
    await trainer.train(halves(60, 16, 1, 0.01), { onStep: (s) => void losses.push(s.loss) });
    const first = losses.slice(0, 5).reduce((a, b) => a + b) / 5;
    const last = losses.slice(-5).reduce((a, b) => a + b) / 5;
    expect(last).toBeLessThan(first * 0.5);
    const test = halves(1, 200, 99, 0)[0]!;
    const result = await trainer.evaluate({ x: test.x, y: test.y, count: 200, sampleShape: [2, 8, 8], numClasses: 2 }, 64);
    expect(result.accuracy).toBeGreaterThan(0.9);
  });
});

describe('tensor lifetime', () => {
  it('keeps tf.memory().numTensors flat across epochs, evaluations and state reads', async () => {
    for (const [m, engine] of [
      [cnn, 'wasm'],
      [cnn, 'cpu'],
    ] as const) {
      const r = recipe(sgd(0.05, 0.9, true, 1e-4));
      const trainer = await tfjsBackend.compile(m, r, options(2, initialStateFor(m, r, 4), 16, true, engine));
      trainers.push(trainer);
      const test = halves(1, 40, 7, 0)[0]!;
      const counts: number[] = [];
      for (let epoch = 0; epoch < 3; epoch++) {
        await trainer.train(halves(4, 16, epoch, 0.05), { onStep: () => {} });
        await trainer.evaluate({ x: test.x, y: test.y, count: 40, sampleShape: [2, 8, 8], numClasses: 2 }, 16);
        await trainer.activations(test.x, 40, [{ layer: 'bn1' }, { layer: 'd1' }]);
        await trainer.load(await trainer.state());
        counts.push(tf.memory().numTensors);
      }
      expect(new Set(counts).size, `${engine}: ${counts.join(', ')}`).toBe(1);
      const before = tf.memory().numTensors;
      await trainer.dispose();
      expect(tf.memory().numTensors).toBeLessThan(before);
    }
  });
});

describe('state and errors', () => {
  it('round-trips conv weights in OIHW through state() and load()', async () => {
    const r = recipe(sgd(0.1));
    const initial = initialStateFor(cnn, r, 9);
    const trainer = await tfjsBackend.compile(cnn, r, options(2, initial, 16));
    trainers.push(trainer);
    const state = await trainer.state();
    expect(state['c1.weight']!.shape).toEqual([4, 2, 3, 3]);
    expect([...state['c1.weight']!.data]).toEqual([...initial['c1.weight']!.data]);
  });

  it('says which entry is missing from the initial state', async () => {
    const m = model('mlp', [4], [dense('d1', 3)]);
    const err = await tfjsBackend.compile(m, recipe(sgd()), options(3, {})).catch((e: unknown) => e);
    expect(isBnxError(err)).toBe(true);
    expect((err as Error).message).toContain("'d1.weight'");
  });

  it('says when the model output does not match the classes', async () => {
    const m = model('mlp', [4], [dense('d1', 3)]);
    const err = await tfjsBackend.compile(m, recipe(sgd()), options(10, initialStateFor(m, recipe(sgd()), 1))).catch((e: unknown) => e);
    expect(isBnxError(err)).toBe(true);
    expect((err as Error).message).toMatch(/10 classes/);
  });
});
