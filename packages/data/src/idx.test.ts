import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isBnxError } from '@bnx/ir';
import { loadDataset } from './load.js';
import { dataset, idxBytes, tempDir, writeIdx } from './testing/fixtures.js';

const tmp = tempDir();
afterAll(tmp.cleanup);

let fileNo = 0;
/** Four IDX files of 2x3 images: `n` training and `m` test samples, pixel values from the sample index. */
function idxSet(opts: { n?: number; m?: number; gzip?: boolean; trainLabels?: number[]; testLabels?: number[] } = {}) {
  const n = opts.n ?? 6;
  const m = opts.m ?? 3;
  const id = fileNo++;
  const images = (k: number) => Array.from({ length: k * 6 }, (_, i) => (i * 7) % 256);
  const ext = opts.gzip ? '.gz' : '';
  return {
    kind: 'idx' as const,
    trainImages: writeIdx(tmp.dir, `train-images-${id}${ext}`, [n, 2, 3], images(n), opts.gzip),
    trainLabels: writeIdx(tmp.dir, `train-labels-${id}${ext}`, [n], opts.trainLabels ?? Array.from({ length: n }, (_, i) => i % 3), opts.gzip),
    testImages: writeIdx(tmp.dir, `test-images-${id}${ext}`, [m, 2, 3], images(m), opts.gzip),
    testLabels: writeIdx(tmp.dir, `test-labels-${id}${ext}`, [m], opts.testLabels ?? Array.from({ length: m }, (_, i) => i % 3), opts.gzip),
  };
}

async function loadError(source: ReturnType<typeof idxSet>): Promise<Error> {
  try {
    await loadDataset(dataset(source), { seed: 0 });
  } catch (err) {
    expect(isBnxError(err)).toBe(true);
    return err as Error;
  }
  throw new Error('expected the load to fail');
}

describe('idx source', () => {
  it('reads images channels-first, plain or gzip', async () => {
    for (const gzip of [false, true]) {
      const d = await loadDataset(dataset(idxSet({ gzip })), { seed: 0 });
      expect(d.train.count).toBe(6);
      expect(d.test.count).toBe(3);
      expect(d.train.sampleShape).toEqual([1, 2, 3]);
      expect(d.train.numClasses).toBe(3);
      expect(Array.from(d.train.x.subarray(6, 12))).toEqual([42, 49, 56, 63, 70, 77]);
      expect(Array.from(d.test.y)).toEqual([0, 1, 2]);
    }
  });

  it('names a missing file', async () => {
    const source = { ...idxSet(), trainLabels: join(tmp.dir, 'nope') };
    const err = await loadError(source);
    expect(err.message).toContain("dataset 'test_data'");
    expect(err.message).toContain(`train_labels file not found: ${join(tmp.dir, 'nope')}`);
  });

  it('rejects a wrong magic number', async () => {
    const source = idxSet();
    writeFileSync(source.testImages, idxBytes([3, 6], new Array(18).fill(0)));
    const err = await loadError(source);
    expect(err.message).toMatch(/test_images file .* has IDX magic number 2050 \(0x00000802\), expected 2051 or 2052/);
    writeFileSync(source.testImages, Buffer.from('{"not": "idx"}'));
    expect((await loadError(source)).message).toContain('has IDX magic number');
  });

  it('rejects a truncated payload and trailing bytes', async () => {
    const source = idxSet();
    writeFileSync(source.trainImages, idxBytes([6, 2, 3], new Array(6 * 6).fill(1)).subarray(0, 30));
    expect((await loadError(source)).message).toMatch(/train_images file .* is truncated: its header promises 6x2x3 = 36 bytes of data but the file holds 14/);
    writeFileSync(source.trainImages, Buffer.from([0, 0, 8, 3, 0, 0]));
    expect((await loadError(source)).message).toMatch(/truncated inside its header/);
    writeFileSync(source.trainImages, Buffer.concat([idxBytes([6, 2, 3], new Array(36).fill(1)), Buffer.from([1, 2])]));
    expect((await loadError(source)).message).toMatch(/has 2 bytes after the 6x2x3 values/);
  });

  it('rejects an image/label count mismatch', async () => {
    const source = idxSet();
    writeFileSync(source.trainLabels, idxBytes([5], [0, 1, 2, 0, 1]));
    expect((await loadError(source)).message).toMatch(/train_images file .* holds 6 images but train_labels file .* holds 5 labels/);
  });

  it('rejects test labels outside the training classes', async () => {
    const err = await loadError(idxSet({ testLabels: [0, 1, 7] }));
    expect(err.message).toMatch(/test_labels file .*: label 7 of record 2 is outside the class range 0\.\.2/);
  });

  it('rejects a corrupt gzip file', async () => {
    const source = idxSet();
    const bad = join(tmp.dir, 'bad.gz');
    writeFileSync(bad, Buffer.from([0x1f, 0x8b, 1, 2, 3]));
    expect((await loadError({ ...source, testLabels: bad })).message).toMatch(/test_labels file .*bad\.gz is not valid gzip data/);
  });

  it('rejects an empty training set', async () => {
    const err = await loadError(idxSet({ n: 0 }));
    expect(err.message).toMatch(/train_images file .* holds no images/);
    expect((await loadError(idxSet({ m: 0 }))).message).toMatch(/test_images file .* holds no images/);
  });
});
