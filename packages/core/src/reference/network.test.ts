// The whole network's backward pass (every layer kind chained, batch normalization in training mode) against
// central differences of the loss with respect to every trainable parameter.
import { describe, expect, it } from 'vitest';
import type { Layer, ModelIR } from '@bnx/ir';
import { planNetwork } from './plan.js';
import { lossAndGradients } from './step.js';
import { numericGradient, randomArray, relativeError, seededRandom } from './testing/gradient-check.js';

const conv = (name: string, filters: number, padding: 'same' | 'valid', stride: number, bias = true): Layer => ({
  op: 'conv2d',
  name,
  filters,
  kernel: [3, 2],
  stride: [stride, stride],
  padding,
  init: null,
  bias,
});
const bn = (name: string, affine: boolean): Layer => ({ op: 'batchnorm', name, momentum: 0.1, epsilon: 1e-3, runningVar: 'unbiased', affine });

const model: ModelIR = {
  name: 'everything',
  input: [2, 6, 5],
  layers: [
    conv('conv_1', 3, 'same', 1, false),
    bn('bn_1', true),
    { op: 'elu', name: 'elu_1', alpha: 1 },
    { op: 'maxpool', name: 'pool_1', size: [2, 2], stride: [2, 2] },
    conv('conv_2', 2, 'same', 2),
    { op: 'leaky_relu', name: 'lrelu_1', alpha: 0.1 },
    { op: 'avgpool', name: 'pool_2', size: [1, 1], stride: [1, 1] },
    { op: 'flatten', name: 'flatten_1' },
    { op: 'dense', name: 'dense_1', units: 5, init: null, bias: true },
    bn('bn_2', false),
    { op: 'tanh', name: 'tanh_1' },
    { op: 'dropout', name: 'drop_1', rate: 0.5 },
    { op: 'dense', name: 'dense_2', units: 4, init: null, bias: true },
    { op: 'sigmoid', name: 'sigmoid_1' },
    { op: 'softmax', name: 'softmax_1' },
    { op: 'dense', name: 'dense_3', units: 3, init: null, bias: true },
    { op: 'relu', name: 'relu_1' },
  ],
};

describe('network backward', () => {
  for (const loss of ['cross_entropy', 'mse'] as const) {
    it(`gradients of every parameter match central differences of the ${loss} loss`, () => {
      const random = seededRandom(21);
      const net = planNetwork(model);
      const params: Record<string, Float64Array> = {};
      for (const { params: specs } of net.layers) {
        for (const s of specs)
          params[s.name] = randomArray(
            random,
            s.shape.reduce((a, b) => a * b, 1),
            0.8,
          );
      }
      const batch = 3;
      const x = randomArray(random, batch * net.inputSize);
      const mask = Float32Array.from({ length: batch * 5 }, () => (random() < 0.5 ? 0 : 2));
      const y = Int32Array.of(0, 2, 1);
      const input = { x, y, size: batch, dropoutMasks: { drop_1: mask } };
      const result = lossAndGradients(net, loss, params, input, 3);
      const f = () => lossAndGradients(net, loss, params, input, 3).loss;
      for (const [name, grad] of Object.entries(result.gradients)) {
        const numeric = numericGradient(params[name]!, f);
        if (name === 'dense_1.bias') {
          // A bias right before batch normalization cannot change the loss: the batch mean removes it.
          expect(Math.max(...grad.map(Math.abs)), name).toBeLessThan(1e-12);
          expect(Math.max(...numeric.map(Math.abs)), name).toBeLessThan(1e-8);
          continue;
        }
        expect(relativeError(grad, numeric), name).toBeLessThan(1e-5);
      }
      expect(Object.keys(result.gradients).sort()).toEqual(
        [
          'conv_1.weight',
          'bn_1.gamma',
          'bn_1.beta',
          'conv_2.weight',
          'conv_2.bias',
          'dense_1.weight',
          'dense_1.bias',
          'dense_2.weight',
          'dense_2.bias',
          'dense_3.weight',
          'dense_3.bias',
        ].sort(),
      );
    });
  }

  it('input (H, W) is read as one channel', () => {
    const net = planNetwork({ name: 'm', input: [4, 4], layers: [conv('c', 2, 'valid', 1), { op: 'flatten', name: 'f' }] });
    expect(net.layers[0]!.inShape).toEqual([1, 4, 4]);
    expect(net.layers[0]!.params[0]!.shape).toEqual([2, 1, 3, 2]);
    expect(net.outputSize).toBe(2 * 2 * 3);
  });
});
