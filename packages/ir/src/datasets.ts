// What a dataset gives a model: the sample shape after preprocessing, the class count and the number of
// training samples, where they are known without reading the files.
import { isWholeNumber } from './format.js';
import type { DatasetIR, DataSource } from './types.js';

/** Sample shape straight from the source (channels-first), or undefined where only the files would tell. */
export function sourceSampleShape(source: DataSource | undefined): number[] | undefined {
  switch (source?.kind) {
    case 'mnist':
    case 'fashion_mnist':
      return [1, 28, 28];
    case 'cifar10':
      return [3, 32, 32];
    case 'synthetic':
      return isWholeNumber(source.features) && source.features >= 1 ? [source.features] : undefined;
    default:
      return undefined;
  }
}

/** Sample shape after `preprocess` (only `flatten` changes it). */
export function datasetSampleShape(dataset: DatasetIR): number[] | undefined {
  let shape = sourceSampleShape(dataset?.source);
  if (shape === undefined) return undefined;
  for (const step of Array.isArray(dataset.preprocess) ? dataset.preprocess : []) {
    if (step?.op === 'flatten') shape = [shape.reduce((a, b) => a * b, 1)];
  }
  return shape;
}

/** Number of classes, or undefined for idx and csv (known only from the labels). */
export function datasetClassCount(dataset: DatasetIR): number | undefined {
  const source = dataset?.source;
  switch (source?.kind) {
    case 'mnist':
    case 'fashion_mnist':
    case 'cifar10':
      return 10;
    case 'synthetic':
      return isWholeNumber(source.classes) ? source.classes : undefined;
    default:
      return undefined;
  }
}

/**
 * Training samples before `subset` and `validation`: MNIST 60,000; Fashion-MNIST 60,000 (bnx's fixed
 * 60,000/10,000 split); CIFAR-10 50,000; synthetic: all its samples at most (an upper bound).
 */
export function sourceTrainingSize(source: DataSource | undefined): number | undefined {
  switch (source?.kind) {
    case 'mnist':
    case 'fashion_mnist':
      return 60000;
    case 'cifar10':
      return 50000;
    case 'synthetic':
      return isWholeNumber(source.samples) ? source.samples : undefined;
    default:
      return undefined;
  }
}

/**
 * Samples held out for validation from `pool` training samples, as @bnx/data splits: a count as given, a
 * fraction of the pool rounded to the nearest sample.
 */
export function validationHoldout(validation: DatasetIR['validation'], pool: number): number {
  if (validation === undefined || validation === null) return 0;
  return 'count' in validation ? validation.count : Math.round(validation.fraction * pool);
}

/** The samples left to train on after subset and validation, when the IR alone tells (not for files). */
export function datasetTrainingCount(dataset: DatasetIR): number | undefined {
  const size = sourceTrainingSize(dataset.source);
  if (size === undefined) return undefined;
  const pool = isWholeNumber(dataset.subset) ? Math.min(dataset.subset, size) : size;
  const left = pool - validationHoldout(dataset.validation, pool);
  return Number.isFinite(left) ? left : undefined;
}

/**
 * Whether a model's input accepts a dataset's samples: equal, or equal once a leading channel axis of 1 is
 * dropped from either (so `input(28, 28)` accepts MNIST's (1, 28, 28)).
 */
export function sampleShapesMatch(modelInput: readonly number[], sample: readonly number[]): boolean {
  const strip = (s: readonly number[]) => (s.length === 3 && s[0] === 1 ? s.slice(1) : [...s]);
  const a = strip(modelInput);
  const b = strip(sample);
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
