import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { splitCsvLine } from './csv.js';
import { loadDataset } from './load.js';
import { dataset, tempDir } from './testing/fixtures.js';

const tmp = tempDir();
afterAll(tmp.cleanup);

let n = 0;
function csv(text: string | Buffer): string {
  const file = join(tmp.dir, `f${n++}.csv`);
  writeFileSync(file, text);
  return file;
}
const load = (file: string, label = 'y') => loadDataset(dataset({ kind: 'csv', file, label }), { seed: 0 });

describe('csv source', () => {
  it('reads numeric features with a header and takes a fixed stratified 20% test split', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => `${i},${i % 2},${-i * 0.5}`);
    const file = csv(`a,"y",b\r\n${rows.join('\r\n')}\r\n\r\n`);
    const d = await load(file);
    expect(d.train.count).toBe(16);
    expect(d.test.count).toBe(4);
    expect(d.train.sampleShape).toEqual([2]);
    expect(d.train.numClasses).toBe(2);
    expect(d.meta.classCounts.test).toEqual([2, 2]);
    for (const split of [d.train, d.test]) {
      for (let i = 0; i < split.count; i++) {
        const a = split.x[2 * i]!;
        expect(split.y[i]).toBe(a % 2);
        expect(split.x[2 * i + 1]! + a * 0.5).toBe(0);
      }
    }
    expect(Array.from((await load(file)).test.x)).toEqual(Array.from(d.test.x));
  });

  it('names the line of a missing or non-numeric value', async () => {
    await expect(load(csv('a,y\n1,0\n2,1\n,0\n'))).rejects.toThrow(/line 4: missing value in column 'a'/);
    await expect(load(csv('a,y\n1,0\n2,abc\n'))).rejects.toThrow(/line 3: value 'abc' in column 'y' is not a number/);
    await expect(load(csv('a,y\n1,0\n2\n'))).rejects.toThrow(/line 3: 1 values, but the header has 2 columns/);
    await expect(load(csv('a,y\n1,0.5\n'))).rejects.toThrow(/line 2: label '0.5' in column 'y' is not a class index/);
  });

  it('names a missing label column, a missing file, an empty file', async () => {
    await expect(load(csv('a,b\n1,0\n'), 'label')).rejects.toThrow(/has no column 'label' for the label \(columns: a, b\)/);
    await expect(load(join(tmp.dir, 'missing.csv'))).rejects.toThrow(/csv file not found: .*missing\.csv/);
    await expect(load(csv('a,y\n'))).rejects.toThrow(/has a header but no data rows/);
    await expect(load(csv('a,y\n1,0\n2,1\n'))).rejects.toThrow(/has 2 data rows: too few for a test split of 20%/);
  });

  it('names the line where a file stops being UTF-8 text, instead of reading binary data as a header', async () => {
    await expect(load(csv(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00])))).rejects.toThrow(
      /line 1: binary data \(a zero byte\); expected comma-separated text$/,
    );
    await expect(load(csv('a,y\n1,0\n2,1\n3,\u0000\n'))).rejects.toThrow(/line 4: binary data/);
    await expect(load(csv(Buffer.from('a,y\n1,0\n2,\xe9\n', 'latin1')))).rejects.toThrow(/line 3: not UTF-8 text; save the file as UTF-8$/);
  });

  it('lists at most 12 columns when the label column is missing', async () => {
    const header = Array.from({ length: 40 }, (_, i) => `c${i}`).join(',');
    await expect(load(csv(`${header}\n${Array(40).fill(0).join(',')}\n`), 'label')).rejects.toThrow(/\(columns: c0, c1, .*, c11, … \(40 in all\)\)$/);
  });

  it('splits quoted fields', () => {
    expect(splitCsvLine('"a,b", c ,"say ""hi"""')).toEqual(['a,b', 'c', 'say "hi"']);
    expect(splitCsvLine('"open')).toBeNull();
  });

  it('refuses a label past the class limit, naming the cell, instead of running out of memory', async () => {
    // A label of 1000000000 made the split allocate a billion class counters: Node aborted with exit 134.
    const file = csv('a,y\n1,0\n2,1\n3,1000000000\n4,0\n5,1\n');
    await expect(load(file)).rejects.toThrow(
      `csv file ${file} line 4, column 2 ('y'): label 1000000000 is not a class index of at most 10,000 classes (0 to 9,999)`,
    );
    await expect(load(file)).rejects.toMatchObject({ code: 'E_DATA_LABEL' });
    const rows = Array.from({ length: 10 }, (_, i) => `${i},${i % 2 === 0 ? 0 : 9999}`).join('\n');
    expect((await load(csv(`a,y\n${rows}\n`))).train.numClasses).toBe(10_000);
  });

  it('refuses a header that names two columns alike, naming both', async () => {
    await expect(load(csv('y,a,y\n0,1,1\n1,2,0\n'))).rejects.toThrow(/line 1: columns 1 and 3 are both named 'y'; every column needs its own name/);
    await expect(load(csv('a,y,"a"\n1,0,2\n'))).rejects.toThrow(/line 1: columns 1 and 3 are both named 'a'/);
  });

  it.skipIf(process.platform === 'win32')('refuses a named pipe without waiting for a writer', async () => {
    const fifo = join(tmp.dir, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    // Should a regression open it, a writer comes after 3 seconds, so the test fails instead of hanging.
    const unblock = spawn('sh', ['-c', `sleep 3; : > "${fifo}"`], { stdio: 'ignore' });
    try {
      await expect(load(fifo)).rejects.toThrow(`csv path is not a file: ${fifo}`);
    } finally {
      unblock.kill();
    }
  });
});
