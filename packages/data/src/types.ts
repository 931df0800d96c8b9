// The shapes of loaded data. One Float32Array per split holds every sample back to back (channels-first);
// batches are views into reused buffers, never one allocation per sample.

export interface Split {
  /** count * prod(sampleShape) floats, sample-major. */
  x: Float32Array;
  /** Class index per sample, 0 <= y < numClasses. */
  y: Int32Array;
  count: number;
  /** After preprocessing, e.g. [1, 28, 28] or [784]. */
  sampleShape: number[];
  numClasses: number;
}

export interface DatasetMeta {
  name: string;
  source: string;
  /** Records dropped while loading because they were malformed (Fashion-MNIST ships two empty ones). */
  droppedRecords: number;
  /** Human-readable notes on how the data was split, cached, or cleaned. */
  notes: string[];
  classCounts: { train: number[]; validation: number[] | null; test: number[] };
}

export interface LoadedDataset {
  train: Split;
  /** null when the dataset declares no `validation:`. */
  validation: Split | null;
  test: Split;
  meta: DatasetMeta;
}

/** One training batch. `x` and `y` may be views into buffers reused by the next batch: copy what you keep. */
export interface Batch {
  x: Float32Array;
  y: Int32Array;
  /** Number of samples in this batch (the last one may be smaller unless dropped). */
  size: number;
  /** 0-based index of the batch within its epoch. */
  index: number;
}
