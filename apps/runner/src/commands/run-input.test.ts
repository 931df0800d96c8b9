// `bnx run` on bad input, through the CLI as a user types it: every case gets a short error that names the
// flag, file or line at fault, exit 1 (2 for a usage error), no stack trace and no "bug in bnx" line, and
// nothing is trained or overwritten before a bad path is noticed.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { resultsSchemaErrors } from '../results/validate-results.js';
import { workerScript } from '../run/execute-parallel.js';
import { runCli, type CliOutcome } from './testing/capture.js';

const tiny = fileURLToPath(new URL('./__fixtures__/tiny-blobs.bnx', import.meta.url));
const quick = ['--set', 'epochs=1', '--seeds', '1', '--quiet'];
const root = mkdtempSync(join(tmpdir(), 'bnx-run-input-'));
let n = 0;
const fresh = () => join(root, `out-${n++}`);
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A user error: one short message on stderr, nothing on stdout, exit 1, no trace and no "bug" line. */
function expectUserError(outcome: CliOutcome, message: string | RegExp, lines = 1): void {
  expect(outcome.stderr).not.toMatch(/looks like a bug|\n\s+at /);
  expect(outcome.code, outcome.stderr).toBe(1);
  expect(outcome.stdout).toBe('');
  if (typeof message === 'string') expect(outcome.stderr).toContain(message);
  else expect(outcome.stderr).toMatch(message);
  expect(outcome.stderr.trimEnd().split('\n').length).toBeLessThanOrEqual(lines);
}

describe('bnx run: output paths are checked before any training', () => {
  it('--out that is a regular file: an error, and the file is kept', async () => {
    const file = join(root, 'notes.txt');
    writeFileSync(file, 'keep');
    expectUserError(await runCli(['run', tiny, ...quick, '--out', file]), `bnx: --out: ${file} is a file, not a directory`);
    expectUserError(
      await runCli(['run', tiny, ...quick, '--out', join(file, 'sub')]),
      `bnx: --out: ${file} is a file, not a directory (on the way to ${join(file, 'sub')})`,
    );
    expect(readFileSync(file, 'utf8')).toBe('keep');
  });

  it.skipIf(!existsSync('/proc/self'))('--out where no directory can be made fails at once (it used to hang)', async () => {
    expectUserError(
      await runCli(['run', tiny, ...quick, '--out', '/proc/bnx-x']),
      'bnx: --out: cannot create the directory /proc/bnx-x (this location does not accept new directories)',
    );
  });

  it('--export and --tensorboard pointing at a file fail before training, not after', async () => {
    const file = join(root, 'model.onnx');
    writeFileSync(file, 'keep');
    for (const flag of ['--export', '--tensorboard']) {
      const out = fresh();
      expectUserError(await runCli(['run', tiny, ...quick, '--out', out, flag, file]), `bnx: ${flag}: ${file} is a file, not a directory`);
      expect(existsSync(out)).toBe(false); // made for this start, and removed as it failed
    }
    expect(readFileSync(file, 'utf8')).toBe('keep');
  });

  it('--out that holds reports of something else is refused; one where a start failed before any run is reused', async () => {
    const reports = fresh();
    mkdirSync(reports);
    writeFileSync(join(reports, 'report.md'), 'mine');
    expectUserError(
      await runCli(['run', tiny, ...quick, '--out', reports]),
      `bnx: --out ${reports}: already holds report.md, which bnx run would overwrite; choose a new or empty directory`,
    );
    expect(readFileSync(join(reports, 'report.md'), 'utf8')).toBe('mine');

    // A start that stopped at a data error leaves no half-made folder: the one it made is gone, one that was
    // there is left as it was; and an older bnx's leftover plan.json does not stop a new start.
    const dir = join(root, 'late-data');
    mkdirSync(dir);
    const bnx = join(dir, 'csv.bnx');
    writeFileSync(
      bnx,
      readFileSync(tiny, 'utf8')
        .replace(/source: .*/, 'source: csv("blobs.csv", label: "y")')
        .replace('validation: 120', 'validation: 0.2')
        .replace('input(8)', 'input(2)'),
    );
    const out = join(dir, 'out');
    expectUserError(await runCli(['run', bnx, ...quick, '--out', out]), /csv file not found: .*blobs\.csv/);
    expect(existsSync(out)).toBe(false);
    mkdirSync(out);
    expectUserError(await runCli(['run', bnx, ...quick, '--out', out]), /csv file not found: .*blobs\.csv/);
    expect(readdirSync(out)).toEqual([]);
    writeFileSync(join(out, 'plan.json'), '{}');
    writeFileSync(
      join(dir, 'blobs.csv'),
      `a,b,y\n${Array.from({ length: 60 }, (_, i) => `${(i % 3) + Math.sin(i) / 4},${(i % 3) - Math.cos(i) / 4},${i % 3}`).join('\n')}\n`,
    );
    const again = await runCli(['run', bnx, ...quick, '--out', out]);
    expect(again.code, again.stderr).toBe(0);
  });
});

describe('bnx run --resume on directories that are not a resumable run', () => {
  let done: string;
  beforeAll(async () => {
    done = fresh();
    const first = await runCli(['run', tiny, ...quick, '--out', done]);
    expect(first.code, first.stderr).toBe(0);
  });
  const copy = (files: Record<string, string>) => {
    const dir = fresh();
    mkdirSync(join(dir, 'runs'), { recursive: true });
    for (const name of ['plan.json', 'results.json', ...readdirSync(join(done, 'runs')).map((f) => `runs/${f}`)])
      writeFileSync(join(dir, name), readFileSync(join(done, name)));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  };

  it('refuses to continue on another backend, device or engine, even with results.json gone', async () => {
    const dir = copy({});
    const message = `bnx: --resume ${dir}: its runs were trained with onnx on cpu, and this run would use tfjs on cpu (wasm); resume with --backend onnx --device cpu, so that no comparison mixes backends`;
    expectUserError(await runCli(['run', tiny, ...quick, '--resume', dir, '--backend', 'tfjs']), message);
    rmSync(join(dir, 'results.json'));
    expectUserError(await runCli(['run', tiny, ...quick, '--resume', dir, '--backend', 'tfjs', '--engine', 'cpu']), message.replace('(wasm)', '(cpu)'));
    expect(readdirSync(join(dir, 'runs')).sort()).toEqual(readdirSync(join(done, 'runs')).sort());
  });

  it('names a missing directory, a file, and a damaged plan.json', async () => {
    const missing = join(root, 'nope');
    expectUserError(await runCli(['run', tiny, ...quick, '--resume', missing]), `bnx: --resume ${missing}: no such directory`);
    const file = join(root, 'file.txt');
    writeFileSync(file, 'x');
    expectUserError(await runCli(['run', tiny, ...quick, '--resume', file]), `bnx: --resume ${file}: it is a file; pass the directory that \`bnx run\` wrote`);
    const emptyPlan = copy({ 'plan.json': '{}' });
    expectUserError(await runCli(['run', tiny, ...quick, '--resume', emptyPlan]), `bnx: ${join(emptyPlan, 'plan.json')}: not a plan written by \`bnx run\``);
    const truncated = copy({ 'plan.json': readFileSync(join(done, 'plan.json'), 'utf8').slice(0, 200) });
    expectUserError(
      await runCli(['run', tiny, ...quick, '--resume', truncated]),
      new RegExp(`^bnx: ${escapeRegExp(join(truncated, 'plan.json'))}: not valid JSON \\(.*: the file ends early \\(truncated\\?\\)\\)$`, 'm'),
    );
  });

  it('rebuilds a damaged results.json from the run records instead of refusing', async () => {
    const dir = copy({ 'results.json': '{"schema": "bnx.results/1", "runs": [' });
    const { code, stderr } = await runCli(['run', tiny, ...quick, '--resume', dir]);
    expect(code, stderr).toBe(0);
    expect(stderr).toContain(`bnx: warning: ${join(dir, 'results.json')}: not valid JSON`);
    expect(stderr).toContain(`bnx: --resume rebuilds results.json from the run records in ${join(dir, 'runs')}`);
    const rebuilt = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(resultsSchemaErrors(rebuilt)).toEqual([]);
    expect(rebuilt.runs).toHaveLength(4);
  });

  it('a damaged run record is named, with what to do', async () => {
    const dir = copy({});
    const record = readdirSync(join(dir, 'runs'))[0]!;
    writeFileSync(join(dir, 'runs', record), readFileSync(join(done, 'runs', record), 'utf8').slice(0, 100));
    expectUserError(
      await runCli(['run', tiny, ...quick, '--resume', dir]),
      new RegExp(`runs/${record.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON \\(.*\\); delete it to rerun that run`),
    );
  });

  it('a run record of valid JSON but the wrong shape is named with what is wrong, not a crash', async () => {
    const dir = copy({});
    const name = readdirSync(join(dir, 'runs')).sort()[0]!;
    const record = JSON.parse(readFileSync(join(done, 'runs', name), 'utf8'));
    writeFileSync(join(dir, 'runs', name), JSON.stringify({ ...record, history: { step: 1 }, status: 'done' }));
    const path = escapeRegExp(join(dir, 'runs', name));
    expectUserError(
      await runCli(['run', tiny, ...quick, '--resume', dir]),
      new RegExp(
        `^bnx: ${path}: not a valid run record \\(status: must be equal to one of the allowed values \\(completed, diverged, failed, interrupted\\); history: must be array\\); delete it to rerun that run$`,
        'm',
      ),
    );
    writeFileSync(join(dir, 'runs', name), JSON.stringify({ ...record, id: 'someone_else' }));
    expectUserError(
      await runCli(['run', tiny, ...quick, '--resume', dir]),
      `bnx: ${join(dir, 'runs', name)}: holds the record of run 'someone_else', not of '${name.slice(0, -5)}'; delete it to rerun that run`,
    );
  });

  it('--out beside --resume is a usage error (exit 2), not silently ignored', async () => {
    const { code, stderr } = await runCli(['run', tiny, ...quick, '--resume', done, '--out', fresh()]);
    expect(code).toBe(2);
    expect(stderr).toContain("option '--out <dir>' cannot be used with option '--resume <dir>'");
  });
});

describe('bnx run flags', () => {
  it('--engine names the engines the backend has', async () => {
    expectUserError(
      await runCli(['run', tiny, ...quick, '--engine', 'gpu']),
      'bnx: --engine gpu: the onnx backend has no engines to choose from (--engine is for --backend tfjs); choose its device with --device',
    );
    expectUserError(
      await runCli(['run', tiny, ...quick, '--backend', 'tfjs', '--engine', 'gpu']),
      "bnx: --engine 'gpu': the tfjs backend's engines are wasm, cpu, node",
    );
  });

  it('--device auto without CUDA says so in one short line, without advising --device auto', async () => {
    const { code, stderr } = await runCli(['run', tiny, '--set', 'epochs=1', '--seeds', '1', '--device', 'auto', '--json', '--out', fresh()]);
    expect(code, stderr).toBe(0);
    expect(stderr).toBe('');
    const shown = await runCli(['run', tiny, '--set', 'epochs=1', '--seeds', '1', '--device', 'auto', '--out', fresh()]);
    const lines = shown.stderr.split('\n').filter((l) => l.includes('--device auto'));
    if (lines.length === 0) return; // a machine where CUDA works: nothing falls back
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^bnx: --device auto: training on cpu; cuda is not available: [^()]*(\([^()]*\))?$/);
    expect(lines[0]!.length).toBeLessThan(160);
    expect(shown.stderr).not.toContain('BNX_DEVICE_FALLBACK');
  });

  it('an empty path is refused instead of writing into the current directory', async () => {
    for (const flag of ['--out', '--resume', '--export', '--tensorboard']) {
      expectUserError(await runCli(['run', tiny, ...quick, flag, '']), `bnx: ${flag}: expected a path, got an empty string`);
    }
    expect(existsSync(join(process.cwd(), 'plan.json'))).toBe(false);
  });

  it('--seeds problems name the flag', async () => {
    expectUserError(await runCli(['run', tiny, '--seeds', '-1', '--quiet']), "bnx: --seeds '-1': seeds are whole numbers from 0 up; -1 is negative");
    expectUserError(
      await runCli(['run', tiny, '--seeds', '1..100000000', '--quiet']),
      "bnx: --seeds '1..100000000': 1..100000000 has 100000000 seeds; at most 10000 are allowed",
    );
    expectUserError(await runCli(['run', tiny, '--seeds', '1,1', '--quiet']), "bnx: --seeds '1,1': seed 1 is listed twice");
  });

  it("prints the plan's warnings before training (a batch larger than the training split) and runs anyway", async () => {
    const out = fresh();
    const { code, stdout, stderr } = await runCli(['run', tiny, ...quick, '--set', 'batch=600', '--out', out]);
    expect(code, stderr).toBe(0);
    expect(stderr).toContain(
      "bnx: warning[W1213]: --set batch=600: batch 600 is larger than the 480 training samples of dataset 'blobs': every epoch is one batch of 480",
    );
    expect(stdout).toContain('completed');
    expect(existsSync(join(out, 'results.json'))).toBe(true);
  });

  it.skipIf(!existsSync(fileURLToPath(workerScript())))(
    '--jobs beyond the CPU cores is capped, with a note',
    async () => {
      const jobs = String(availableParallelism() + 1);
      const { code, stderr } = await runCli(['run', tiny, '--set', 'epochs=1', '--seeds', '1', '--jobs', jobs, '--out', fresh()]);
      expect(code, stderr).toBe(0);
      expect(stderr).toContain(`bnx: --jobs ${jobs}: this machine has ${availableParallelism()} CPU core`);
    },
    60_000,
  );
});

describe('bnx run on bad data files', () => {
  const dir = join(root, 'data');
  mkdirSync(dir, { recursive: true });
  /** A .bnx file whose dataset is `source` and whose model takes `input`. */
  const program = (name: string, source: string, input: string, classes = 3) => {
    const path = join(dir, `${name}.bnx`);
    writeFileSync(
      path,
      `dataset d {\n  source: ${source}\n  validation: 0.1\n}\nmodel m {\n  input(${input})\n  flatten\n  dense(${classes})\n}\ntrain t {\n  optimizer: sgd(lr: 0.1)\n  loss: cross_entropy\n  epochs: 1\n  batch: 8\n}\nexperiment e {\n  data: d\n  train: t\n  variant a: m\n  seeds: 1\n}\n`,
    );
    return path;
  };
  const file = (name: string, bytes: string | Buffer) => {
    writeFileSync(join(dir, name), bytes);
    return name;
  };
  const idx = (dims: number[], magic = 0x0800 | dims.length, cut?: number) => {
    const header = Buffer.alloc(4 + 4 * dims.length);
    header.writeUInt32BE(magic, 0);
    dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
    const bytes = Buffer.concat([
      header,
      Buffer.alloc(
        dims.reduce((a, b) => a * b, 1),
        1,
      ),
    ]);
    return cut === undefined ? bytes : bytes.subarray(0, cut);
  };
  const idxSource = (images: string) =>
    `idx(train_images: "${images}", train_labels: "${file('tl.idx', idx([20]))}", test_images: "${file('si.idx', idx([10, 4, 4]))}", test_labels: "${file('sl.idx', idx([10]))}")`;
  const where = (name: string) => `bnx: dataset 'd' (${join(dir, `${name}.bnx`)}:1:1): `;

  it.each([
    ['csv-missing', 'csv("missing.csv", label: "y")', '2', 3, `csv file not found: ${join(dir, 'missing.csv')}`],
    ['csv-header-only', `csv("${file('header.csv', 'a,b,y\n')}", label: "y")`, '2', 3, `csv file ${join(dir, 'header.csv')} has a header but no data rows`],
    [
      'csv-not-a-number',
      `csv("${file('text.csv', 'a,b,y\n1,2,0\n3,4,1\n5,x,2\n')}", label: "y")`,
      '2',
      3,
      `csv file ${join(dir, 'text.csv')} line 4: value 'x' in column 'b' is not a number`,
    ],
    [
      'csv-binary',
      `csv("${file('image.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]))}", label: "y")`,
      '2',
      3,
      `csv file ${join(dir, 'image.csv')} line 3: binary data (a zero byte); expected comma-separated text`,
    ],
    [
      'idx-magic',
      idxSource(file('magic.idx', idx([20, 4, 4], 1234))),
      '4, 4',
      3,
      `train_images file ${join(dir, 'magic.idx')} has IDX magic number 1234 (0x000004d2), expected 2051 or 2052`,
    ],
    [
      'idx-truncated',
      idxSource(file('cut.idx', idx([20, 4, 4], undefined, 100))),
      '4, 4',
      3,
      `train_images file ${join(dir, 'cut.idx')} is truncated: its header promises 20x4x4 = 320 bytes of data but the file holds 84`,
    ],
    ['cifar-missing', 'cifar10(dir: "no-cifar")', '3, 32, 32', 10, `cifar10 dir not found: ${join(dir, 'no-cifar')} (expected a folder`],
    ['cifar-file', `cifar10(dir: "${file('cifar.tar', 'x')}")`, '3, 32, 32', 10, `cifar10 dir ${join(dir, 'cifar.tar')} is a file; expected the folder`],
  ])('%s', async (name, source, input, classes, message) => {
    expectUserError(await runCli(['run', program(name, source, input, classes), '--quiet', '--out', fresh()]), `${where(name)}${message}`);
  });

  it('a model that does not fit what the data files hold: the check diagnostics, at the input and the last layer', async () => {
    const csv = `csv("${file('three-classes.csv', 'a,b,y\n1,2,0\n3,4,1\n5,6,2\n7,8,0\n1,1,1\n2,2,2\n3,3,0\n4,4,1\n5,5,2\n6,6,0\n')}", label: "y")`;
    const path = program('csv-misfit', csv, '3', 4);
    for (const jobs of ['1', '2']) {
      const outcome = await runCli(['run', path, '--quiet', '--jobs', jobs, '--out', fresh()]);
      expectUserError(
        outcome,
        `${path}:6:3: error[E1502]: model 'm' takes input (3) but dataset 'd' gives samples of shape (2)\n 6 |   input(3)\n   |   ^~~~~~~~`,
        6,
      );
      expect(outcome.stderr).toContain(
        `${path}:8:3: error[E1501]: the last layer of model 'm' gives 4 outputs but dataset 'd' has 3 classes; cross_entropy needs one logit per class\n 8 |   dense(4)`,
      );
    }
  });
});

describe('bnx run: sizes that cannot be allocated are refused as bnx check refuses them', () => {
  it('batch: 1e12 and dense(1e9) fail check and run alike, before anything is trained', async () => {
    const text = readFileSync(tiny, 'utf8');
    const cases = [
      write('huge-batch.bnx', text.replace(/batch: \d+/, 'batch: 1e12').replace(/\n  sweep batch: .*/, '')),
      write('huge-dense.bnx', text.replace(/dense\((\d+)\)/, 'dense(1e9)')),
    ];
    for (const file of cases) {
      const check = await runCli(['check', file]);
      expect(check.code, check.stderr).toBe(1);
      expect(check.stderr).toContain('error[E1215]');
      const out = fresh();
      const run = await runCli(['run', file, '--seeds', '1', '--quiet', '--out', out]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('error[E1215]');
      expect(run.stderr).not.toMatch(/Invalid typed array length|looks like a bug/);
      expect(existsSync(join(out, 'runs'))).toBe(false);
    }
  });
});

function write(name: string, text: string): string {
  const path = join(root, name);
  writeFileSync(path, text);
  return path;
}
