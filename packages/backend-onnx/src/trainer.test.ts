import { describe, expect, it } from 'vitest';
import { ReferenceTrainer } from '@bnx/core/reference';
import type { CompileOptions, StepResult } from '@bnx/core';
import type { Layer, Optimizer } from '@bnx/ir';
import { onnxBackend } from './backend.js';
import { maxRelativeError, model, randomBatches, randomState, recipe } from './testing/fixtures.js';

const bn = (name: string, runningVar: 'unbiased' | 'biased' = 'unbiased', affine = true): Layer => ({
  name,
  op: 'batchnorm',
  momentum: 0.1,
  epsilon: 1e-5,
  runningVar,
  affine,
});
const dense = (name: string, units: number, bias = true): Layer => ({ name, op: 'dense', units, init: null, bias });

const mlpBn = model(
  'mlp_bn',
  [12],
  [
    dense('dense_1', 16, false),
    bn('bn_1'),
    { name: 'relu_1', op: 'relu' },
    dense('dense_2', 8),
    { name: 'tanh_1', op: 'tanh' },
    { name: 'dropout_1', op: 'dropout', rate: 0.25 },
    dense('dense_3', 4),
  ],
);
const cnn = model(
  'cnn',
  [6, 6],
  [
    { name: 'conv_1', op: 'conv2d', filters: 3, kernel: [3, 3], stride: [1, 1], padding: 'same', init: null, bias: false },
    bn('bn_1', 'biased'),
    { name: 'leaky_1', op: 'leaky_relu', alpha: 0.1 },
    { name: 'pool_1', op: 'maxpool', size: [2, 2], stride: [2, 2] },
    { name: 'conv_2', op: 'conv2d', filters: 4, kernel: [2, 2], stride: [2, 2], padding: 'valid', init: null, bias: true },
    { name: 'elu_1', op: 'elu', alpha: 1 },
    { name: 'flatten_1', op: 'flatten' },
    dense('dense_1', 5),
    { name: 'sigmoid_1', op: 'sigmoid' },
    dense('dense_2', 3),
  ],
);
const cnnStrided = model(
  'cnn_strided',
  [2, 7, 7],
  [
    // No bias before BN: its true gradient is 0, and RMSprop's g/sqrt(E[g²]) would amplify float32 rounding noise to ±1.
    { name: 'conv_1', op: 'conv2d', filters: 3, kernel: [3, 3], stride: [2, 2], padding: 'same', init: null, bias: false },
    bn('bn_1', 'unbiased', false),
    { name: 'relu_1', op: 'relu' },
    { name: 'pool_1', op: 'avgpool', size: [2, 2], stride: [1, 1] },
    { name: 'flatten_1', op: 'flatten' },
    dense('dense_1', 3),
    { name: 'softmax_1', op: 'softmax' },
  ],
);

const optimizers: Optimizer[] = [
  { kind: 'sgd', lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-3 },
  { kind: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 1e-3 },
  { kind: 'rmsprop', lr: 0.01, rho: 0.9, momentum: 0.5, epsilon: 1e-8 },
];

describe('onnx trainer against the float64 reference', () => {
  const cases = [
    { m: mlpBn, sample: 12, classes: 4, dropout: [{ layer: 'dropout_1', sampleSize: 8, rate: 0.25 }] },
    { m: cnn, sample: 36, classes: 3, dropout: [] },
    { m: cnnStrided, sample: 98, classes: 3, dropout: [] },
  ];
  for (const c of cases)
    for (const opt of optimizers)
      for (const loss of ['cross_entropy', 'mse'] as const) {
        it(`${c.m.name}, ${opt.kind}, ${loss}: same state and losses after 5 steps`, async () => {
          const r = recipe(opt, loss);
          const options: CompileOptions = {
            device: 'cpu',
            numClasses: c.classes,
            initialState: randomState(c.m, 7),
            gradNorms: true,
            maxBatch: 8,
          };
          const batches = randomBatches(3, { sampleSize: c.sample, classes: c.classes, size: 8, steps: 5, lr: opt.lr, dropout: c.dropout });
          const onnx = await onnxBackend.compile(c.m, r, options);
          const ref = new ReferenceTrainer(c.m, r, options);
          const got: StepResult[] = [];
          const want: StepResult[] = [];
          await onnx.train(batches, { onStep: (s) => void got.push(s) });
          await ref.train(batches, { onStep: (s) => void want.push(s) });
          expect(got.map((s) => s.correct)).toEqual(want.map((s) => s.correct));
          for (let i = 0; i < want.length; i++) {
            expect(got[i]!.loss).toBeCloseTo(want[i]!.loss, 4);
            for (const [name, norm] of Object.entries(want[i]!.gradNorms ?? {}))
              expect(Math.abs(got[i]!.gradNorms![name]! - norm) / (norm + 1e-4)).toBeLessThan(1e-3);
          }
          const diff = maxRelativeError(await onnx.state(), await ref.state());
          expect(diff.error, diff.where).toBeLessThan(2e-3);
          await onnx.dispose();
        });
      }
});

describe('onnx trainer, batches of another size than the one it was compiled for', () => {
  it('trains a last partial batch and a smaller compiled batch like the reference (the step graph is built for maxBatch)', async () => {
    const opt = optimizers[0]!;
    const r = recipe(opt, 'cross_entropy');
    const options: CompileOptions = { device: 'cpu', numClasses: 4, initialState: randomState(mlpBn, 7), gradNorms: false, maxBatch: 8 };
    const dropout = [{ layer: 'dropout_1', sampleSize: 8, rate: 0.25 }];
    const full = randomBatches(3, { sampleSize: 12, classes: 4, size: 8, steps: 3, lr: opt.lr, dropout });
    const partial = randomBatches(4, { sampleSize: 12, classes: 4, size: 5, steps: 2, lr: opt.lr, dropout });
    // 8, 5, 8, 5, 8: the any-size graph and the one built for 8 hand the state to each other.
    const batches = [full[0]!, partial[0]!, full[1]!, partial[1]!, full[2]!].map((b, step) => ({ ...b, step }));
    const onnx = await onnxBackend.compile(mlpBn, r, options);
    const ref = new ReferenceTrainer(mlpBn, r, options);
    const got: number[] = [];
    const want: number[] = [];
    await onnx.train(batches, { onStep: (s) => void got.push(s.loss) });
    await ref.train(batches, { onStep: (s) => void want.push(s.loss) });
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 4);
    const diff = maxRelativeError(await onnx.state(), await ref.state());
    expect(diff.error, diff.where).toBeLessThan(2e-3);
    await onnx.dispose();
  });
});
