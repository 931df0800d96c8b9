// dataset declaration -> train/validation/test float32 splits: load the source, apply `subset:` then
// `validation:` (seeded by the run's seed), gather each split into one Float32Array, then preprocess.
import type { DataSource, DatasetIR } from '@bnx/ir';
import { resolveCacheDir } from './cache.js';
import { loadCifar10 } from './cifar10.js';
import type { DataContext } from './context.js';
import { contextOf, dataError } from './context.js';
import { loadCsv } from './csv.js';
import { loadFashionMnist } from './fashion-mnist.js';
import { loadIdxSource } from './idx.js';
import { loadMnist } from './mnist.js';
import type { ByteTable } from './preprocess.js';
import { applyPreprocess, byteTable } from './preprocess.js';
import { checkSeed } from './prng.js';
import type { RawDataset, RawSplit } from './raw.js';
import { classCounts, sizeOf } from './raw.js';
import { selectTraining } from './split.js';
import { loadSynthetic } from './synthetic.js';
import type { LoadedDataset, Split } from './types.js';

export interface LoadOptions {
  /** The run's seed: it picks the subset and the validation samples. */
  seed: number;
  /** Where parsed package data is cached; default $BNX_CACHE_DIR, $XDG_CACHE_HOME/bnx or ~/.cache/bnx. */
  cacheDir?: string;
  /** Stratify the validation split by class (default true). */
  stratify?: boolean;
}

function loadSource(ctx: DataContext, source: DataSource, opts: LoadOptions): RawDataset {
  switch (source.kind) {
    case 'mnist':
      return loadMnist(ctx);
    case 'fashion_mnist':
      return loadFashionMnist(ctx, { cacheDir: resolveCacheDir(opts.cacheDir) });
    case 'idx':
      return loadIdxSource(ctx, source);
    case 'cifar10':
      return loadCifar10(ctx, source.dir);
    case 'csv':
      return loadCsv(ctx, source.file, source.label);
    case 'synthetic':
      return loadSynthetic(ctx, source);
    default:
      throw dataError(ctx, `unknown source kind '${(source as { kind: string }).kind}'`, 'E_DATA_SOURCE');
  }
}

/**
 * One float32 split from the raw rows `indices` (null: all rows in order). Byte pixels are converted on the
 * way; a float32 source with every row in order is adopted without a copy (loaders hand over fresh buffers).
 */
function toSplit(raw: RawSplit, indices: Uint32Array | null, sampleShape: number[], numClasses: number, table: ByteTable | null): Split {
  const sampleSize = sizeOf(sampleShape);
  if (table && raw.x instanceof Uint8Array) return toSplitThroughTable(raw, raw.x, indices, sampleShape, numClasses, table);
  if (indices === null) {
    const x = raw.x instanceof Float32Array ? raw.x : new Float32Array(raw.x);
    return { x, y: raw.y, count: raw.count, sampleShape: [...sampleShape], numClasses };
  }
  const n = indices.length;
  const x = new Float32Array(n * sampleSize);
  const y = new Int32Array(n);
  const src = raw.x;
  for (let i = 0; i < n; i++) {
    const row = indices[i]!;
    y[i] = raw.y[row]!;
    const from = row * sampleSize;
    const to = i * sampleSize;
    for (let j = 0; j < sampleSize; j++) x[to + j] = src[from + j]!;
  }
  return { x, y, count: n, sampleShape: [...sampleShape], numClasses };
}

/** As toSplit, bytes mapped through the preprocessing table (see byteTable) on the way. */
function toSplitThroughTable(raw: RawSplit, src: Uint8Array, indices: Uint32Array | null, sampleShape: number[], numClasses: number, lookup: ByteTable): Split {
  const sampleSize = sizeOf(sampleShape);
  const plane = sampleSize / lookup.channels;
  const n = indices ? indices.length : raw.count;
  const x = new Float32Array(n * sampleSize);
  const y = indices ? new Int32Array(n) : raw.y;
  const table = lookup.table;
  if (!indices && lookup.channels === 1) {
    // The common case (a whole single-channel split): one flat loop, measured about 25% faster.
    for (let k = 0; k < x.length; k++) x[k] = table[src[k]!]!;
    return { x, y, count: n, sampleShape: [...sampleShape], numClasses };
  }
  for (let i = 0, to = 0; i < n; i++) {
    const row = indices ? indices[i]! : i;
    if (indices) y[i] = raw.y[row]!;
    let from = row * sampleSize;
    for (let c = 0; c < lookup.channels; c++) {
      const base = c * 256;
      for (let end = to + plane; to < end; to++, from++) x[to] = table[base + src[from]!]!;
    }
  }
  return { x, y, count: n, sampleShape: [...sampleShape], numClasses };
}

export async function loadDataset(ir: DatasetIR, opts: LoadOptions): Promise<LoadedDataset> {
  const ctx = contextOf(ir);
  checkSeed(opts.seed);
  const raw = loadSource(ctx, ir.source, opts);
  for (const [name, part] of [
    ['training', raw.train],
    ['test', raw.test],
  ] as const) {
    if (part.count === 0) throw dataError(ctx, `the source's ${name} set is empty`, 'E_DATA_EMPTY');
  }
  const selection = selectTraining(ctx, raw.train.y, raw.numClasses, {
    subset: ir.subset,
    validation: ir.validation,
    seed: opts.seed,
    stratify: opts.stratify ?? true,
  });
  // Byte sources take their leading scale/normalize steps during the conversion to float32.
  const table = raw.train.x instanceof Uint8Array ? byteTable(ctx, ir.preprocess, raw.sampleShape) : null;
  const train = toSplit(raw.train, selection.train, raw.sampleShape, raw.numClasses, table);
  const validation = selection.validation ? toSplit(raw.train, selection.validation, raw.sampleShape, raw.numClasses, table) : null;
  const test = toSplit(raw.test, null, raw.sampleShape, raw.numClasses, table);
  const rest = table ? ir.preprocess.slice(table.folded) : ir.preprocess;
  const { notes } = applyPreprocess(ctx, rest, raw.sampleShape, train, validation ? [validation, test] : [test]);
  return {
    train,
    validation,
    test,
    meta: {
      name: ir.name,
      source: ir.source.kind,
      droppedRecords: raw.droppedRecords,
      notes: [...raw.notes, ...notes],
      classCounts: {
        train: classCounts(train.y, raw.numClasses),
        validation: validation ? classCounts(validation.y, raw.numClasses) : null,
        test: classCounts(test.y, raw.numClasses),
      },
    },
  };
}
