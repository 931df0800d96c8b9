// The test double must be honest for the driver tests to mean anything: its gradients match finite
// differences and its batch norm follows the IR's conventions.
import { describe, expect, it } from 'vitest';
import type { Layer, ModelIR } from '@bnx/ir';
import type { NamedArrays, Trainer } from '../backend.js';
import { initialState } from '../init.js';
import { createFakeBackend } from './fake-backend.js';
import { sgdRecipe } from './tiny-data.js';

const bn = (runningVar: 'unbiased' | 'biased'): Layer => ({ op: 'batchnorm', name: 'bn_1', momentum: 0.1, epsilon: 1e-5, runningVar, affine: true });
const model: ModelIR = {
  name: 'm',
  input: [3],
  layers: [
    { op: 'dense', name: 'dense_1', units: 4, init: null, bias: false },
    bn('unbiased'),
    { op: 'tanh', name: 'tanh_1' },
    { op: 'dense', name: 'dense_2', units: 2, init: null, bias: true },
  ],
};
const x = new Float32Array([0.5, -1, 2, 1.5, 0.3, -0.7, -0.2, 0.9, 1.1, 0.4, -1.3, 0.8]);
const y = new Int32Array([0, 1, 1, 0]);

async function compile(state: NamedArrays, m: ModelIR = model, numClasses = 2): Promise<Trainer> {
  return createFakeBackend().compile(m, sgdRecipe(), { device: 'cpu', numClasses, initialState: state, gradNorms: false, maxBatch: 4 });
}

async function stepLoss(state: NamedArrays, lr: number): Promise<{ loss: number; after: NamedArrays }> {
  const trainer = await compile(state);
  let loss = Number.NaN;
  await trainer.train([{ x, y, size: 4, step: 0, lr, dropoutMasks: {} }], { onStep: (r) => void (loss = r.loss) });
  return { loss, after: await trainer.state() };
}

function perturbed(state: NamedArrays, name: string, index: number, delta: number): NamedArrays {
  const copy: NamedArrays = {};
  for (const [k, v] of Object.entries(state)) copy[k] = { shape: v.shape, data: Float32Array.from(v.data) };
  copy[name]!.data[index] = copy[name]!.data[index]! + delta;
  return copy;
}

describe('fake backend (test double)', () => {
  it('computes gradients that match central finite differences', async () => {
    const state = initialState(model, sgdRecipe(), 3);
    const { after } = await stepLoss(state, 1);
    const eps = 1e-2;
    for (const [name, index] of [['dense_1.weight', 5], ['bn_1.gamma', 2], ['bn_1.beta', 1], ['dense_2.weight', 3], ['dense_2.bias', 1]] as const) {
      const analytic = state[name]!.data[index]! - after[name]!.data[index]!;
      const plus = (await stepLoss(perturbed(state, name, index, eps), 0)).loss;
      const minus = (await stepLoss(perturbed(state, name, index, -eps), 0)).loss;
      const numeric = (plus - minus) / (2 * eps);
      expect(Math.abs(analytic - numeric), name).toBeLessThan(1e-3 * Math.max(1, Math.abs(numeric)) + 1e-4);
    }
  });

  it('updates BN running statistics with momentum 0.1 in both variance conventions', async () => {
    // The numbers of issue 4: x = [[1,2,3],[2,4,6],[3,6,9],[4,8,12]], running (0, 1), one training step.
    const data = new Float32Array([1, 2, 3, 2, 4, 6, 3, 6, 9, 4, 8, 12]);
    for (const [runningVar, expectedVar] of [['unbiased', [1.0667, 1.5667, 2.4]], ['biased', [1.025, 1.4, 2.025]]] as const) {
      const bnOnly: ModelIR = { name: 'b', input: [3], layers: [bn(runningVar)] };
      const trainer = await compile(initialState(bnOnly, sgdRecipe(), 1), bnOnly, 3);
      await trainer.train([{ x: data, y: new Int32Array([0, 1, 2, 0]), size: 4, step: 0, lr: 0, dropoutMasks: {} }], { onStep: () => true });
      const state = await trainer.state();
      [0.25, 0.5, 0.75].forEach((m, i) => expect(state['bn_1.running_mean']!.data[i]).toBeCloseTo(m, 5));
      expectedVar.forEach((v, i) => expect(state['bn_1.running_var']!.data[i]).toBeCloseTo(v, 4));
    }
  });
});
