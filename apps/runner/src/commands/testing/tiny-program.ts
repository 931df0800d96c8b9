// The IR of __fixtures__/tiny-blobs.bnx, written out by hand so the run command's tests exercise planning,
// training and reporting without depending on the parser.
import type { DenseLayer, Layer, ProgramIR } from '@bnx/ir';

const dense = (name: string, units: number, bias = true): DenseLayer => ({ name, op: 'dense', units, init: null, bias });

export function tinyProgram(file = '/tmp/tiny-blobs.bnx'): ProgramIR {
  const baseline: Layer[] = [dense('dense_1', 16), { name: 'relu_1', op: 'relu' }, dense('dense_2', 3)];
  const normalized: Layer[] = [
    dense('dense_1', 16, false),
    { name: 'bn_1', op: 'batchnorm', momentum: 0.1, epsilon: 1e-5, runningVar: 'unbiased', affine: true },
    { name: 'relu_1', op: 'relu' },
    dense('dense_2', 3),
  ];
  return {
    file,
    datasets: [
      { name: 'blobs', source: { kind: 'synthetic', shape: 'blobs', samples: 600, features: 8, classes: 3 }, validation: { count: 120 }, preprocess: [] },
    ],
    models: [{ name: 'small', input: [8], layers: baseline }],
    trains: [
      {
        name: 'quick',
        optimizer: { kind: 'sgd', lr: 0.1, momentum: 0.9, nesterov: false, weightDecay: 0 },
        loss: 'cross_entropy',
        epochs: 2,
        batch: 32,
        schedule: { kind: 'constant' },
        evalEvery: 5,
        initScale: 1,
      },
    ],
    experiments: [
      {
        name: 'tiny',
        data: 'blobs',
        train: 'quick',
        variants: [
          { name: 'baseline', base: 'small', model: { name: 'small', input: [8], layers: baseline } },
          {
            name: 'batchnorm',
            base: 'small',
            transform: {
              op: 'batchnorm',
              placement: 'before_activation',
              input: false,
              keepBias: false,
              momentum: 0.1,
              epsilon: 1e-5,
              runningVar: 'unbiased',
              affine: true,
            },
            model: { name: 'small', input: [8], layers: normalized },
          },
        ],
        seeds: [1, 2],
        sweeps: [{ key: 'batch', values: [16, 32] }],
        probes: [{ kind: 'activations', layer: 'last_hidden', point: 'pre_activation', percentiles: [15, 50, 85] }, { kind: 'grad_norm' }],
        target: { metric: 'val_accuracy', op: '>=', value: 0.9 },
      },
    ],
  };
}
