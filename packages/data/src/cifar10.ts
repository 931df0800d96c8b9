// CIFAR-10, binary version (https://www.cs.toronto.edu/~kriz/cifar.html): data_batch_1.bin .. data_batch_5.bin
// and test_batch.bin, each a sequence of 3073-byte records: one label byte (0..9), then 1024 red, 1024 green
// and 1024 blue bytes, each plane 32x32 row-major. That is already channels-first (3, 32, 32).
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { DataContext } from './context.js';
import { dataError } from './context.js';
import { readDataFile } from './files.js';
import type { RawDataset, RawSplit } from './raw.js';

export const CIFAR10_TRAIN_FILES = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`);
export const CIFAR10_TEST_FILE = 'test_batch.bin';
const IMAGE_BYTES = 3 * 32 * 32;
const RECORD_BYTES = 1 + IMAGE_BYTES;

function loadBatches(ctx: DataContext, dir: string, names: string[]): RawSplit {
  const files = names.map((name) => {
    const path = join(dir, name);
    const bytes = readDataFile(ctx, path, 'cifar10');
    if (bytes.length === 0 || bytes.length % RECORD_BYTES !== 0) {
      throw dataError(
        ctx,
        `cifar10 file ${path} is truncated: ${bytes.length} bytes is not a whole number of ${RECORD_BYTES}-byte records (label byte + 3x32x32 pixels)`,
        'E_DATA_TRUNCATED',
      );
    }
    return { path, bytes };
  });
  const count = files.reduce((sum, f) => sum + f.bytes.length / RECORD_BYTES, 0);
  const x = new Uint8Array(count * IMAGE_BYTES);
  const y = new Int32Array(count);
  let sample = 0;
  for (const { path, bytes } of files) {
    for (let offset = 0; offset < bytes.length; offset += RECORD_BYTES, sample++) {
      const label = bytes[offset]!;
      if (label > 9) {
        throw dataError(ctx, `cifar10 file ${path}: label ${label} of record ${offset / RECORD_BYTES} is outside the class range 0..9`, 'E_DATA_LABEL');
      }
      y[sample] = label;
      // A plain loop rather than set(subarray(...)): no view object per record.
      const dst = sample * IMAGE_BYTES;
      for (let b = 0; b < IMAGE_BYTES; b++) x[dst + b] = bytes[offset + 1 + b]!;
    }
  }
  return { x, y, count };
}

export function loadCifar10(ctx: DataContext, dir: string): RawDataset {
  let isDir = false;
  let exists = false;
  try {
    isDir = statSync(dir).isDirectory();
    exists = true;
  } catch {
    // reported below
  }
  if (exists && !isDir)
    throw dataError(ctx, `cifar10 dir ${dir} is a file; expected the folder holding data_batch_1.bin .. data_batch_5.bin and test_batch.bin`, 'E_DATA_MISSING');
  if (!isDir)
    throw dataError(ctx, `cifar10 dir not found: ${dir} (expected a folder holding data_batch_1.bin .. data_batch_5.bin and test_batch.bin)`, 'E_DATA_MISSING');
  return {
    train: loadBatches(ctx, dir, CIFAR10_TRAIN_FILES),
    test: loadBatches(ctx, dir, [CIFAR10_TEST_FILE]),
    sampleShape: [3, 32, 32],
    numClasses: 10,
    droppedRecords: 0,
    notes: [`CIFAR-10 binary batches from ${dir}`],
  };
}
