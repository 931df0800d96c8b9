import { describe, expect, it } from 'vitest';
import { isBnxError } from '@bnx/ir';
import type { DatasetIR } from '@bnx/ir';
import { loadDataset } from './load.js';
import { dataset } from './testing/fixtures.js';

const blobs = { kind: 'synthetic', shape: 'blobs', samples: 600, features: 4, classes: 3 } as const;
const loc = { range: { file: '/exp/a.bnx', start: { line: 3, column: 1, offset: 20 }, end: { line: 8, column: 2, offset: 90 } } };

async function failure(ir: DatasetIR, seed = 0): Promise<Error> {
  try {
    await loadDataset(ir, { seed });
  } catch (err) {
    expect(isBnxError(err)).toBe(true);
    return err as Error;
  }
  throw new Error('expected the load to fail');
}

describe('loadDataset', () => {
  it('applies subset, validation and preprocessing, and fills shapes, classes and meta', async () => {
    const d = await loadDataset(dataset(blobs, { subset: 300, validation: { fraction: 0.1 }, preprocess: [{ op: 'standardize' }] }), { seed: 9 });
    expect([d.train.count, d.validation?.count, d.test.count]).toEqual([270, 30, 120]);
    // Stratified: each class's share of the validation split is its share of what subset kept, +-1.
    d.meta.classCounts.validation!.forEach((v, c) => {
      const pool = v + d.meta.classCounts.train[c]!;
      expect(Math.abs(v - pool / 10)).toBeLessThan(1);
    });
    expect(d.meta.classCounts.train.reduce((a, b) => a + b)).toBe(270);
    for (const s of [d.train, d.validation!, d.test]) {
      expect(s.sampleShape).toEqual([4]);
      expect(s.numClasses).toBe(3);
      expect(s.x.length).toBe(s.count * 4);
    }
    // Standardized on train: its feature means are 0, the validation split's are not exactly 0.
    const mean = (x: Float32Array, j: number) => x.filter((_, k) => k % 4 === j).reduce((a, b) => a + b, 0) / (x.length / 4);
    expect(Math.abs(mean(d.train.x, 0))).toBeLessThan(1e-5);
    expect(Math.abs(mean(d.validation!.x, 0))).toBeGreaterThan(1e-4);
    expect(d.meta.notes.join('\n')).toMatch(/standardize: 4 feature statistics fitted on the 270 training samples/);
    expect(d.meta.source).toBe('synthetic');
  });

  it('can skip stratification of the validation split', async () => {
    const ir = dataset(blobs, { validation: { count: 31 } });
    const strat = await loadDataset(ir, { seed: 1 });
    const plain = await loadDataset(ir, { seed: 1, stratify: false });
    expect(strat.meta.classCounts.validation).toEqual([11, 10, 10]);
    expect(plain.validation!.count).toBe(31);
    expect(Array.from(plain.validation!.y)).not.toEqual(Array.from(strat.validation!.y));
  });

  it('puts the dataset name and its declaration in every error', async () => {
    const err = await failure(dataset(blobs, { validation: { count: 480 }, loc }));
    expect(err.message).toBe("dataset 'test_data' (/exp/a.bnx:3:1): validation 480 leaves no training data: it must be smaller than the 480 training samples");
    expect((await failure(dataset(blobs), -3)).message).toMatch(/seed -3 is not a non-negative integer/);
  });
});
