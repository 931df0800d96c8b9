// The reference computes shapes and parameter names on its own (it is the oracle, so it shares no code with
// what it checks); this test holds it to the IR's shape inference and parameter catalogue, which the parser,
// the driver's initializers and every backend use.
import { describe, expect, it } from 'vitest';
import { inferShapes, isBnxError, paramSpecs, type Layer, type ModelIR } from '@bnx/ir';
import { planNetwork } from './plan.js';

const conv = (name: string, filters: number, kernel: [number, number], stride: [number, number], padding: 'same' | 'valid', bias = true): Layer => ({
  op: 'conv2d',
  name,
  filters,
  kernel,
  stride,
  padding,
  init: null,
  bias,
});

const models: ModelIR[] = [
  {
    name: 'cnn',
    input: [28, 28],
    layers: [
      conv('conv_1', 4, [3, 3], [1, 1], 'same', false),
      { op: 'batchnorm', name: 'bn_1', momentum: 0.1, epsilon: 1e-5, runningVar: 'unbiased', affine: true },
      { op: 'relu', name: 'relu_1' },
      { op: 'maxpool', name: 'pool_1', size: [2, 2], stride: [2, 2] },
      conv('conv_2', 3, [2, 3], [2, 1], 'same'),
      { op: 'avgpool', name: 'pool_2', size: [3, 3], stride: [2, 2] },
      conv('conv_3', 2, [2, 2], [1, 1], 'valid'),
      { op: 'flatten', name: 'flatten_1' },
      { op: 'dense', name: 'dense_1', units: 7, init: null, bias: true },
      { op: 'batchnorm', name: 'bn_2', momentum: 0.1, epsilon: 1e-5, runningVar: 'biased', affine: false },
      { op: 'dropout', name: 'drop_1', rate: 0.3 },
      { op: 'dense', name: 'dense_2', units: 3, init: null, bias: false },
    ],
  },
  {
    name: 'odd',
    input: [2, 9, 7],
    layers: [conv('conv_1', 3, [4, 3], [3, 2], 'same'), { op: 'maxpool', name: 'pool_1', size: [2, 3], stride: [1, 2] }, { op: 'flatten', name: 'f' }],
  },
  {
    name: 'norms',
    input: [2, 6, 6],
    layers: [
      conv('conv_1', 6, [3, 3], [1, 1], 'same', false),
      { op: 'groupnorm', name: 'gn_1', groups: 3, epsilon: 1e-5, affine: true },
      { op: 'layernorm', name: 'ln_1', epsilon: 1e-5, affine: false },
      { op: 'flatten', name: 'f' },
      { op: 'dense', name: 'dense_1', units: 4, init: null, bias: false },
      { op: 'layernorm', name: 'ln_2', epsilon: 1e-5, affine: true },
    ],
  },
];

describe('planNetwork agrees with @bnx/ir', () => {
  for (const model of models) {
    it(`shapes and parameters of '${model.name}'`, () => {
      const plan = planNetwork(model);
      const ir = inferShapes(model);
      expect(ir.diagnostics).toEqual([]);
      expect(plan.inputShape).toEqual(ir.input);
      expect(plan.layers.map((l) => l.outShape)).toEqual(ir.outputs);
      const mine = plan.layers.flatMap((l) => l.params.map((p) => [p.name, p.shape, p.trainable]));
      const theirs = paramSpecs(model).map((p) => [p.name, p.shape, p.trainable]);
      expect(mine).toEqual(theirs);
    });
  }

  it('a dense layer on an image input is a BnxError naming the layer', () => {
    let caught: unknown;
    try {
      planNetwork({ name: 'm', input: [1, 4, 4], layers: [{ op: 'dense', name: 'dense_7', units: 2, init: null, bias: true }] });
    } catch (err) {
      caught = err;
    }
    expect(isBnxError(caught) && caught.message).toContain("dense layer 'dense_7'");
  });
});
