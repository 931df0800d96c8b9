// What a source loader hands to the split/preprocess stage: the source's own train and test sets, pixels
// still as bytes where the format stores bytes, so that subset/validation can gather straight into the final
// float32 buffers in one pass.

export interface RawSplit {
  /** count * prod(sampleShape) values, sample-major, channels-first. */
  x: Uint8Array | Float32Array;
  y: Int32Array;
  count: number;
}

export interface RawDataset {
  train: RawSplit;
  test: RawSplit;
  sampleShape: number[];
  numClasses: number;
  droppedRecords: number;
  notes: string[];
}

export function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

/** Samples per class, for `meta.classCounts` and for stratified splits. */
export function classCounts(y: Int32Array, numClasses: number, count = y.length): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < count; i++) counts[y[i]!]!++;
  return counts;
}

/** Copies the rows `indices` (in that order) of a raw split into new buffers of the same element type. */
export function takeRows<X extends Uint8Array | Float32Array>(
  x: X,
  y: Int32Array,
  indices: Uint32Array,
  sampleSize: number,
): { x: X; y: Int32Array; count: number } {
  const n = indices.length;
  const tx = (x instanceof Uint8Array ? new Uint8Array(n * sampleSize) : new Float32Array(n * sampleSize)) as X;
  const ty = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const src = indices[i]! * sampleSize;
    const dst = i * sampleSize;
    for (let j = 0; j < sampleSize; j++) tx[dst + j] = x[src + j]!;
    ty[i] = y[indices[i]!]!;
  }
  return { x: tx, y: ty, count: n };
}
