import { describe, expect, it } from 'vitest';
import type { Layer, ModelIR, TrainIR } from '@bnx/ir';
import { isBnxError } from '@bnx/ir';
import type { CompileOptions, NamedArrays, StepResult, TrainBatch } from '../backend.js';
import { createReferenceBackend } from './backend.js';
import { planNetwork, stateSpecs } from './plan.js';
import { randomArray, relativeError, seededRandom } from './testing/gradient-check.js';

const model: ModelIR = {
  name: 'mlp',
  input: [2],
  layers: [
    { op: 'dense', name: 'dense_1', units: 8, init: null, bias: false },
    { op: 'batchnorm', name: 'bn_1', momentum: 0.1, epsilon: 1e-5, runningVar: 'unbiased', affine: true },
    { op: 'relu', name: 'relu_1' },
    { op: 'dense', name: 'dense_2', units: 2, init: null, bias: true },
  ] satisfies Layer[],
};
const recipe: TrainIR = {
  name: 'r',
  optimizer: { kind: 'adam', lr: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 },
  loss: 'cross_entropy',
  steps: 40,
  batch: 16,
  schedule: { kind: 'constant' },
  initScale: 1,
};

function initialState(seed: number): NamedArrays {
  const random = seededRandom(seed);
  const out: NamedArrays = {};
  for (const s of stateSpecs(planNetwork(model), recipe.optimizer)) {
    if (s.kind === 'slot') continue;
    const n = s.shape.reduce((a, b) => a * b, 1);
    const fill = s.name.endsWith('running_var') || s.name.endsWith('gamma') ? 1 : null;
    out[s.name] = { shape: s.shape, data: fill === null ? Float32Array.from(randomArray(random, n, 0.7)) : new Float32Array(n).fill(fill) };
  }
  return out;
}

const options = (initial: NamedArrays): CompileOptions => ({ device: 'auto', numClasses: 2, initialState: initial, gradNorms: true, maxBatch: 16 });

/** Two classes: inside or outside the unit circle, which no linear model separates. */
function circleBatch(random: () => number, size: number, step: number): TrainBatch {
  const x = new Float32Array(size * 2);
  const y = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    x[2 * i] = 3 * random() - 1.5;
    x[2 * i + 1] = 3 * random() - 1.5;
    y[i] = x[2 * i]! ** 2 + x[2 * i + 1]! ** 2 < 1 ? 1 : 0;
  }
  return { x, y, size, step, lr: 0.05, dropoutMasks: {} };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (err: unknown) => err,
  );
}

describe('reference backend', () => {
  it('trains: the loss falls on a non-linear problem, and every step reports gradient norms', async () => {
    const trainer = await createReferenceBackend().compile(model, recipe, options(initialState(1)));
    const random = seededRandom(2);
    const results: StepResult[] = [];
    const batches = Array.from({ length: 100 }, (_, step) => circleBatch(random, 16, step));
    await trainer.train(batches, { onStep: (r) => void results.push(r) });
    const mean = (rs: StepResult[]) => rs.reduce((a, r) => a + r.loss, 0) / rs.length;
    expect(mean(results.slice(-10))).toBeLessThan(0.6 * mean(results.slice(0, 10)));
    expect(Object.keys(results[0]!.gradNorms!).sort()).toEqual(['bn_1.beta', 'bn_1.gamma', 'dense_1.weight', 'dense_2.bias', 'dense_2.weight']);
    const test = circleBatch(random, 200, 0);
    const evaluation = await trainer.evaluate({ x: test.x, y: test.y, count: 200, sampleShape: [2], numClasses: 2 }, 64);
    expect(evaluation.count).toBe(200);
    expect(evaluation.accuracy).toBeGreaterThan(0.8);
  });

  it('stops when onStep returns false', async () => {
    const trainer = await createReferenceBackend().compile(model, recipe, options(initialState(1)));
    const random = seededRandom(3);
    let seen = 0;
    await trainer.train(
      Array.from({ length: 5 }, (_, step) => circleBatch(random, 4, step)),
      { onStep: () => ++seen < 2 },
    );
    expect(seen).toBe(2);
  });

  it('state() holds parameters, running statistics and Adam slots; load() restores them exactly', async () => {
    const backend = createReferenceBackend();
    const a = await backend.compile(model, recipe, options(initialState(1)));
    const random = seededRandom(4);
    await a.train([circleBatch(random, 8, 0), circleBatch(random, 8, 1)], { onStep: () => {} });
    const saved = await a.state();
    expect(Object.keys(saved)).toContain('dense_1.weight.m');
    expect(Object.keys(saved)).toContain('bn_1.running_var');
    expect(saved['bn_1.running_var']!.data[0]).not.toBe(1);
    const b = await backend.compile(model, recipe, options(initialState(9)));
    await b.load(saved);
    expect(await b.state()).toEqual(saved);
    // Both continue identically from the same state.
    const next = circleBatch(random, 8, 2);
    await a.train([next], { onStep: () => {} });
    await b.train([next], { onStep: () => {} });
    // Not bit for bit: state() rounds the float64 internals to float32, which is what b resumed from.
    const [sa, sb] = [await a.state(), await b.state()];
    for (const name of Object.keys(sa)) expect(relativeError(sb[name]!.data, sa[name]!.data), name).toBeLessThan(1e-5);
  });

  it('evaluate() and activations() use the running statistics', async () => {
    const initial = initialState(5);
    initial['bn_1.running_mean'] = { shape: [8], data: new Float32Array(8).fill(100) };
    const trainer = await createReferenceBackend().compile(model, recipe, options(initial));
    const x = Float32Array.of(0.1, 0.2, -0.3, 0.4);
    const [bnOut, relu] = await trainer.activations(x, 2, [{ layer: 'bn_1' }, { layer: 'relu_1' }]);
    expect(bnOut!.length).toBe(16);
    expect(Math.max(...bnOut!)).toBeLessThan(-90); // (x·W - 100) / sqrt(1 + eps), gamma 1, beta from the state
    expect([...relu!].every((v) => v === 0)).toBe(true);
  });

  it('user errors are BnxErrors that say what is wrong', async () => {
    const backend = createReferenceBackend();
    const missing = initialState(1);
    delete missing['dense_2.bias'];
    const e1 = await rejection(backend.compile(model, recipe, options(missing)));
    expect(isBnxError(e1) && e1.message).toContain("missing entry 'dense_2.bias'");
    const e2 = await rejection(backend.compile(model, recipe, { ...options(initialState(1)), numClasses: 3 }));
    expect(isBnxError(e2) && e2.message).toContain('3 classes');
    const e3 = await rejection(backend.compile(model, recipe, { ...options(initialState(1)), device: 'cuda' }));
    expect(isBnxError(e3)).toBe(true);
    const trainer = await backend.compile(model, recipe, options(initialState(1)));
    const e4 = await rejection(trainer.activations(new Float32Array(2), 1, [{ layer: 'nope' }]));
    expect(isBnxError(e4) && e4.message).toContain("no layer 'nope'");
    const e5 = await rejection(trainer.train([circleBatch(seededRandom(1), 1, 0)], { onStep: () => {} }));
    expect(isBnxError(e5) && e5.message).toContain("batchnorm layer 'bn_1'");
    const e6 = await rejection(trainer.load({ ...(await trainer.state()), 'dense_9.weight': { shape: [1], data: new Float32Array(1) } }));
    expect(isBnxError(e6) && e6.message).toContain("unknown entry 'dense_9.weight'");
  });
});
