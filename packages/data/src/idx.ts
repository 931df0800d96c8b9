// The IDX format of MNIST, Fashion-MNIST and EMNIST (http://yann.lecun.com/exdb/mnist/): a 4-byte magic
// number (two zero bytes, a type byte, the number of dimensions), one big-endian uint32 per dimension, then
// the values row-major. bnx reads unsigned-byte files: images (N, H, W) or (N, C, H, W), labels (N).
import type { DataContext } from './context.js';
import { dataError } from './context.js';
import { readDataFile } from './files.js';
import type { RawDataset, RawSplit } from './raw.js';
import { sizeOf } from './raw.js';

const UNSIGNED_BYTE = 0x08;

export interface IdxArray {
  dims: number[];
  /** A view into the file's bytes, no copy. */
  data: Uint8Array;
}

/** Parses an unsigned-byte IDX file whose rank is one of `ranks`; `role` and `path` name it in errors. */
export function parseIdx(ctx: DataContext, bytes: Uint8Array, path: string, role: string, ranks: number[]): IdxArray {
  const expected = ranks.map((r) => (UNSIGNED_BYTE << 8) | r).join(' or ');
  if (bytes.length < 4) {
    throw dataError(ctx, `${role} file ${path} is truncated: ${bytes.length} bytes, too short for an IDX header`, 'E_DATA_TRUNCATED');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const rank = bytes[3]!;
  if (bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== UNSIGNED_BYTE || !ranks.includes(rank)) {
    throw dataError(
      ctx,
      `${role} file ${path} has IDX magic number ${magic} (0x${magic.toString(16).padStart(8, '0')}), expected ${expected} (unsigned bytes, ${ranks.join(' or ')} dimensions)`,
      'E_DATA_MAGIC',
    );
  }
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw dataError(ctx, `${role} file ${path} is truncated inside its header (${bytes.length} of ${headerBytes} bytes)`, 'E_DATA_TRUNCATED');
  }
  const dims: number[] = [];
  for (let d = 0; d < rank; d++) dims.push(view.getUint32(4 + 4 * d, false));
  const payload = sizeOf(dims);
  const actual = bytes.length - headerBytes;
  if (actual < payload) {
    throw dataError(
      ctx,
      `${role} file ${path} is truncated: its header promises ${dims.join('x')} = ${payload} bytes of data but the file holds ${actual}`,
      'E_DATA_TRUNCATED',
    );
  }
  if (actual > payload) {
    throw dataError(ctx, `${role} file ${path} has ${actual - payload} bytes after the ${dims.join('x')} values its header declares`, 'E_DATA_FORMAT');
  }
  return { dims, data: bytes.subarray(headerBytes, headerBytes + payload) };
}

export interface IdxPairPaths {
  images: string;
  labels: string;
  /** Prefix of the roles in messages: `train` gives `train_images` / `train_labels`. */
  part: 'train' | 'test';
}

/** Reads an images file and its labels file into one raw split with sample shape (C, H, W). */
export function loadIdxPair(ctx: DataContext, paths: IdxPairPaths): RawSplit & { sampleShape: number[] } {
  const imagesRole = `${paths.part}_images`;
  const labelsRole = `${paths.part}_labels`;
  const images = parseIdx(ctx, readDataFile(ctx, paths.images, imagesRole), paths.images, imagesRole, [3, 4]);
  const labels = parseIdx(ctx, readDataFile(ctx, paths.labels, labelsRole), paths.labels, labelsRole, [1]);
  const count = images.dims[0]!;
  if (labels.dims[0] !== count) {
    throw dataError(
      ctx,
      `${imagesRole} file ${paths.images} holds ${count} images but ${labelsRole} file ${paths.labels} holds ${labels.dims[0]} labels`,
      'E_DATA_COUNT',
    );
  }
  // Channels-first: a 3-dimensional file is single-channel (N, H, W) -> (1, H, W).
  const sampleShape = images.dims.length === 3 ? [1, ...images.dims.slice(1)] : images.dims.slice(1);
  const y = new Int32Array(count);
  for (let i = 0; i < count; i++) y[i] = labels.data[i]!;
  return { x: images.data, y, count, sampleShape };
}

/**
 * Checks that every label lies in 0..numClasses-1 and names the first one that does not, with its index in
 * the file.
 */
export function checkLabelRange(ctx: DataContext, y: Int32Array, numClasses: number, role: string, path: string): void {
  for (let i = 0; i < y.length; i++) {
    const label = y[i]!;
    if (label < 0 || label >= numClasses) {
      throw dataError(ctx, `${role} file ${path}: label ${label} of record ${i} is outside the class range 0..${numClasses - 1}`, 'E_DATA_LABEL');
    }
  }
}

export interface IdxSourcePaths {
  trainImages: string;
  trainLabels: string;
  testImages: string;
  testLabels: string;
}

/**
 * The `idx(...)` source: any four IDX files. The classes are 0..max(train label); a test label outside that
 * range is an error, since no model trained on these labels could predict it.
 */
export function loadIdxSource(ctx: DataContext, paths: IdxSourcePaths): RawDataset {
  const train = loadIdxPair(ctx, { images: paths.trainImages, labels: paths.trainLabels, part: 'train' });
  const test = loadIdxPair(ctx, { images: paths.testImages, labels: paths.testLabels, part: 'test' });
  if (train.sampleShape.join('x') !== test.sampleShape.join('x')) {
    throw dataError(
      ctx,
      `test_images file ${paths.testImages} holds ${test.sampleShape.join('x')} images but train_images file ${paths.trainImages} holds ${train.sampleShape.join('x')}`,
      'E_DATA_FORMAT',
    );
  }
  if (train.count === 0) throw dataError(ctx, `train_images file ${paths.trainImages} holds no images`, 'E_DATA_EMPTY');
  if (test.count === 0) throw dataError(ctx, `test_images file ${paths.testImages} holds no images`, 'E_DATA_EMPTY');
  let maxLabel = -1;
  for (let i = 0; i < train.count; i++) maxLabel = Math.max(maxLabel, train.y[i]!);
  const numClasses = maxLabel + 1;
  checkLabelRange(ctx, test.y, numClasses, 'test_labels', paths.testLabels);
  return {
    train: { x: train.x, y: train.y, count: train.count },
    test: { x: test.x, y: test.y, count: test.count },
    sampleShape: train.sampleShape,
    numClasses,
    droppedRecords: 0,
    notes: [`IDX files ${paths.trainImages}, ${paths.testImages}; ${numClasses} classes (0..max training label)`],
  };
}
