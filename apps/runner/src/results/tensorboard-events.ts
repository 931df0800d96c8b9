// TensorBoard event files (`--tensorboard DIR`): one subdirectory per run holding
// events.out.tfevents.<time>.bnx, with the scalars of every evaluation point and the final test numbers.
// Format (TensorFlow's record_writer): each record is
//   uint64 length (LE) · uint32 masked CRC-32C of the length bytes · data · uint32 masked CRC-32C of data
// and each data block is an `Event` protocol buffer (tensorflow/core/util/event.proto), the first one
// carrying file_version "brain.Event:2".
import { join } from 'node:path';
import crc32c from 'crc-32/crc32c.js';
import protobuf from 'protobufjs';
import type { ResultsFile, RunResult } from '@bnx/metrics';
import { writeFileAtomic } from './atomic-write.js';

/** The subset of event.proto and summary.proto that scalar logging needs, with the official field numbers. */
const root = protobuf.Root.fromJSON({
  nested: {
    Event: {
      oneofs: { what: { oneof: ['file_version', 'summary'] } },
      fields: {
        wall_time: { type: 'double', id: 1 },
        step: { type: 'int64', id: 2 },
        file_version: { type: 'string', id: 3 },
        summary: { type: 'Summary', id: 5 },
      },
    },
    Summary: {
      fields: { value: { rule: 'repeated', type: 'Value', id: 1 } },
      nested: { Value: { fields: { tag: { type: 'string', id: 1 }, simple_value: { type: 'float', id: 2 } } } },
    },
  },
});
export const EventMessage = root.lookupType('Event');

/** TensorFlow's masked CRC: rotate right by 15 bits and add a constant, so CRCs of CRCs stay well-spread. */
export function maskedCrc32c(data: Uint8Array): number {
  const crc = crc32c.buf(data) >>> 0;
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

export function eventRecord(event: Record<string, unknown>): Buffer {
  const data = EventMessage.encode(EventMessage.fromObject(event)).finish();
  const header = Buffer.alloc(12);
  header.writeBigUInt64LE(BigInt(data.length), 0);
  header.writeUInt32LE(maskedCrc32c(header.subarray(0, 8)), 8);
  const footer = Buffer.alloc(4);
  footer.writeUInt32LE(maskedCrc32c(data), 0);
  return Buffer.concat([header, data, footer]);
}

const SCALARS = ['train_loss', 'train_accuracy', 'val_loss', 'val_accuracy'] as const;

/** The event file of one run: every finite scalar at its step; wall times from the run's clock. */
export function runEvents(run: RunResult, startedAt: number): Buffer {
  const records: Buffer[] = [eventRecord({ wall_time: startedAt, step: 0, file_version: 'brain.Event:2' })];
  for (const point of run.history) {
    const value = SCALARS.flatMap((tag) => {
      const v = point[tag];
      return typeof v === 'number' && Number.isFinite(v) ? [{ tag, simple_value: v }] : [];
    });
    if (value.length > 0) records.push(eventRecord({ wall_time: startedAt + point.seconds, step: point.step, summary: { value } }));
  }
  const last = run.history[run.history.length - 1];
  const test = [
    ['test_loss', run.test?.loss],
    ['test_accuracy', run.test?.accuracy],
  ].flatMap(([tag, v]) => (typeof v === 'number' && Number.isFinite(v) ? [{ tag, simple_value: v }] : []));
  if (test.length > 0) records.push(eventRecord({ wall_time: startedAt + (last?.seconds ?? 0), step: last?.step ?? 0, summary: { value: test } }));
  return Buffer.concat(records);
}

/** Writes DIR/<run id>/events.out.tfevents.<seconds>.bnx for every run; returns the files written. */
export function writeTensorBoard(dir: string, results: ResultsFile): string[] {
  const started = Date.parse(results.started_at) / 1000;
  const stamp = Math.floor(Number.isFinite(started) ? started : Date.now() / 1000);
  return results.runs.map((run) => {
    const path = join(dir, run.id, `events.out.tfevents.${stamp}.bnx`);
    writeFileAtomic(path, runEvents(run, Number.isFinite(started) ? started : stamp));
    return path;
  });
}
