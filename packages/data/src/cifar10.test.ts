import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CIFAR10_TEST_FILE, CIFAR10_TRAIN_FILES } from './cifar10.js';
import { loadDataset } from './load.js';
import { cifarBytes, dataset, tempDir } from './testing/fixtures.js';

const tmp = tempDir();
afterAll(tmp.cleanup);

/** Pixel value that encodes (file, record, channel, row, col) so the test can check where each byte went. */
const pixel = (file: number, record: number) => (c: number, h: number, w: number) => (file * 50 + record * 10 + c * 3 + h + w) % 256;

function writeCifar(dir: string, perFile = 2): void {
  CIFAR10_TRAIN_FILES.forEach((name, f) => {
    writeFileSync(join(dir, name), cifarBytes(Array.from({ length: perFile }, (_, r) => ({ label: (f + r) % 10, pixel: pixel(f, r) }))));
  });
  writeFileSync(
    join(dir, CIFAR10_TEST_FILE),
    cifarBytes([
      { label: 9, pixel: pixel(9, 0) },
      { label: 3, pixel: pixel(9, 1) },
      { label: 0, pixel: pixel(9, 2) },
    ]),
  );
}

const ir = () => dataset({ kind: 'cifar10', dir: tmp.dir });

describe('cifar10 source', () => {
  it('reads the five training batches and the test batch channels-first', async () => {
    writeCifar(tmp.dir);
    const d = await loadDataset(ir(), { seed: 0 });
    expect(d.train.count).toBe(10);
    expect(d.test.count).toBe(3);
    expect(d.train.sampleShape).toEqual([3, 32, 32]);
    expect(Array.from(d.train.y)).toEqual([0, 1, 1, 2, 2, 3, 3, 4, 4, 5]);
    expect(Array.from(d.test.y)).toEqual([9, 3, 0]);
    // Sample 3 is file 1 (data_batch_2.bin), record 1; check channel 2 (blue), row 5, column 7.
    const expected = pixel(1, 1)(2, 5, 7);
    expect(d.train.x[3 * 3072 + 2 * 1024 + 5 * 32 + 7]).toBe(expected);
    expect(d.meta.classCounts.test).toEqual([1, 0, 0, 1, 0, 0, 0, 0, 0, 1]);
  });

  it('normalizes per channel on the way to float32, for held-out and kept samples alike', async () => {
    writeCifar(tmp.dir);
    const plain = await loadDataset({ ...ir(), validation: { count: 3 } }, { seed: 4 });
    const mean = [0.49, 0.48, 0.45];
    const std = [0.25, 0.24, 0.26];
    const normed = await loadDataset(
      {
        ...ir(),
        validation: { count: 3 },
        preprocess: [
          { op: 'scale', factor: 1 / 255 },
          { op: 'normalize', mean, std },
        ],
      },
      { seed: 4 },
    );
    for (const part of ['train', 'validation', 'test'] as const) {
      const a = part === 'validation' ? plain.validation! : plain[part];
      const b = part === 'validation' ? normed.validation! : normed[part];
      expect(Array.from(b.y)).toEqual(Array.from(a.y));
      for (const k of [0, 1500, 2100, a.x.length - 1]) {
        const c = Math.floor((k % 3072) / 1024);
        expect(b.x[k]).toBeCloseTo((a.x[k]! / 255 - mean[c]!) / std[c]!, 5);
      }
    }
  });

  it('names a missing batch file', async () => {
    writeCifar(tmp.dir);
    rmSync(join(tmp.dir, 'data_batch_4.bin'));
    await expect(loadDataset(ir(), { seed: 0 })).rejects.toThrow(`cifar10 file not found: ${join(tmp.dir, 'data_batch_4.bin')}`);
    await expect(loadDataset(dataset({ kind: 'cifar10', dir: join(tmp.dir, 'nope') }), { seed: 0 })).rejects.toThrow(
      /cifar10 dir not found: .*nope \(expected a folder/,
    );
    // A file where the folder should be is named as such, not as missing.
    const file = join(tmp.dir, 'data_batch_1.bin');
    await expect(loadDataset(dataset({ kind: 'cifar10', dir: file }), { seed: 0 })).rejects.toThrow(
      `cifar10 dir ${file} is a file; expected the folder holding data_batch_1.bin`,
    );
  });

  it('rejects a truncated file and a label outside 0..9', async () => {
    writeCifar(tmp.dir);
    writeFileSync(join(tmp.dir, CIFAR10_TEST_FILE), cifarBytes([{ label: 1, pixel: () => 0 }]).subarray(0, 3000));
    await expect(loadDataset(ir(), { seed: 0 })).rejects.toThrow(/test_batch\.bin is truncated: 3000 bytes is not a whole number of 3073-byte records/);
    writeCifar(tmp.dir);
    writeFileSync(
      join(tmp.dir, 'data_batch_2.bin'),
      cifarBytes([
        { label: 1, pixel: () => 0 },
        { label: 10, pixel: () => 0 },
      ]),
    );
    await expect(loadDataset(ir(), { seed: 0 })).rejects.toThrow(/data_batch_2\.bin: label 10 of record 1 is outside the class range 0\.\.9/);
  });
});
