// `synthetic(kind: blobs | spirals, samples:, features:, classes:)`: small seeded datasets for fast tests.
// The data are generated from a constant seed (SYNTHETIC_SEED), not the run's seed: like MNIST's files they
// are part of the dataset, so every run of an experiment sees the same points and the run's seed only moves
// subset/validation/shuffles. Sample i has class i mod classes; 20% form a fixed stratified test split.
//
// - blobs (like scikit-learn's make_blobs): one centre per class drawn uniformly from [-10, 10]^features,
//   samples = centre + N(0, 1) per feature.
// - spirals (two-spirals generalised to `classes` arms): t ~ U(0, 1), radius t, angle
//   2*pi*(class/classes + 2t) (two turns), point (r cos, r sin) + N(0, 0.03^2) noise; any features beyond
//   the first two are N(0, 0.1^2) noise that carries no class information.
import type { DataContext } from './context.js';
import { dataError } from './context.js';
import { normals, uniforms } from './prng.js';
import type { RawDataset } from './raw.js';
import { takeRows } from './raw.js';
import { fixedHoldout } from './split.js';

export const SYNTHETIC_SEED = 0;
export const SYNTHETIC_TEST_FRACTION = 0.2;

export interface SyntheticSpec {
  shape: 'blobs' | 'spirals';
  samples: number;
  features: number;
  classes: number;
}

function checkSpec(ctx: DataContext, spec: SyntheticSpec): void {
  const wholeAtLeast = (name: string, value: number, min: number) => {
    if (!Number.isInteger(value) || value < min) {
      throw dataError(ctx, `synthetic ${name} must be a whole number of at least ${min}, got ${value}`, 'E_DATA_SOURCE');
    }
  };
  wholeAtLeast('samples', spec.samples, 2);
  wholeAtLeast('classes', spec.classes, 2);
  wholeAtLeast('features', spec.features, spec.shape === 'spirals' ? 2 : 1);
  if (spec.samples < 5 * spec.classes) {
    throw dataError(
      ctx,
      `synthetic samples ${spec.samples} is too few for ${spec.classes} classes: need at least ${5 * spec.classes} (5 per class, so the 20% test split has every class)`,
      'E_DATA_SOURCE',
    );
  }
}

/** All samples, before the train/test split. */
export function generateSynthetic(spec: SyntheticSpec): { x: Float32Array; y: Int32Array } {
  const { samples: n, features: f, classes: k } = spec;
  const x = new Float32Array(n * f);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = i % k;
  const noise = normals(SYNTHETIC_SEED, `synthetic/${spec.shape}/noise`, n * f);
  if (spec.shape === 'blobs') {
    const centres = uniforms(SYNTHETIC_SEED, 'synthetic/blobs/centres', k * f);
    for (let i = 0; i < n; i++) {
      const c = y[i]!;
      for (let j = 0; j < f; j++) x[i * f + j] = -10 + 20 * centres[c * f + j]! + noise[i * f + j]!;
    }
  } else {
    const t = uniforms(SYNTHETIC_SEED, 'synthetic/spirals/t', n);
    for (let i = 0; i < n; i++) {
      const angle = 2 * Math.PI * (y[i]! / k + 2 * t[i]!);
      x[i * f] = t[i]! * Math.cos(angle) + 0.03 * noise[i * f]!;
      x[i * f + 1] = t[i]! * Math.sin(angle) + 0.03 * noise[i * f + 1]!;
      for (let j = 2; j < f; j++) x[i * f + j] = 0.1 * noise[i * f + j]!;
    }
  }
  return { x, y };
}

export function loadSynthetic(ctx: DataContext, spec: SyntheticSpec): RawDataset {
  checkSpec(ctx, spec);
  const { x, y } = generateSynthetic(spec);
  const f = spec.features;
  const split = fixedHoldout(y, spec.classes, Math.round(spec.samples * SYNTHETIC_TEST_FRACTION), `synthetic/${spec.shape}`);
  const take = (indices: Uint32Array) => takeRows(x, y, indices, f);
  return {
    train: take(split.train),
    test: take(split.test),
    sampleShape: [f],
    numClasses: spec.classes,
    droppedRecords: 0,
    notes: [
      `synthetic ${spec.shape}: ${spec.samples} samples, ${f} features, ${spec.classes} classes (data seed ${SYNTHETIC_SEED}), fixed stratified 20% test split`,
    ],
  };
}
