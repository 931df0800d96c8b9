import { describe, expect, it } from 'vitest';
import { resolveProbeLayer } from './probes.js';
import type { Probe } from './types.js';
import { act, bn, dense, model } from './testing/ir.js';

type Activations = Extract<Probe, { kind: 'activations' }>;
const probe = (layer: string, point: Activations['point']): Activations => ({ kind: 'activations', layer, point, percentiles: [50] });

// ioffe-2015-fig1.bnx: three sigmoid layers, the baseline and its twin with BN before each activation.
const baseline = model(
  'ioffe',
  [784],
  [
    dense('dense_1', 100),
    act('sigmoid', 'sigmoid_1'),
    dense('dense_2', 100),
    act('sigmoid', 'sigmoid_2'),
    dense('dense_3', 100),
    act('sigmoid', 'sigmoid_3'),
    dense('dense_4', 10),
  ],
);
const before = model(
  'ioffe',
  [784],
  [
    dense('dense_1', 100),
    bn('batchnorm_1'),
    act('sigmoid', 'sigmoid_1'),
    dense('dense_2', 100),
    bn('batchnorm_2'),
    act('sigmoid', 'sigmoid_2'),
    dense('dense_3', 100),
    bn('batchnorm_3'),
    act('sigmoid', 'sigmoid_3'),
    dense('dense_4', 10),
  ],
);
const after = model('ioffe', [784], [dense('dense_1', 100), act('sigmoid', 'sigmoid_1'), bn('batchnorm_1'), dense('dense_2', 10)]);

describe('resolveProbeLayer', () => {
  it('last_hidden pre_activation is the sigmoid input: the dense output, or the BN output when BN comes first', () => {
    expect(resolveProbeLayer(baseline, probe('last_hidden', 'pre_activation'))).toBe('dense_3');
    expect(resolveProbeLayer(before, probe('last_hidden', 'pre_activation'))).toBe('batchnorm_3');
    expect(resolveProbeLayer(after, probe('last_hidden', 'pre_activation'))).toBe('dense_1');
  });

  it('post_activation is the activation output', () => {
    expect(resolveProbeLayer(baseline, probe('last_hidden', 'post_activation'))).toBe('sigmoid_3');
    expect(resolveProbeLayer(before, probe('dense_2', 'post_activation'))).toBe('sigmoid_2');
    expect(resolveProbeLayer(before, probe('sigmoid_1', 'pre_activation'))).toBe('batchnorm_1');
    expect(resolveProbeLayer(before, probe('batchnorm_2', 'post_activation'))).toBe('batchnorm_2');
  });

  it('explains what cannot be probed', () => {
    expect(() => resolveProbeLayer(model('m', [4], [dense('dense_1', 2)]), probe('last_hidden', 'pre_activation'))).toThrow(/no hidden dense/);
    expect(() => resolveProbeLayer(baseline, probe('dense_33', 'pre_activation'))).toThrow(/did you mean 'dense_3'/);
    expect(() => resolveProbeLayer(baseline, probe('dense_4', 'post_activation'))).toThrow(/not followed by an activation/);
  });
});
