import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { ReferenceTrainer } from '@bnx/core/reference';
import type { NamedArrays } from '@bnx/core';
import type { Layer, ModelIR } from '@bnx/ir';
import { onnx } from './onnx-schema.js';
import { exportInferenceModel } from './export-model.js';
import { foldBatchNorm } from './fold-batchnorm.js';
import { model, prng, randomState, recipe } from './testing/fixtures.js';

const bn = (name: string): Layer => ({ name, op: 'batchnorm', momentum: 0.1, epsilon: 1e-5, runningVar: 'unbiased', affine: true });
const convBn = model(
  'conv_bn',
  [2, 8, 8],
  [
    { name: 'conv_1', op: 'conv2d', filters: 4, kernel: [3, 3], stride: [1, 1], padding: 'same', init: null, bias: false },
    bn('bn_1'),
    { name: 'relu_1', op: 'relu' },
    { name: 'pool_1', op: 'maxpool', size: [2, 2], stride: [2, 2] },
    { name: 'flatten_1', op: 'flatten' },
    { name: 'dense_1', op: 'dense', units: 6, init: null, bias: true },
    bn('bn_2'),
    { name: 'tanh_1', op: 'tanh' },
    // after the activation: nothing to fold into, stays a BatchNormalization node
    bn('bn_3'),
    { name: 'dense_2', op: 'dense', units: 3, init: null, bias: true },
  ],
);

async function logits(bytes: Uint8Array, x: Float32Array, count: number, shape: number[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3 });
  const out = await session.run({ x: new ort.Tensor('float32', x, [count, ...shape]) });
  await session.release();
  return out.logits!.data as Float32Array;
}

function referenceLogits(m: ModelIR, state: NamedArrays, x: Float32Array, count: number): Promise<Float32Array> {
  const trainer = new ReferenceTrainer(m, recipe({ kind: 'sgd', lr: 0.1, momentum: 0, nesterov: false, weightDecay: 0 }), {
    device: 'cpu',
    numClasses: 3,
    initialState: state,
    gradNorms: false,
    maxBatch: count,
  });
  const last = m.layers[m.layers.length - 1]!.name;
  return trainer.activations(x, count, [{ layer: last }]).then((r) => r[0]!);
}

describe('exportInferenceModel', () => {
  const state = randomState(convBn, 11);
  const rand = prng(5);
  const x = Float32Array.from({ length: 5 * 128 }, () => rand() * 2 - 1);

  it('writes a standalone ONNX model whose nodes are named after the IR layers and that matches the reference', async () => {
    const bytes = exportInferenceModel(convBn, state);
    const decoded = onnx.ModelProto.decode(bytes);
    expect(Number(decoded.opsetImport[0]!.version)).toBe(17);
    expect(Number(decoded.irVersion)).toBe(8);
    expect(decoded.graph!.node!.map((n) => n.name)).toContain('conv_1/Conv');
    expect(decoded.graph!.node!.map((n) => n.name)).toContain('bn_1/BatchNormalization');
    expect(decoded.graph!.input!.map((i) => i.name)).toEqual(['x']);
    const got = await logits(bytes, x, 5, [2, 8, 8]);
    const want = await referenceLogits(convBn, state, x, 5);
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 4);
  });

  it('folds batch normalization into the preceding dense/conv layer without changing the outputs', async () => {
    const folded = exportInferenceModel(convBn, state, { foldBatchNorm: true });
    const ops = onnx.ModelProto.decode(folded).graph!.node!.map((n) => n.opType);
    expect(ops.filter((op) => op === 'BatchNormalization')).toHaveLength(1); // bn_3 follows tanh
    const a = await logits(exportInferenceModel(convBn, state), x, 5, [2, 8, 8]);
    const b = await logits(folded, x, 5, [2, 8, 8]);
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i]!, 5);
    const { model: foldedModel } = foldBatchNorm(convBn, state);
    expect(foldedModel.layers.map((l) => l.name)).toEqual(convBn.layers.map((l) => l.name).filter((n) => n !== 'bn_1' && n !== 'bn_2'));
  });

  it('without a state takes every parameter as a graph input', () => {
    const decoded = onnx.ModelProto.decode(exportInferenceModel(convBn));
    expect(decoded.graph!.input!.map((i) => i.name)).toContain('bn_1.running_var');
    expect(decoded.graph!.initializer!.map((i) => i.name)).not.toContain('conv_1.weight');
  });

  it('exports layernorm and groupnorm as standard LayerNormalization nodes (opset 17 has no GroupNormalization) that match the reference', async () => {
    const norms = model(
      'norms',
      [2, 8, 8],
      [
        { name: 'conv_1', op: 'conv2d', filters: 4, kernel: [3, 3], stride: [1, 1], padding: 'same', init: null, bias: false },
        { name: 'gn_1', op: 'groupnorm', groups: 2, epsilon: 1e-5, affine: true },
        { name: 'relu_1', op: 'relu' },
        { name: 'ln_1', op: 'layernorm', epsilon: 1e-3, affine: false },
        { name: 'flatten_1', op: 'flatten' },
        { name: 'dense_1', op: 'dense', units: 6, init: null, bias: false },
        { name: 'ln_2', op: 'layernorm', epsilon: 1e-5, affine: true },
        { name: 'dense_2', op: 'dense', units: 3, init: null, bias: true },
      ],
    );
    const normState = randomState(norms, 12);
    const bytes = exportInferenceModel(norms, normState);
    const nodes = onnx.ModelProto.decode(bytes).graph!.node!.map((n) => n.name);
    for (const layer of ['gn_1', 'ln_1', 'ln_2']) expect(nodes).toContain(`${layer}/LayerNormalization`);
    const got = await logits(bytes, x, 5, [2, 8, 8]);
    const want = await referenceLogits(norms, normState, x, 5);
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 4);
  });

  it('says which entry is missing from the state', () => {
    const partial = { ...state };
    delete partial['dense_1.bias'];
    expect(() => exportInferenceModel(convBn, partial)).toThrow(/state has no 'dense_1.bias'/);
  });
});
