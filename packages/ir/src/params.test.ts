import { describe, expect, it } from 'vitest';
import { isBnxError } from './errors.js';
import { flopsPerSample } from './flops.js';
import { paramCount, paramSpecs } from './params.js';
import type { Layer } from './types.js';
import { act, bn, conv, dense, flatten, model } from './testing/ir.js';

const mlp300 = () => model('mlp', [784], [dense('dense_1', 300), act('relu', 'relu_1'), dense('dense_2', 100), act('relu', 'relu_2'), dense('dense_3', 10)]);

describe('paramSpecs and paramCount', () => {
  it('names, shapes and counts the 784-300-100-10 MLP', () => {
    const specs = paramSpecs(mlp300());
    expect(specs.map((s) => `${s.name} ${s.shape.join('x')}`)).toEqual([
      'dense_1.weight 784x300',
      'dense_1.bias 300',
      'dense_2.weight 300x100',
      'dense_2.bias 100',
      'dense_3.weight 100x10',
      'dense_3.bias 10',
    ]);
    const count = paramCount(mlp300());
    expect(count.total).toBe(784 * 300 + 300 + 300 * 100 + 100 + 100 * 10 + 10);
    expect(count.nonTrainable).toBe(0);
    expect(count.layers.map((l) => l.trainable)).toEqual([235500, 0, 30100, 0, 1010]);
  });

  it('counts batchnorm running statistics as buffers, per channel after conv', () => {
    const m = model('m', [1, 8, 8], [conv('conv2d_1', 4, 3, { bias: false } as Partial<Layer>), bn('batchnorm_1'), flatten(), dense('dense_1', 10)]);
    const specs = paramSpecs(m);
    expect(specs.filter((s) => s.layer === 'batchnorm_1').map((s) => [s.role, s.shape, s.trainable])).toEqual([
      ['gamma', [4], true],
      ['beta', [4], true],
      ['running_mean', [4], false],
      ['running_var', [4], false],
    ]);
    const count = paramCount(m);
    expect(count.layers[1]).toMatchObject({ name: 'batchnorm_1', outputShape: [4, 6, 6], trainable: 8, nonTrainable: 8 });
    expect(count.trainable).toBe(4 * 9 + 8 + 144 * 10 + 10);
  });

  it('resolves initializers: the layer, else the recipe, else glorot_uniform; biases zeros unless torch_default', () => {
    const m = model('m', [4], [dense('dense_1', 3, { init: { kind: 'he_normal' } } as Partial<Layer>), bn('batchnorm_1'), dense('dense_2', 2)]);
    const init = (recipe?: Parameters<typeof paramSpecs>[1]) => Object.fromEntries(paramSpecs(m, recipe).map((s) => [s.name, s.init.kind]));
    expect(init()).toEqual({
      'dense_1.weight': 'he_normal',
      'dense_1.bias': 'zeros',
      'batchnorm_1.gamma': 'ones',
      'batchnorm_1.beta': 'zeros',
      'batchnorm_1.running_mean': 'zeros',
      'batchnorm_1.running_var': 'ones',
      'dense_2.weight': 'glorot_uniform',
      'dense_2.bias': 'zeros',
    });
    const torch = init({ init: { kind: 'torch_default' } });
    expect([torch['dense_1.weight'], torch['dense_2.weight'], torch['dense_2.bias']]).toEqual(['he_normal', 'torch_default', 'torch_default']);
  });

  it('refuses a model that does not check, with a BnxError', () => {
    try {
      paramSpecs(model('m', [1, 28, 28], [dense('dense_1', 10)]));
      expect.unreachable();
    } catch (err) {
      expect(isBnxError(err)).toBe(true);
      expect((err as Error).message).toContain('dense needs a 1-D input');
    }
  });
});

describe('flopsPerSample', () => {
  it('gives about 1.6 MFLOP per training sample for the 784-300-100-10 MLP (docs/runtime-traps.md)', () => {
    const flops = flopsPerSample(mlp300());
    expect(flops.forward).toBe(2 * (784 * 300 + 300 * 100 + 100 * 10));
    expect(flops.training).toBeCloseTo(1.6e6, -5);
  });

  it('counts convolution multiply-adds per output element', () => {
    const m = model('m', [3, 8, 8], [conv('c', 4, 3, { padding: 'same' } as Partial<Layer>)]);
    expect(flopsPerSample(m).forward).toBe(2 * 4 * 8 * 8 * 3 * 3 * 3);
  });
});
