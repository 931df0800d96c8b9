import { describe, expect, it } from 'vitest';
import { ReferenceTrainer } from '@bnx/core/reference';
import type { CompileOptions } from '@bnx/core';
import { isBnxError } from '@bnx/ir';
import type { Layer } from '@bnx/ir';
import { onnxBackend } from './backend.js';
import { onnxDevices } from './devices.js';
import { model, prng, randomBatches, randomState, recipe } from './testing/fixtures.js';

const mlp = model('mlp', [28, 28], [
  { name: 'flatten_1', op: 'flatten' },
  { name: 'dense_1', op: 'dense', units: 10, init: null, bias: false },
  { name: 'bn_1', op: 'batchnorm', momentum: 0.1, epsilon: 1e-5, runningVar: 'unbiased', affine: true },
  { name: 'relu_1', op: 'relu' },
  { name: 'dense_2', op: 'dense', units: 3, init: null, bias: true },
] satisfies Layer[]);
const sgd = recipe({ kind: 'sgd', lr: 0.05, momentum: 0.9, nesterov: false, weightDecay: 0 });
const options = (device: CompileOptions['device'] = 'cpu'): CompileOptions => ({
  device,
  numClasses: 3,
  initialState: randomState(mlp, 1),
  gradNorms: false,
  maxBatch: 16,
});

describe('onnx runtime behaviour', () => {
  it('evaluates and reports activations in inference mode like the reference', async () => {
    const trainer = await onnxBackend.compile(mlp, sgd, options());
    const ref = new ReferenceTrainer(mlp, sgd, options());
    const batches = randomBatches(2, { sampleSize: 784, classes: 3, size: 16, steps: 3, lr: 0.05 });
    await trainer.train(batches, { onStep: () => {} });
    await ref.train(batches, { onStep: () => {} });
    const rand = prng(9);
    const split = {
      x: Float32Array.from({ length: 21 * 784 }, () => rand()),
      y: Int32Array.from({ length: 21 }, () => Math.floor(rand() * 3)),
      count: 21,
      sampleShape: [1, 28, 28],
      numClasses: 3,
    };
    const [got, want] = [await trainer.evaluate(split, 8), await ref.evaluate(split, 8)];
    expect(got.count).toBe(21);
    expect(got.accuracy).toBe(want.accuracy);
    expect(got.loss).toBeCloseTo(want.loss, 4);
    const [actGot] = await trainer.activations(split.x, 4, [{ layer: 'bn_1' }]);
    const [actWant] = await ref.activations(split.x.subarray(0, 4 * 784), 4, [{ layer: 'bn_1' }]);
    expect(actGot).toHaveLength(40);
    for (let i = 0; i < 40; i++) expect(actGot![i]).toBeCloseTo(actWant![i]!, 4);
    await trainer.dispose();
  });

  it('round-trips its state through state() and load(), optimizer slots included', async () => {
    const a = await onnxBackend.compile(mlp, sgd, options());
    await a.train(randomBatches(4, { sampleSize: 784, classes: 3, size: 8, steps: 2, lr: 0.05 }), { onStep: () => {} });
    const saved = await a.state();
    expect(Object.keys(saved)).toContain('dense_1.weight.velocity');
    const b = await onnxBackend.compile(mlp, sgd, options());
    await b.load(saved);
    const next = randomBatches(5, { sampleSize: 784, classes: 3, size: 8, steps: 1, lr: 0.05 });
    const losses: number[] = [];
    await a.train(next, { onStep: (s) => void losses.push(s.loss) });
    await b.train(next, { onStep: (s) => void losses.push(s.loss) });
    expect(losses[0]).toBe(losses[1]);
    expect(await a.state()).toEqual(await b.state());
  });

  it('stops when onStep returns false', async () => {
    const trainer = await onnxBackend.compile(mlp, sgd, options());
    const steps: number[] = [];
    await trainer.train(randomBatches(4, { sampleSize: 784, classes: 3, size: 8, steps: 5, lr: 0.05 }), {
      onStep: (s) => (steps.push(s.step), s.step < 1),
    });
    expect(steps).toEqual([0, 1]);
  });

  it('refuses a training batch of one with batch normalization, as PyTorch does', async () => {
    const trainer = await onnxBackend.compile(mlp, sgd, options());
    const [batch] = randomBatches(4, { sampleSize: 784, classes: 3, size: 1, steps: 1, lr: 0.05 });
    const err = await trainer.train([batch!], { onStep: () => {} }).catch((e: unknown) => e);
    expect(isBnxError(err)).toBe(true);
    expect(String((err as Error).message)).toMatch(/'bn_1'.*batch of 1/);
  });

  it('rejects labels outside the classes and a missing parameter with BnxError', async () => {
    const trainer = await onnxBackend.compile(mlp, sgd, options());
    const [batch] = randomBatches(4, { sampleSize: 784, classes: 3, size: 4, steps: 1, lr: 0.05 });
    batch!.y[2] = 7;
    await expect(trainer.train([batch!], { onStep: () => {} })).rejects.toThrow(/label 7 of sample 2 is outside 0..2/);
    const state = randomState(mlp, 1);
    delete state['dense_2.weight'];
    await expect(onnxBackend.compile(mlp, sgd, { ...options(), initialState: state })).rejects.toThrow(/no 'dense_2.weight'/);
    const extra = { ...randomState(mlp, 1), 'dense_9.weight': { shape: [1], data: new Float32Array(1) } };
    await expect(onnxBackend.compile(mlp, sgd, { ...options(), initialState: extra })).rejects.toThrow(/unknown entry 'dense_9.weight'/);
  });

  it('tells why CUDA is unavailable, fails --device cuda before training, and falls back on auto', async () => {
    const cuda = (await onnxDevices()).find((d) => d.device === 'cuda')!;
    if (cuda.available) return; // a machine with a working CUDA provider: nothing to check here
    // The reason is short (it is shown beside --device auto's fallback); what to do is in the hint.
    expect(cuda.reason).not.toMatch(/\. |--device/);
    expect(cuda.reason!.length).toBeLessThan(120);
    expect(cuda.hint).toMatch(/ONNXRUNTIME_NODE_INSTALL=cuda12 .*--device cpu\.$/);
    expect(cuda.hint).not.toMatch(/--device auto/);
    const err = await onnxBackend.compile(mlp, sgd, options('cuda')).catch((e: unknown) => e);
    expect(isBnxError(err)).toBe(true);
    expect((err as Error).message).toMatch(/--device cuda: .*CUDA 12 and cuDNN 9/);
    const warnings: unknown[] = [];
    const onWarning = (w: unknown) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const trainer = await onnxBackend.compile(mlp, sgd, options('auto'));
      expect(trainer.device).toBe('cpu');
      await new Promise((r) => setImmediate(r)); // process warnings are emitted on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([]);
  });
});
