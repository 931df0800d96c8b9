// Reading a data file the user named: a missing or unreadable file is the user's error, and a `.gz` file (or
// any file that starts with the gzip magic bytes) is decompressed transparently.
import { readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { DataContext } from './context.js';
import { dataError } from './context.js';

/** `role` says which entry named the file, e.g. `train_images`. */
export function readDataFile(ctx: DataContext, path: string, role: string): Buffer {
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw dataError(ctx, `${role} file not found: ${path}`, 'E_DATA_MISSING');
  }
  if (!isFile) throw dataError(ctx, `${role} path is not a file: ${path}`, 'E_DATA_MISSING');
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw dataError(ctx, `${role} file ${path} cannot be read: ${(err as Error).message}`, 'E_DATA_MISSING');
  }
  const gzipped = path.endsWith('.gz') || (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b);
  if (!gzipped) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (err) {
    throw dataError(ctx, `${role} file ${path} is not valid gzip data: ${(err as Error).message}`, 'E_DATA_FORMAT');
  }
}
