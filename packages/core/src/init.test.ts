import { describe, expect, it } from 'vitest';
import type { Initializer, ModelIR } from '@bnx/ir';
import { initialState } from './init.js';
import { sgdRecipe } from './testing/tiny-data.js';

const maxAbs = (a: Float32Array) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

const bnMlp: ModelIR = {
  name: 'bn_mlp',
  input: [1, 28, 28],
  layers: [
    { op: 'flatten', name: 'flatten_1' },
    { op: 'dense', name: 'dense_1', units: 100, init: null, bias: false },
    { op: 'batchnorm', name: 'bn_1', momentum: 0.1, epsilon: 1e-5, runningVar: 'unbiased', affine: true },
    { op: 'relu', name: 'relu_1' },
    { op: 'dense', name: 'dense_2', units: 10, init: null, bias: true },
  ],
};

const conv = (init: Initializer | null): ModelIR => ({
  name: 'cnn',
  input: [3, 16, 16],
  layers: [
    { op: 'conv2d', name: 'conv_1', filters: 32, kernel: [3, 3], stride: [1, 1], padding: 'same', init, bias: true },
    { op: 'relu', name: 'relu_1' },
    { op: 'flatten', name: 'flatten_1' },
    { op: 'dense', name: 'dense_1', units: 10, init: null, bias: true },
  ],
});

describe('initialState', () => {
  it('produces every parameter and buffer with the documented layouts and starting values', () => {
    const state = initialState(bnMlp, sgdRecipe(), 1);
    expect(Object.keys(state).sort()).toEqual(
      ['bn_1.beta', 'bn_1.gamma', 'bn_1.running_mean', 'bn_1.running_var', 'dense_1.weight', 'dense_2.bias', 'dense_2.weight'].sort(),
    );
    expect(state['dense_1.weight']!.shape).toEqual([784, 100]);
    expect(state['dense_2.weight']!.shape).toEqual([100, 10]);
    expect([...state['bn_1.gamma']!.data]).toEqual(new Array(100).fill(1));
    expect([...state['bn_1.running_var']!.data]).toEqual(new Array(100).fill(1));
    expect([...state['bn_1.beta']!.data]).toEqual(new Array(100).fill(0));
    expect([...state['bn_1.running_mean']!.data]).toEqual(new Array(100).fill(0));
    expect([...state['dense_2.bias']!.data]).toEqual(new Array(10).fill(0));
    // glorot_uniform by default: U(±sqrt(6 / (784 + 100))).
    const limit = Math.sqrt(6 / 884);
    expect(maxAbs(state['dense_1.weight']!.data)).toBeLessThanOrEqual(limit);
    expect(maxAbs(state['dense_1.weight']!.data)).toBeGreaterThan(0.99 * limit);
  });

  it('scales weights, and only weights, by init_scale', () => {
    const base = initialState(bnMlp, sgdRecipe(), 3);
    const scaled = initialState(bnMlp, sgdRecipe({ initScale: 0.5 }), 3);
    const w = base['dense_1.weight']!.data;
    const ws = scaled['dense_1.weight']!.data;
    for (let i = 0; i < 50; i++) expect(ws[i]).toBe(Math.fround(w[i]! * 0.5));
    expect(scaled['bn_1.gamma']!.data).toEqual(base['bn_1.gamma']!.data);
  });

  it('counts the kernel area in a conv layer fans', () => {
    const state = initialState(conv({ kind: 'he_uniform' }), sgdRecipe(), 1);
    const w = state['conv_1.weight']!;
    expect(w.shape).toEqual([32, 3, 3, 3]);
    const limit = Math.sqrt(6 / 27); // fanIn = 3 * 3 * 3
    expect(maxAbs(w.data)).toBeLessThanOrEqual(limit);
    expect(maxAbs(w.data)).toBeGreaterThan(0.97 * limit);
  });

  it('draws torch_default biases from U(±1/sqrt(fanIn)) like PyTorch', () => {
    const state = initialState(conv({ kind: 'torch_default' }), sgdRecipe(), 1);
    const bound = 1 / Math.sqrt(27);
    expect(maxAbs(state['conv_1.weight']!.data)).toBeLessThanOrEqual(bound);
    const bias = state['conv_1.bias']!.data;
    expect(maxAbs(bias)).toBeLessThanOrEqual(bound);
    expect(bias.some((v) => v !== 0)).toBe(true);
  });

  it('applies the recipe init to layers that name none', () => {
    const state = initialState(bnMlp, sgdRecipe({ init: { kind: 'ones' } }), 1);
    expect(state['dense_2.weight']!.data.every((v) => v === 1)).toBe(true);
  });

  it('is a pure function of the seed, with one independent stream per tensor', () => {
    const a = initialState(bnMlp, sgdRecipe(), 9);
    const b = initialState(bnMlp, sgdRecipe(), 9);
    const same = (x: Float32Array, y: Float32Array) => Buffer.from(x.buffer).equals(Buffer.from(y.buffer));
    for (const name of Object.keys(a)) expect(same(b[name]!.data, a[name]!.data), name).toBe(true);
    expect(same(initialState(bnMlp, sgdRecipe(), 10)['dense_1.weight']!.data, a['dense_1.weight']!.data)).toBe(false);
    // Two tensors of the same size in one model do not share numbers.
    const twin: ModelIR = {
      name: 't',
      input: [5],
      layers: [
        { op: 'dense', name: 'a', units: 5, init: null, bias: false },
        { op: 'dense', name: 'b', units: 5, init: null, bias: false },
      ],
    };
    const s = initialState(twin, sgdRecipe(), 1);
    expect(s['a.weight']!.data).not.toEqual(s['b.weight']!.data);
  });
});
