import { describe, expect, it } from 'vitest';
import { numClassesOf, sampleShapeOf } from './shapes.js';

describe('sampleShapeOf / numClassesOf', () => {
  it('knows the built-in sources without reading files', () => {
    expect(sampleShapeOf({ source: { kind: 'mnist' }, preprocess: [] })).toEqual([1, 28, 28]);
    expect(sampleShapeOf({ source: { kind: 'fashion_mnist' }, preprocess: [{ op: 'scale', factor: 2 }, { op: 'flatten' }] })).toEqual([784]);
    expect(sampleShapeOf({ source: { kind: 'cifar10', dir: '/x' }, preprocess: [{ op: 'flatten' }] })).toEqual([3072]);
    expect(sampleShapeOf({ source: { kind: 'synthetic', shape: 'blobs', samples: 10, features: 7, classes: 3 }, preprocess: [] })).toEqual([7]);
    expect(numClassesOf({ source: { kind: 'synthetic', shape: 'spirals', samples: 10, features: 2, classes: 4 } })).toBe(4);
    expect(numClassesOf({ source: { kind: 'cifar10', dir: '/x' } })).toBe(10);
  });

  it('says null where only the files know', () => {
    expect(sampleShapeOf({ source: { kind: 'csv', file: 'a.csv', label: 'y' }, preprocess: [] })).toBeNull();
    expect(numClassesOf({ source: { kind: 'idx', trainImages: 'a', trainLabels: 'b', testImages: 'c', testLabels: 'd' } })).toBeNull();
  });
});
