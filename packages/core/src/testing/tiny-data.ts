// TEST DOUBLE. Small in-memory datasets and run specs for driver tests: Gaussian blobs drawn from the bnx PRNG
// (so they are the same on every machine) and hand-built IR, without the DSL or any file.
import type { DatasetIR, Layer, ModelIR, Probe, RunSpec, TrainIR } from '@bnx/ir';
import type { LoadedDataset, Split } from '@bnx/data';
import { normals } from '@bnx/data';

/** `count` samples of `features` values in `classes` well-separated Gaussian blobs (class i centred at 3*e_i). */
export function blobSplit(count: number, features: number, classes: number, seed: number, purpose: string): Split {
  const z = normals(seed, purpose, count * features);
  const x = new Float32Array(count * features);
  const y = new Int32Array(count);
  for (let s = 0; s < count; s++) {
    const label = s % classes;
    y[s] = label;
    for (let f = 0; f < features; f++) x[s * features + f] = z[s * features + f]! + (f === label % features ? 3 : 0);
  }
  return { x, y, count, sampleShape: [features], numClasses: classes };
}

export function blobDataset(opts: { train: number; validation?: number; test: number; features?: number; classes?: number }): LoadedDataset {
  const features = opts.features ?? 4;
  const classes = opts.classes ?? 3;
  const train = blobSplit(opts.train, features, classes, 100, 'test-data/train');
  const validation = opts.validation ? blobSplit(opts.validation, features, classes, 100, 'test-data/validation') : null;
  const test = blobSplit(opts.test, features, classes, 100, 'test-data/test');
  const counts = (s: Split) => Array.from({ length: classes }, (_, c) => s.y.filter((v) => v === c).length);
  return {
    train,
    validation,
    test,
    meta: {
      name: 'blobs',
      source: 'test blobs',
      droppedRecords: 0,
      notes: [],
      classCounts: { train: counts(train), validation: validation ? counts(validation) : null, test: counts(test) },
    },
  };
}

/** A model from its layers, named `m`, taking vectors of `features`. */
export function vectorModel(features: number, layers: Layer[]): ModelIR {
  return { name: 'm', input: [features], layers };
}

export function sgdRecipe(fields: Partial<TrainIR> = {}): TrainIR {
  return {
    name: 'sgd',
    optimizer: { kind: 'sgd', lr: 0.1, momentum: 0, nesterov: false, weightDecay: 0 },
    loss: 'cross_entropy',
    epochs: 3,
    batch: 32,
    schedule: { kind: 'constant' },
    initScale: 1,
    ...fields,
  };
}

const dataset: DatasetIR = { name: 'blobs', source: { kind: 'synthetic', shape: 'blobs', samples: 0, features: 4, classes: 3 }, preprocess: [] };

export function runSpec(model: ModelIR, train: TrainIR, opts: { seed?: number; probes?: Probe[]; variant?: string } = {}): RunSpec {
  const seed = opts.seed ?? 1;
  const variant = opts.variant ?? 'baseline';
  return {
    id: `${variant}__seed=${seed}`,
    experiment: 'test',
    variant,
    seed,
    params: {},
    dataset,
    model,
    train,
    probes: opts.probes ?? [],
  };
}
