// Small models, recipes, seeded initial states and batches for the backend's own tests (not built to dist).
import type { NamedArrays, TrainBatch } from '@bnx/core';
import type { Layer, ModelIR, Optimizer, TrainIR } from '@bnx/ir';
import { paramSpecs } from '@bnx/ir';
import { seededRandom as prng } from '@bnx/test-support';

export { prng };

export function model(name: string, input: number[], layers: Layer[]): ModelIR {
  return { name, input, layers };
}

export function recipe(optimizer: Optimizer, loss: TrainIR['loss'] = 'cross_entropy', batch = 8): TrainIR {
  return { name: 'test', optimizer, loss, steps: 20, batch, schedule: { kind: 'constant' }, initScale: 1 };
}

/** Random weights (uniform ±1/sqrt(fan-in)), random BN affine and running statistics. */
export function randomState(m: ModelIR, seed: number): NamedArrays {
  const rand = prng(seed);
  const state: NamedArrays = {};
  for (const spec of paramSpecs(m)) {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const fanIn = spec.role === 'weight' ? n / spec.shape[spec.shape.length === 2 ? 1 : 0]! : 1;
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const u = rand() * 2 - 1;
      data[i] = spec.role === 'weight' ? u / Math.sqrt(fanIn) : spec.role === 'gamma' || spec.role === 'running_var' ? 1 + 0.2 * u : 0.1 * u;
    }
    state[spec.name] = { shape: [...spec.shape], data };
  }
  return state;
}

export interface BatchOptions {
  sampleSize: number;
  classes: number;
  size: number;
  steps: number;
  lr: number;
  /** Dropout layers and their per-sample mask size and rate. */
  dropout?: { layer: string; sampleSize: number; rate: number }[];
}

export function randomBatches(seed: number, o: BatchOptions): TrainBatch[] {
  const rand = prng(seed);
  return Array.from({ length: o.steps }, (_, step) => {
    const x = Float32Array.from({ length: o.size * o.sampleSize }, () => rand() * 2 - 1);
    const y = Int32Array.from({ length: o.size }, () => Math.floor(rand() * o.classes));
    const dropoutMasks: Record<string, Float32Array> = {};
    for (const d of o.dropout ?? [])
      dropoutMasks[d.layer] = Float32Array.from({ length: o.size * d.sampleSize }, () => (rand() < d.rate ? 0 : 1 / (1 - d.rate)));
    return { x, y, size: o.size, step, lr: o.lr, dropoutMasks };
  });
}

/** Largest |a-b| / (|b| + atol) over two states' shared entries, with the entry it occurs in. */
export function maxRelativeError(a: NamedArrays, b: NamedArrays, atol = 1e-4): { error: number; where: string } {
  let worst = { error: 0, where: '' };
  for (const [name, ref] of Object.entries(b)) {
    const got = a[name];
    if (!got) return { error: Infinity, where: `${name} missing` };
    for (let i = 0; i < ref.data.length; i++) {
      const e = Math.abs(got.data[i]! - ref.data[i]!) / (Math.abs(ref.data[i]!) + atol);
      if (!(e <= worst.error)) worst = { error: e, where: `${name}[${i}]: ${got.data[i]} vs ${ref.data[i]}` };
    }
  }
  return worst;
}
