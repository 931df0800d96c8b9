import { describe, expect, it } from 'vitest';
import { BATCHNORM_DEFAULTS, CONV2D_DEFAULTS, ELU_DEFAULTS, LEAKY_RELU_DEFAULTS } from './defaults.js';
import { LAYER_OPS, OPS, opSpec, windowAxis } from './ops.js';
import type { GroupNormLayer } from './types.js';

const attr = (op: keyof typeof OPS, name: string) => OPS[op].attrs.find((a) => a.name === name);

describe('op catalogue', () => {
  it('describes every op of the language', () => {
    expect([...LAYER_OPS].sort()).toEqual(
      [
        'avgpool',
        'batchnorm',
        'conv2d',
        'dense',
        'dropout',
        'elu',
        'flatten',
        'groupnorm',
        'layernorm',
        'leaky_relu',
        'maxpool',
        'relu',
        'sigmoid',
        'softmax',
        'tanh',
      ].sort(),
    );
    for (const op of LAYER_OPS) expect(OPS[op].op).toBe(op);
    expect(opSpec('conv3d')).toBeUndefined();
    expect(opSpec('toString')).toBeUndefined();
  });

  it('states the documented defaults', () => {
    expect(attr('batchnorm', 'momentum')?.default).toBe(0.1);
    expect(attr('batchnorm', 'epsilon')?.default).toBe(1e-5);
    expect(attr('batchnorm', 'runningVar')?.default).toBe('unbiased');
    expect(attr('batchnorm', 'affine')?.default).toBe(true);
    expect(BATCHNORM_DEFAULTS).toEqual({ momentum: 0.1, epsilon: 1e-5, runningVar: 'unbiased', affine: true });
    expect(LEAKY_RELU_DEFAULTS.alpha).toBe(0.01);
    expect(ELU_DEFAULTS.alpha).toBe(1);
    expect(CONV2D_DEFAULTS).toMatchObject({ stride: [1, 1], padding: 'valid', bias: true });
    expect(attr('maxpool', 'stride')?.defaultFrom).toBe('size');
    expect(attr('dense', 'units')?.positional).toBe(0);
    expect(attr('dropout', 'rate')?.range).toEqual({ min: 0, max: 1, maxExclusive: true });
  });

  it('lays out parameters: dense [in, out], conv OIHW, batchnorm [C]', () => {
    const dense = OPS.dense.paramShapes({ op: 'dense', name: 'd', units: 3, init: null, bias: true }, [5]);
    expect(dense.map((p) => [p.role, p.shape, p.fanIn, p.fanOut])).toEqual([
      ['weight', [5, 3], 5, 3],
      ['bias', [3], 5, 3],
    ]);
    const conv = OPS.conv2d.paramShapes(
      { op: 'conv2d', name: 'c', filters: 8, kernel: [3, 5], stride: [1, 1], padding: 'same', init: null, bias: false },
      [2, 10, 10],
    );
    expect(conv.map((p) => [p.role, p.shape, p.fanIn, p.fanOut])).toEqual([['weight', [8, 2, 3, 5], 30, 120]]);
    const bn = OPS.batchnorm.paramShapes({ op: 'batchnorm', name: 'b', ...BATCHNORM_DEFAULTS }, [4, 7, 7]);
    expect(bn.map((p) => [p.role, p.shape, p.trainable])).toEqual([
      ['gamma', [4], true],
      ['beta', [4], true],
      ['running_mean', [4], false],
      ['running_var', [4], false],
    ]);
    const noAffine = OPS.batchnorm.paramShapes({ op: 'batchnorm', name: 'b', ...BATCHNORM_DEFAULTS, affine: false }, [6]);
    expect(noAffine.map((p) => p.role)).toEqual(['running_mean', 'running_var']);
  });

  it('computes windows like TF/ONNX: same = ceil(in/stride) padded at the end first, valid = floor((in-k)/s)+1', () => {
    expect(windowAxis(28, 3, 1, 'same')).toEqual({ out: 28, padBefore: 1, padAfter: 1 });
    expect(windowAxis(28, 3, 2, 'same')).toEqual({ out: 14, padBefore: 0, padAfter: 1 });
    expect(windowAxis(5, 4, 1, 'same')).toEqual({ out: 5, padBefore: 1, padAfter: 2 });
    expect(windowAxis(7, 2, 3, 'same')).toEqual({ out: 3, padBefore: 0, padAfter: 1 });
    expect(windowAxis(28, 3, 1, 'valid')).toEqual({ out: 26, padBefore: 0, padAfter: 0 });
    expect(windowAxis(28, 5, 2, 'valid').out).toBe(12);
    expect(windowAxis(2, 3, 1, 'valid').out).toBe(0);
  });

  it('layernorm and groupnorm: per-channel gamma and beta, no buffers; groups must divide the channels', () => {
    const ln = OPS.layernorm.paramShapes({ op: 'layernorm', name: 'l', epsilon: 1e-5, affine: true }, [4, 7, 7]);
    expect(ln.map((p) => [p.role, p.shape, p.trainable])).toEqual([
      ['gamma', [4], true],
      ['beta', [4], true],
    ]);
    expect(OPS.layernorm.paramShapes({ op: 'layernorm', name: 'l', epsilon: 1e-5, affine: false }, [10])).toEqual([]);
    const gn = (groups: number): GroupNormLayer => ({ op: 'groupnorm', name: 'g', groups, epsilon: 1e-5, affine: true });
    expect(OPS.groupnorm.outputShape(gn(2), [6, 3, 3])).toEqual({ ok: true, shape: [6, 3, 3] });
    expect(OPS.groupnorm.outputShape(gn(6), [6])).toEqual({ ok: true, shape: [6] });
    expect(OPS.groupnorm.outputShape(gn(4), [6, 3, 3])).toMatchObject({ ok: false, code: 'E1109', field: 'groups' });
    expect(OPS.layernorm.outputShape({ op: 'layernorm', name: 'l', epsilon: 1e-5, affine: true }, [3, 4])).toMatchObject({ ok: false, code: 'E1105' });
    expect(attr('groupnorm', 'groups')?.default).toBeUndefined();
    expect(attr('layernorm', 'epsilon')?.default).toBe(1e-5);
  });
});
