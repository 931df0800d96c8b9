// Helpers that write small data files in the real on-disk formats into a temporary folder.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { DatasetIR } from '@bnx/ir';

export function tempDir(prefix = 'bnx-data-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** An unsigned-byte IDX file: magic 0x0000080N, big-endian dims, then the values. */
export function idxBytes(dims: number[], values: ArrayLike<number>): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(Uint8Array.from(values))]);
}

export function writeIdx(dir: string, name: string, dims: number[], values: ArrayLike<number>, gzip = false): string {
  const path = join(dir, name);
  const bytes = idxBytes(dims, values);
  writeFileSync(path, gzip ? gzipSync(bytes) : bytes);
  return path;
}

/** A CIFAR-10 binary batch: per record a label byte then 3072 pixel bytes (R, G, B planes). */
export function cifarBytes(records: { label: number; pixel: (channel: number, row: number, col: number) => number }[]): Buffer {
  const out = Buffer.alloc(records.length * 3073);
  records.forEach((r, i) => {
    out[i * 3073] = r.label;
    for (let c = 0; c < 3; c++) for (let h = 0; h < 32; h++) for (let w = 0; w < 32; w++) out[i * 3073 + 1 + c * 1024 + h * 32 + w] = r.pixel(c, h, w);
  });
  return out;
}

export function dataset(source: DatasetIR['source'], extra: Partial<DatasetIR> = {}): DatasetIR {
  return { name: 'test_data', source, preprocess: [], ...extra };
}

/** SHA-256 of a typed array's bytes: deep-equality on millions of floats is slow in expect(). */
export function digest(a: ArrayBufferView): string {
  return createHash('sha256')
    .update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength))
    .digest('hex');
}
