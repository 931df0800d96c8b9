import { describe, expect, it } from 'vitest';
import { loadDataset } from './load.js';
import { dataset } from './testing/fixtures.js';

describe('synthetic source', () => {
  it('makes separable blobs with a fixed 80/20 split, the same for every run seed', async () => {
    const ir = dataset({ kind: 'synthetic', shape: 'blobs', samples: 1000, features: 5, classes: 3 });
    const a = await loadDataset(ir, { seed: 1 });
    const b = await loadDataset(ir, { seed: 2 });
    expect(a.train.count).toBe(800);
    expect(a.test.count).toBe(200);
    expect(a.train.sampleShape).toEqual([5]);
    expect(a.train.numClasses).toBe(3);
    expect(Array.from(a.test.x)).toEqual(Array.from(b.test.x));
    // Nearest class mean (fitted on train) should classify the test set almost perfectly.
    const means = Array.from({ length: 3 }, () => new Float64Array(5));
    const counts = [0, 0, 0];
    for (let i = 0; i < a.train.count; i++) {
      counts[a.train.y[i]!]!++;
      for (let j = 0; j < 5; j++) means[a.train.y[i]!]![j]! += a.train.x[i * 5 + j]!;
    }
    means.forEach((m, c) => m.forEach((v, j) => (m[j] = v / counts[c]!)));
    let correct = 0;
    for (let i = 0; i < a.test.count; i++) {
      const dist = means.map((m) => m.reduce((s, v, j) => s + (v - a.test.x[i * 5 + j]!) ** 2, 0));
      if (dist.indexOf(Math.min(...dist)) === a.test.y[i]) correct++;
    }
    expect(correct / a.test.count).toBeGreaterThan(0.95);
  });

  it('makes spirals inside the unit disc, with extra noise features', async () => {
    const d = await loadDataset(dataset({ kind: 'synthetic', shape: 'spirals', samples: 500, features: 3, classes: 2 }), { seed: 0 });
    expect(d.train.sampleShape).toEqual([3]);
    expect(d.meta.classCounts.test).toEqual([50, 50]);
    for (let i = 0; i < d.train.count; i++) {
      expect(Math.hypot(d.train.x[i * 3]!, d.train.x[i * 3 + 1]!)).toBeLessThan(1.2);
    }
  });

  it('rejects impossible shapes', async () => {
    await expect(loadDataset(dataset({ kind: 'synthetic', shape: 'spirals', samples: 100, features: 1, classes: 2 }), { seed: 0 })).rejects.toThrow(
      /synthetic features must be a whole number of at least 2, got 1/,
    );
    await expect(loadDataset(dataset({ kind: 'synthetic', shape: 'blobs', samples: 10, features: 2, classes: 5 }), { seed: 0 })).rejects.toThrow(/too few/);
  });
});
