import { describe, expect, it } from 'vitest';
import { BATCHNORM_DEFAULTS, TRANSFORM_DEFAULTS, type BatchNormTransform } from '@bnx/ir';
import { applyNormalization as applyBatchNorm } from './norm-transform.js';
import { nameLayers, type UnnamedLayer } from './model.js';

const dense = (units: number): UnnamedLayer => ({ op: 'dense', units, init: null, bias: true });
const conv = (filters: number): UnnamedLayer => ({ op: 'conv2d', filters, kernel: [3, 3], stride: [1, 1], padding: 'same', init: null, bias: true });
const relu: UnnamedLayer = { op: 'relu' };
const flatten: UnnamedLayer = { op: 'flatten' };
const mlp = [flatten, dense(128), relu, dense(64), relu, dense(10)];

const transform = (overrides: Partial<BatchNormTransform> = {}): BatchNormTransform => ({
  op: 'batchnorm',
  ...TRANSFORM_DEFAULTS,
  ...BATCHNORM_DEFAULTS,
  ...overrides,
});
const summary = (layers: UnnamedLayer[]) => nameLayers(layers).map((l) => (l.op === 'dense' || l.op === 'conv2d' ? `${l.name}${l.bias ? '+b' : ''}` : l.name));

describe('with batchnorm(...)', () => {
  it('puts a batchnorm between every hidden layer and its activation, and drops the bias before it', () => {
    expect(summary(applyBatchNorm(mlp, transform()))).toEqual([
      'flatten_1',
      'dense_1',
      'batchnorm_1',
      'relu_1',
      'dense_2',
      'batchnorm_2',
      'relu_2',
      'dense_3+b',
    ]);
  });

  it('keeps the biases with keep_bias: true', () => {
    expect(summary(applyBatchNorm(mlp, transform({ keepBias: true })))).toEqual([
      'flatten_1',
      'dense_1+b',
      'batchnorm_1',
      'relu_1',
      'dense_2+b',
      'batchnorm_2',
      'relu_2',
      'dense_3+b',
    ]);
  });

  it('after_activation puts it after the activation and keeps the biases', () => {
    expect(summary(applyBatchNorm(mlp, transform({ placement: 'after_activation' })))).toEqual([
      'flatten_1',
      'dense_1+b',
      'relu_1',
      'batchnorm_1',
      'dense_2+b',
      'relu_2',
      'batchnorm_2',
      'dense_3+b',
    ]);
  });

  it('input: true adds one at the input, after a leading flatten', () => {
    expect(summary(applyBatchNorm(mlp, transform({ input: true }))).slice(0, 4)).toEqual(['flatten_1', 'batchnorm_1', 'dense_1', 'batchnorm_2']);
    expect(summary(applyBatchNorm([dense(4), relu, dense(2)], transform({ input: true })))).toEqual([
      'batchnorm_1',
      'dense_1',
      'batchnorm_2',
      'relu_1',
      'dense_2+b',
    ]);
  });

  it('never adds one after the output layer, even when an activation follows it', () => {
    const layers = applyBatchNorm([dense(4), { op: 'sigmoid' }, dense(2), { op: 'softmax' }], transform({ placement: 'after_activation' }));
    expect(summary(layers)).toEqual(['dense_1+b', 'sigmoid_1', 'batchnorm_1', 'dense_2+b', 'softmax_1']);
  });

  it('normalizes convolutions too, with the transform settings on every inserted layer', () => {
    const layers = applyBatchNorm(
      [conv(8), relu, { op: 'maxpool', size: [2, 2], stride: [2, 2] }, flatten, dense(10)],
      transform({ momentum: 0.01, epsilon: 1e-3, runningVar: 'biased', affine: false }),
    );
    expect(summary(layers)).toEqual(['conv2d_1', 'batchnorm_1', 'relu_1', 'maxpool_1', 'flatten_1', 'dense_1+b']);
    expect(layers[1]).toEqual({ op: 'batchnorm', momentum: 0.01, epsilon: 1e-3, runningVar: 'biased', affine: false });
  });

  it('leaves a layer that the model already normalizes alone, and does not change its input', () => {
    const layers = [dense(8), { op: 'batchnorm', momentum: 0.1, epsilon: 1e-5, runningVar: 'unbiased', affine: true } as UnnamedLayer, relu, dense(2)];
    const copy = structuredClone(layers);
    expect(summary(applyBatchNorm(layers, transform()))).toEqual(['dense_1+b', 'batchnorm_1', 'relu_1', 'dense_2+b']);
    expect(layers).toEqual(copy);
  });

  it('leaves a model with a single dense/conv layer unchanged (it is the output layer)', () => {
    expect(summary(applyBatchNorm([flatten, dense(10)], transform()))).toEqual(['flatten_1', 'dense_1+b']);
  });
});
