// What bnx refuses to read or to report at length: pipes and devices, files over the size limit, and past a
// point, more diagnostics.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkFile, checkText, formatDiagnostic, MAX_DIAGNOSTICS, MAX_SOURCE_BYTES } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'bnx-limits-'));
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

/**
 * A named pipe. Code that opens it for reading waits for a writer; so that a regression fails instead of
 * hanging the test run, a writer comes after 3 seconds and closes it at once (an empty read).
 */
const unblockers: ChildProcess[] = [];
function fifo(name: string): string {
  const path = join(dir, name);
  execFileSync('mkfifo', [path]);
  unblockers.push(spawn('sh', ['-c', `sleep 3; : > "${path}"`], { stdio: 'ignore' }));
  return path;
}
afterAll(() => {
  for (const child of unblockers) child.kill();
});

describe.skipIf(process.platform === 'win32')('pipes', () => {
  it('refuses a FIFO given to check at once, without waiting for a writer', () => {
    const path = fifo('pipe.bnx');
    const started = performance.now();
    const result = checkFile(path);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(result.diagnostics).toEqual([
      {
        severity: 'error',
        code: 'E0109',
        message: `cannot read '${path}': it is a pipe (FIFO), not a .bnx source file; bnx reads only regular files (save the text to a file first)`,
      },
    ]);
  });

  it('refuses an import of a FIFO at the import line', () => {
    fifo('imported-pipe.bnx');
    const root = write('imports-pipe.bnx', 'import "imported-pipe.bnx"\n');
    const started = performance.now();
    const result = checkFile(root);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ code: 'E0109', range: { file: root, start: { line: 1, column: 8 } } });
    expect(result.diagnostics[0]!.message).toContain('it is a pipe (FIFO)');
  });
});

describe('files that are not .bnx source', () => {
  it('refuses a named file not called .bnx without showing any of its lines', () => {
    const secret = write('passwd', 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n');
    const result = checkFile(secret);
    expect(result.diagnostics).toEqual([
      { severity: 'error', code: 'E0109', message: `cannot read '${secret}': bnx reads only .bnx source files (its name must end in .bnx)` },
    ]);
    expect(result.sources.size).toBe(0);
  });

  it('refuses a .bnx name that is a symbolic link to another kind of file', () => {
    const secret = write('secret.txt', 'root:x:0:0:root:/root:/bin/bash\n');
    const link = join(dir, 'link-to-secret.bnx');
    symlinkSync(secret, link);
    const result = checkFile(link);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['E0109']);
    expect(JSON.stringify(result.diagnostics)).not.toContain('root:x');
  });
});

describe('size', () => {
  const big = `model m {\n  input(4)\n${'  dense(4)  # a comment that takes room\n'.repeat(Math.ceil(MAX_SOURCE_BYTES / 40) + 10)}}\n`;

  it('refuses a file over the limit before reading it, naming the limit', () => {
    const path = write('big.bnx', big);
    const result = checkFile(path);
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ severity: 'error', code: 'E0120' });
    expect(result.diagnostics[0]!.message).toMatch(/^cannot read '.*big\.bnx': it is 256\.\d KiB \(\d+ bytes\); a \.bnx source file may be at most 256 KiB$/);
    expect(result.sources.size).toBe(0);
  });

  it('refuses text over the limit handed to checkText, and an import over it', () => {
    const direct = checkText(big, join(dir, 'direct.bnx'));
    expect(direct.diagnostics.map((d) => d.code)).toEqual(['E0120']);
    write('big-import.bnx', big);
    const viaImport = checkFile(write('imports-big.bnx', 'import "big-import.bnx"\n'));
    expect(viaImport.diagnostics.map((d) => [d.code, d.range?.start.line])).toEqual([['E0120', 1]]);
  });

  it('still reads a file just under the limit', () => {
    const layers = '  dense(4)\n'.repeat(9000);
    const text = `model m {\n  input(4)\n${layers}}\n${' '.repeat(MAX_SOURCE_BYTES - layers.length - 30)}\n`;
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_SOURCE_BYTES);
    expect(checkText(text, join(dir, 'under.bnx')).diagnostics).toEqual([]);
  });
});

describe('number of diagnostics', () => {
  it(`reports the first ${MAX_DIAGNOSTICS} and says how many more there are`, () => {
    // 300 unknown layers on one long line: once, each diagnostic printed the whole line.
    const text = `model m { input(4); ${'foo(1); '.repeat(300)}dense(2) }`;
    const result = checkText(text, join(dir, 'many.bnx'));
    expect(result.diagnostics).toHaveLength(MAX_DIAGNOSTICS + 1);
    expect(result.diagnostics.slice(0, MAX_DIAGNOSTICS).every((d) => d.code === 'E0103')).toBe(true);
    const last = result.diagnostics[MAX_DIAGNOSTICS]!;
    expect(last).toMatchObject({ severity: 'error', code: 'E0121' });
    expect(last.message).toBe(
      `250 more diagnostics (250 of them errors) are not shown; bnx stops after ${MAX_DIAGNOSTICS}: fix the ones above and check again`,
    );
    const printed = result.diagnostics.map((d) => formatDiagnostic(d, text)).join('\n');
    expect(printed.length).toBeLessThan(MAX_DIAGNOSTICS * 400);
  });
});

describe('list and plan sizes', () => {
  const experimentWith = (lines: string) =>
    [
      'dataset d {\n  source: synthetic(kind: blobs, samples: 100, features: 2, classes: 2)\n}',
      'model m {\n  input(2)\n  dense(2)\n}',
      'train t {\n  optimizer: sgd(lr: 0.1)\n  epochs: 1\n  batch: 10\n}',
      `experiment e {\n  data: d\n  train: t\n  variant a: m\n${lines}\n}\n`,
    ].join('\n');

  it('caps a written list of seeds like a range: 10,000 values at most', () => {
    const seeds = Array.from({ length: 10_001 }, (_, i) => i + 1).join(', ');
    const result = checkText(experimentWith(`  seeds: [${seeds}]`), join(dir, 'seeds.bnx'));
    expect(result.program).toBeUndefined();
    expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([['E0115', 'seeds has 10001 values; at most 10000 are allowed']]);
    const ok = checkText(experimentWith(`  seeds: [${seeds.slice(0, seeds.lastIndexOf(','))}]`), join(dir, 'seeds.bnx'));
    expect(ok.diagnostics).toEqual([]);
  });

  it('refuses a plan of over 10,000 runs at check, counted without expanding it', () => {
    const values = `[${Array.from({ length: 1000 }, (_, i) => (i + 1) / 1000).join(', ')}]`;
    const result = checkText(experimentWith(`  variant b: m\n  sweep lr: ${values}\n  sweep momentum: ${values}\n  seeds: 1..1000`), join(dir, 'plan.bnx'));
    expect(result.program).toBeUndefined();
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => [d.code, d.message, d.range?.start.line])).toEqual([
      ['E1214', "experiment 'e' expands to 2000000000 runs (2 variants × 1000 lr values × 1000 momentum values × 1000 seeds); at most 10000 are allowed", 13],
    ]);
  });
});

describe('sizes that cannot be allocated', () => {
  const file = (train: string, model = 'dense(4)\n  relu\n  dense(2)', samples = 400) =>
    [
      `dataset d {\n  source: synthetic(kind: blobs, samples: ${samples}, features: 2, classes: 2)\n}`,
      `model m {\n  input(2)\n  ${model}\n}`,
      `train t {\n  optimizer: sgd(lr: 0.1)\n  epochs: 1\n  ${train}\n}`,
      'experiment e {\n  data: d\n  train: t\n  variant a: m\n  variant b: m with batchnorm\n}\n',
    ].join('\n');
  const errors = (text: string) =>
    checkText(text, join(dir, 'sizes.bnx'))
      .diagnostics.filter((d) => d.severity !== 'info')
      .map((d) => [d.code, `${d.range?.start.line}:${d.range?.start.column}`, d.message, d.hint]);

  it('refuses batch: 1e12 at check (it was a warning, then run died with "Invalid typed array length")', () => {
    expect(errors(file('batch: 1e12'))).toEqual([
      [
        'E1215',
        '13:10',
        "batch 1,000,000,000,000 of model 'm+bn' (16 values per sample: its input and every layer's output) is 16,000,000,000,000 values; at most 268,435,456 fit in memory for one batch",
        'a batch of at most 16,777,216 fits',
      ],
    ]);
    // Up to the limit it stays a warning that the batch is larger than the data.
    expect(errors(file('batch: 16777216')).map((d) => d[0])).toEqual(['W1213']);
    expect(errors(file('batch: 16777217')).map((d) => d[0])).toEqual(['E1215']);
  });

  it('refuses a sweep value over the limit, at that value', () => {
    const text = file('batch: 32').replace('variant b: m with batchnorm', 'variant b: m with batchnorm\n  sweep batch: [32, 1e9]');
    expect(errors(text).map((d) => [d[0], d[1]])).toEqual([['E1215', '20:21']]);
  });

  it('refuses dense(1e9) at the layer, naming the parameter limit', () => {
    expect(errors(file('batch: 32', 'dense(1e9)\n  relu\n  dense(2)'))).toEqual([
      [
        'E1215',
        '6:3',
        "model 'm' has 5,000,000,002 parameters (dense_1 holds 3,000,000,000); at most 100,000,000 can be trained",
        'use fewer units or filters',
      ],
      [
        'E1215',
        '13:10',
        "batch 32 of model 'm+bn' (3,000,000,004 values per sample: its input and every layer's output) is 96,000,000,128 values; at most 268,435,456 fit in memory for one batch",
        'one sample alone makes more values than that: the model is too large',
      ],
    ]);
  });

  it('refuses a generated dataset that cannot be held in memory', () => {
    expect(errors(file('batch: 32', undefined, 1e12))[0]).toEqual([
      'E1215',
      '2:11',
      'synthetic samples × features is 1,000,000,000,000 × 2 = 2,000,000,000,000 values; at most 1,073,741,824 fit in memory',
      undefined,
    ]);
  });
});

describe('run ids', () => {
  it('refuses sweep values that would give two runs one id, at the second value', () => {
    // Both became optimizer=sgd_lr__1___10_; one run's results overwrote the other's.
    const text = [
      'dataset d {\n  source: synthetic(kind: blobs, samples: 100, features: 2, classes: 2)\n}',
      'model m {\n  input(2)\n  dense(2)\n}',
      'train t {\n  optimizer: sgd(lr: 0.1)\n  epochs: 1\n  batch: 10\n}',
      'experiment e {\n  data: d\n  train: t\n  variant a: m\n  sweep optimizer: [sgd(lr: 1/10), sgd(lr: 1*10)]\n}\n',
    ].join('\n');
    const result = checkText(text, join(dir, 'ids.bnx'));
    expect(result.program).toBeUndefined();
    expect(result.diagnostics).toHaveLength(1);
    const [d] = result.diagnostics;
    expect(d).toMatchObject({
      code: 'E1210',
      range: { start: { line: 17, column: 36 } },
      related: [{ message: 'sgd(lr: 1 / 10) is here', range: { start: { line: 17, column: 21 } } }],
    });
    expect(d!.message).toBe(
      "sweep optimizer values sgd(lr: 1 / 10) and sgd(lr: 1 * 10) give their runs the same id part 'optimizer=sgd_lr__1___10_': one run's results would overwrite the other's",
    );
    // Written as numbers they differ, and both run.
    expect(checkText(text.replace('1/10', '0.1').replace('1*10', '10'), join(dir, 'ids.bnx')).diagnostics).toEqual([]);
  });
});
