import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventMessage, maskedCrc32c, writeTensorBoard } from './tensorboard-events.js';
import { syntheticResults } from './testing/synthetic-results.js';

/** A reader written from the record format alone: checks both CRCs and decodes each Event. */
function readRecords(bytes: Buffer): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  for (let at = 0; at < bytes.length;) {
    const length = Number(bytes.readBigUInt64LE(at));
    expect(bytes.readUInt32LE(at + 8)).toBe(maskedCrc32c(bytes.subarray(at, at + 8)));
    const data = bytes.subarray(at + 12, at + 12 + length);
    expect(bytes.readUInt32LE(at + 12 + length)).toBe(maskedCrc32c(data));
    events.push(EventMessage.toObject(EventMessage.decode(data), { longs: Number }));
    at += 12 + length + 4;
  }
  return events;
}

describe('TensorBoard event files', () => {
  it('masks CRC-32C as TensorFlow does', () => {
    // CRC-32C("123456789") = 0xE3069283 (the standard check value); masked as in tensorflow/core/lib/hash/crc32c.h.
    const crc = 0xe3069283;
    const expected = ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
    expect(maskedCrc32c(Buffer.from('123456789'))).toBe(expected);
  });
  it('writes one file per run with a version record and every evaluation scalar', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bnx-tb-'));
    const results = syntheticResults({ seeds: [1], batches: [32], evaluations: 3 });
    const files = writeTensorBoard(dir, results);
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(/baseline__batch=32__seed=1\/events\.out\.tfevents\.\d+\.bnx$/);
    const events = readRecords(readFileSync(files[0]!));
    expect(events[0]).toMatchObject({ file_version: 'brain.Event:2' });
    expect(events).toHaveLength(1 + 3 + 1);
    const first = events[1] as { step: number; summary: { value: { tag: string; simple_value: number }[] } };
    const h = results.runs[0]!.history[0]!;
    expect(first.step).toBe(h.step);
    expect(first.summary.value.map((v) => v.tag)).toEqual(['train_loss', 'train_accuracy', 'val_loss', 'val_accuracy']);
    expect(first.summary.value[3]!.simple_value).toBeCloseTo(h.val_accuracy!, 6);
  });
});
