// The test double is the reference backend plus a log and faults: it must train exactly as the reference
// does, log what it was fed, and fail where it is told to.
import { describe, expect, it } from 'vitest';
import type { ModelIR } from '@bnx/ir';
import type { StepResult, TrainBatch } from '../backend.js';
import { initialState } from '../init.js';
import { createReferenceBackend } from '../reference/backend.js';
import { createFakeBackend } from './fake-backend.js';
import { sgdRecipe } from './tiny-data.js';

const model: ModelIR = {
  name: 'm',
  input: [3],
  layers: [
    { op: 'dense', name: 'dense_1', units: 4, init: null, bias: false },
    { op: 'batchnorm', name: 'bn_1', momentum: 0.1, epsilon: 1e-5, runningVar: 'unbiased', affine: true },
    { op: 'tanh', name: 'tanh_1' },
    { op: 'dense', name: 'dense_2', units: 2, init: null, bias: true },
  ],
};
const batch = (step: number): TrainBatch => ({
  x: Float32Array.from({ length: 12 }, (_, i) => Math.sin(i + step)),
  y: new Int32Array([0, 1, 1, 0]),
  size: 4,
  step,
  lr: 0.5,
  dropoutMasks: {},
});
const options = { device: 'cpu' as const, numClasses: 2, initialState: initialState(model, sgdRecipe(), 3), gradNorms: false, maxBatch: 4 };

describe('fake backend (test double)', () => {
  it('trains exactly as the reference backend and logs every batch it was fed', async () => {
    const fake = createFakeBackend();
    const trainer = await fake.compile(model, sgdRecipe(), options);
    const reference = await createReferenceBackend().compile(model, sgdRecipe(), options);
    await trainer.train([batch(0), batch(1)], { onStep: () => true });
    await reference.train([batch(0), batch(1)], { onStep: () => true });
    expect(await trainer.state()).toEqual(await reference.state());
    expect(fake.log.map((s) => [s.step, s.size, s.lr])).toEqual([
      [0, 4, 0.5],
      [1, 4, 0.5],
    ]);
    expect(fake.log[1]!.xSum).toBeCloseTo(
      batch(1).x.reduce((a, b) => a + b, 0),
      6,
    );
    expect(trainer.backend).toBe('fake');
  });

  it('reports a NaN loss, throws and refuses to compile where told, and stops when onStep says so', async () => {
    const nan = await createFakeBackend({ faults: { nanLossAtStep: 1 } }).compile(model, sgdRecipe(), options);
    const losses: number[] = [];
    await nan.train([batch(0), batch(1), batch(2)], { onStep: (r: StepResult) => (losses.push(r.loss), Number.isFinite(r.loss)) });
    expect(losses).toHaveLength(2);
    expect(losses[1]).toBeNaN();
    const crashing = await createFakeBackend({ faults: { throwAtStep: 1 } }).compile(model, sgdRecipe(), options);
    await expect(crashing.train([batch(0), batch(1)], { onStep: () => true })).rejects.toThrow('fake backend crashed at step 1');
    await expect(createFakeBackend({ faults: { compileError: 'no' } }).compile(model, sgdRecipe(), options)).rejects.toThrow('no');
  });
});
