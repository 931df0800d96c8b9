// Test fixtures: small IR models built by hand, seeded initial states and batches. The initial values come
// from a tiny local PRNG so these tests do not depend on how @bnx/core draws its initializers.
import type { Layer, ModelIR, Optimizer, TrainIR } from '@bnx/ir';
import type { CompileOptions, NamedArrays, TrainBatch } from '@bnx/core';
import { planNetwork, stateSpecs } from '@bnx/core/reference';
import { seededRandom as rng } from '@bnx/test-support';

export { rng };

export function randomArray(n: number, random: () => number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (random() * 2 - 1) * scale;
  return out;
}

export function model(name: string, input: number[], layers: Layer[]): ModelIR {
  return { name, input, layers };
}

export const dense = (name: string, units: number, bias = true): Layer => ({ op: 'dense', name, units, init: null, bias });
export const conv = (name: string, filters: number, kernel: number, stride = 1, padding: 'same' | 'valid' = 'same', bias = true): Layer => ({
  op: 'conv2d',
  name,
  filters,
  kernel: [kernel, kernel],
  stride: [stride, stride],
  padding,
  init: null,
  bias,
});
export const bn = (name: string, runningVar: 'unbiased' | 'biased' = 'unbiased', affine = true, momentum = 0.1): Layer => ({
  op: 'batchnorm',
  name,
  momentum,
  epsilon: 1e-5,
  runningVar,
  affine,
});

export function recipe(optimizer: Optimizer, loss: 'cross_entropy' | 'mse' = 'cross_entropy'): TrainIR {
  return { name: 'test', optimizer, loss, epochs: 1, batch: 8, schedule: { kind: 'constant' }, initScale: 1 };
}

export const sgd = (lr = 0.1, momentum = 0, nesterov = false, weightDecay = 0): Optimizer => ({ kind: 'sgd', lr, momentum, nesterov, weightDecay });
export const adam = (lr = 0.01, weightDecay = 0): Optimizer => ({ kind: 'adam', lr, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay });
export const rmsprop = (lr = 0.01, momentum = 0): Optimizer => ({ kind: 'rmsprop', lr, rho: 0.99, momentum, epsilon: 1e-8 });

/** Every parameter and buffer the reference expects: random weights and biases, BN gamma/beta near 1/0. */
export function initialStateFor(m: ModelIR, r: TrainIR, seed: number): NamedArrays {
  const random = rng(seed);
  const state: NamedArrays = {};
  for (const spec of stateSpecs(planNetwork(m), r.optimizer)) {
    if (spec.kind === 'slot') continue;
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const role = spec.name.slice(spec.name.lastIndexOf('.') + 1);
    let data: Float32Array;
    if (role === 'running_var') data = Float32Array.from({ length: n }, () => 0.5 + random());
    else if (role === 'gamma') data = Float32Array.from({ length: n }, () => 1 + 0.2 * (random() - 0.5));
    else {
      const fanIn = spec.shape.length > 1 ? spec.shape.slice(1).reduce((a, b) => a * b, 1) : 1;
      const fan = role === 'weight' && spec.shape.length === 2 ? spec.shape[0]! : fanIn;
      data = randomArray(n, random, role === 'weight' ? Math.sqrt(3 / fan) : 0.1);
    }
    state[spec.name] = { shape: [...spec.shape], data };
  }
  return state;
}

export function options(numClasses: number, initialState: NamedArrays, maxBatch = 64, gradNorms = false, engine?: string): CompileOptions {
  const o: CompileOptions = { device: 'cpu', numClasses, initialState, gradNorms, maxBatch };
  if (engine !== undefined) o.engine = engine;
  return o;
}

export function batches(
  count: number,
  size: number,
  sampleSize: number,
  numClasses: number,
  seed: number,
  lr: number,
  masks: (step: number) => Record<string, Float32Array> = () => ({}),
): TrainBatch[] {
  const random = rng(seed);
  const out: TrainBatch[] = [];
  for (let step = 0; step < count; step++) {
    const y = new Int32Array(size);
    for (let i = 0; i < size; i++) y[i] = Math.floor(random() * numClasses);
    out.push({ x: randomArray(size * sampleSize, random), y, size, step, lr, dropoutMasks: masks(step) });
  }
  return out;
}
