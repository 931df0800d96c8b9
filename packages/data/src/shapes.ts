// What can be known about a dataset from its declaration alone, without reading files: the validator checks
// a model's input against it and the runner sizes its logits with it. null means "only after loading"
// (idx and csv sources depend on the files' contents).
import type { DataSource, DatasetIR } from '@bnx/ir';
import { shapeAfter } from './preprocess.js';

function sourceShape(source: DataSource): number[] | null {
  switch (source.kind) {
    case 'mnist':
    case 'fashion_mnist':
      return [1, 28, 28];
    case 'cifar10':
      return [3, 32, 32];
    case 'synthetic':
      return [source.features];
    case 'idx':
    case 'csv':
      return null;
  }
}

/** The sample shape after preprocessing (channels-first), or null when it depends on the files. */
export function sampleShapeOf(ir: Pick<DatasetIR, 'source' | 'preprocess'>): number[] | null {
  const shape = sourceShape(ir.source);
  return shape ? shapeAfter(ir.preprocess, shape) : null;
}

/** The number of classes, or null when it depends on the files (the largest label + 1). */
export function numClassesOf(ir: Pick<DatasetIR, 'source'>): number | null {
  switch (ir.source.kind) {
    case 'mnist':
    case 'fashion_mnist':
    case 'cifar10':
      return 10;
    case 'synthetic':
      return ir.source.classes;
    case 'idx':
    case 'csv':
      return null;
  }
}
