// Writes a file so that a reader never sees half of it: write a temporary file beside it, then rename
// (atomic within one filesystem). An interrupted run leaves either the old file or the new one. A write the
// environment refuses (no permission, a full disk, a directory in the way) is a BnxError naming the file.
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { BnxError } from '@bnx/ir';
import { fsErrorReason } from '@bnx/dsl';
import { ensureDirectory } from '../files/output-dir.js';

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  ensureDirectory(dirname(path), `cannot write ${path}`);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, data);
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
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
