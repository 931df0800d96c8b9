import { describe, expect, it } from 'vitest';
import { canonicalInput, inferShapes, outputShape } from './shapes.js';
import type { Layer } from './types.js';
import { act, bn, conv, dense, flatten, maxpool, model } from './testing/ir.js';

/** seed-cnn.bnx's model. */
const cnn = () =>
  model(
    'cnn',
    [1, 28, 28],
    [
      conv('conv2d_1', 32, 3, { padding: 'same' } as Partial<Layer>),
      act('relu', 'relu_1'),
      maxpool('maxpool_1', 2),
      conv('conv2d_2', 64, 3, { padding: 'same' } as Partial<Layer>),
      act('relu', 'relu_2'),
      maxpool('maxpool_2', 2),
      flatten(),
      dense('dense_1', 128),
      act('relu', 'relu_3'),
      dense('dense_2', 10),
    ],
  );

describe('inferShapes', () => {
  it('follows a CNN through same convolutions, pools and flatten', () => {
    const { input, outputs, diagnostics } = inferShapes(cnn());
    expect(diagnostics).toEqual([]);
    expect(input).toEqual([1, 28, 28]);
    expect(outputs).toEqual([[32, 28, 28], [32, 28, 28], [32, 14, 14], [64, 14, 14], [64, 14, 14], [64, 7, 7], [3136], [128], [128], [10]]);
  });

  it('treats input(28, 28) as (1, 28, 28), and applies strides and valid padding', () => {
    expect(canonicalInput([28, 28])).toEqual([1, 28, 28]);
    expect(canonicalInput([784])).toEqual([784]);
    expect(canonicalInput([0])).toBeUndefined();
    expect(canonicalInput([1, 2, 3, 4])).toBeUndefined();
    const m = model('m', [28, 28], [conv('c', 4, 5, { stride: [2, 2] } as Partial<Layer>), bn('b'), maxpool('p', 3), flatten()]);
    expect(inferShapes(m).outputs).toEqual([[4, 12, 12], [4, 12, 12], [4, 4, 4], [64]]);
    expect(outputShape(m)).toEqual([64]);
  });

  it('needs a 1-D input for dense and an image for conv2d and pools, and stops at the first misfit', () => {
    const denseOnImage = inferShapes(model('m', [1, 28, 28], [dense('dense_1', 10), act('relu', 'relu_1')]));
    expect(denseOnImage.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['E1103', 'dense needs a 1-D input (features); it gets (1, 28, 28); add flatten before it'],
    ]);
    expect(denseOnImage.outputs).toEqual([]);
    const poolOnFlat = inferShapes(model('m', [784], [maxpool('maxpool_1', 2)]));
    expect(poolOnFlat.diagnostics[0]?.message).toBe('maxpool needs an input of shape (channels, height, width); it gets (784)');
    const tooBig = inferShapes(model('m', [1, 4, 4], [conv('c', 2, 5)]));
    expect(tooBig.diagnostics.map((d) => d.code)).toEqual(['E1104']);
    const softmaxOnImage = inferShapes(model('m', [1, 4, 4], [act('softmax', 's')]));
    expect(softmaxOnImage.diagnostics.map((d) => d.code)).toEqual(['E1106']);
  });

  it('reports a bad input, an empty model, an unknown op and repeated layer names', () => {
    expect(inferShapes(model('m', [28, -1], [flatten()])).diagnostics.map((d) => d.code)).toEqual(['E1101']);
    expect(inferShapes(model('m', [4], [])).diagnostics.map((d) => d.code)).toEqual(['E1107']);
    const unknown = model('m', [4], [{ op: 'conv3d', name: 'x' } as unknown as Layer, dense('dense_1', 2)]);
    expect(inferShapes(unknown).diagnostics.map((d) => d.code)).toEqual(['E1108']);
    expect(inferShapes(model('m', [4], [dense('d', 2), dense('d', 2)])).diagnostics.map((d) => d.code)).toEqual(['E1210']);
  });
});
