// Writes a file so that a reader never sees half of it (@bnx/data's writeFileAtomic: a temporary file beside
// it, flushed, then renamed). An interrupted run leaves either the old file or the new one. A write the
// environment refuses (no permission, a full disk, a directory in the way) is a BnxError naming the file.
import { dirname } from 'node:path';
import { writeFileAtomic as writeChunksAtomic } from '@bnx/data';
import { BnxError } from '@bnx/ir';
import { fsErrorReason } from '@bnx/dsl';
import { ensureDirectory } from '../files/output-dir.js';

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  ensureDirectory(dirname(path), `cannot write ${path}`);
  try {
    writeChunksAtomic(path, [typeof data === 'string' ? Buffer.from(data, 'utf8') : data]);
  } catch (err) {
    const reason = fsErrorReason(err);
    if (reason === undefined) throw err;
    throw new BnxError(`cannot write ${path}: ${reason}`, 'E_WRITE');
  }
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, jsonSafe, 2)}\n`);
}

/** JSON has no NaN or Infinity: write them as null, which the results schema reads as "not finite". */
function jsonSafe(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}
