// `bnx run` end to end on a few-second synthetic experiment (ONNX Runtime on CPU): files written, schema
// valid, resume equals an uninterrupted run, interruption keeps finished runs and exits 130.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ResultsFile } from '@bnx/metrics';
import { resultsSchemaErrors } from '../results/validate-results.js';
import { workerScript } from '../run/execute-parallel.js';
import { EXIT_INTERRUPTED, type RunCommandOptions } from './run.js';
import { runProgram } from '../run/run-experiment.js';
import { tinyProgram } from './testing/tiny-program.js';
import { runCli } from './testing/capture.js';
import { LOCK_FILE } from '../files/output-lock.js';

const base = (out: string, extra: Partial<RunCommandOptions> = {}): RunCommandOptions => ({
  backend: 'onnx',
  device: 'cpu',
  set: [],
  jobs: '1',
  out,
  quiet: true,
  ...extra,
});
const read = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResultsFile;

/** The numbers of each run, without wall-clock timings. */
function numbers(results: ResultsFile) {
  return results.runs.map((r) => ({
    id: r.id,
    status: r.status,
    history: r.history.map(({ seconds: _s, ...h }) => h),
    test: r.test,
    probes: r.probes,
    step_losses: r.step_losses,
  }));
}

describe('bnx run', () => {
  let out: string;
  let first: ResultsFile;
  const stdout: string[] = [];
  beforeAll(async () => {
    out = join(mkdtempSync(join(tmpdir(), 'bnx-run-')), 'tiny');
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      stdout.push(String(chunk));
      return true;
    });
    try {
      expect(await runProgram(tinyProgram(), new Map(), base(out))).toBe(0);
    } finally {
      spy.mockRestore();
    }
    first = read(out);
  });
  afterEach(() => vi.restoreAllMocks());

  it('writes every output file, one record per run, and a schema-valid results.json', () => {
    expect(readdirSync(out).sort()).toEqual(['figures', 'metrics.csv', 'plan.json', 'report.html', 'report.md', 'results.json', 'runs']);
    expect(readdirSync(join(out, 'runs'))).toHaveLength(8);
    expect(resultsSchemaErrors(first)).toEqual([]);
    expect(first.runs.map((r) => r.status)).toEqual(Array(8).fill('completed'));
    expect(first.summary).toHaveLength(4);
    expect(first.backend).toBe('onnx');
    expect(readFileSync(join(out, 'metrics.csv'), 'utf8').trim().split('\n').length).toBe(1 + first.runs.reduce((n, r) => n + r.history.length, 0));
    expect(stdout.join('')).toContain(`report: ${join(out, 'report.html')}`);
  });

  it('refuses to overwrite an existing results directory', async () => {
    await expect(runProgram(tinyProgram(), new Map(), base(out))).rejects.toThrow(/already holds an experiment's results; pass --resume/);
  });

  it('--resume runs only what is missing and gives the same results', async () => {
    for (const id of [first.runs[1]!.id, first.runs[6]!.id]) rmSync(join(out, 'runs', `${id}.json`));
    const before = new Map(readdirSync(join(out, 'runs')).map((f) => [f, readFileSync(join(out, 'runs', f), 'utf8')]));
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    expect(await runProgram(tinyProgram(), new Map(), base(out, { resume: out, out: undefined }))).toBe(0);
    // Records that existed were not rewritten.
    for (const [f, text] of before) expect(readFileSync(join(out, 'runs', f), 'utf8')).toBe(text);
    const resumed = read(out);
    expect(numbers(resumed)).toEqual(numbers(first));
    expect(resumed.comparisons.map((c) => [c.metric, c.difference, c.p_value])).toEqual(first.comparisons.map((c) => [c.metric, c.difference, c.p_value]));
  });

  it('--resume with different flags is refused', async () => {
    await expect(runProgram(tinyProgram(), new Map(), base(out, { resume: out, set: ['epochs=1'] }))).rejects.toThrow(/different plan/);
  });

  it('stops on request: keeps finished runs, marks the current one interrupted, exits 130', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'bnx-run-')), 'stopped');
    const controller = new AbortController();
    const poll = setInterval(() => {
      if (existsSync(join(dir, 'runs')) && readdirSync(join(dir, 'runs')).filter((f) => f.endsWith('.json')).length >= 2) controller.abort();
    }, 5);
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const code = await runProgram(tinyProgram(), new Map(), base(dir), { signal: controller.signal }).finally(() => clearInterval(poll));
    expect(code).toBe(EXIT_INTERRUPTED);
    const results = read(dir);
    expect(resultsSchemaErrors(results)).toEqual([]);
    const statuses = results.runs.map((r) => r.status);
    expect(statuses.filter((s) => s === 'completed').length).toBeGreaterThanOrEqual(2);
    // Finished runs are kept; a run cut short is recorded as interrupted, never as completed or failed.
    expect(statuses.every((s) => s === 'completed' || s === 'interrupted')).toBe(true);
    for (const r of results.runs.filter((x) => x.status === 'interrupted'))
      expect(r.history.length).toBeLessThan(first.runs.find((f) => f.id === r.id)!.history.length);
    expect(statuses.length).toBeLessThan(8);
    expect(existsSync(join(dir, 'report.html'))).toBe(true);
    // Resuming finishes the experiment with the same numbers as the uninterrupted run.
    expect(await runProgram(tinyProgram(), new Map(), base(dir, { resume: dir, out: undefined }))).toBe(0);
    expect(numbers(read(dir))).toEqual(numbers(first));
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('stops on %s: keeps finished runs, exits %i', async (signal, status) => {
    const dir = join(mkdtempSync(join(tmpdir(), 'bnx-run-')), signal);
    const poll = setInterval(() => {
      if (existsSync(join(dir, 'runs')) && readdirSync(join(dir, 'runs')).filter((f) => f.endsWith('.json')).length >= 2) {
        clearInterval(poll);
        process.emit(signal, signal);
      }
    }, 5);
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const code = await runProgram(tinyProgram(), new Map(), base(dir)).finally(() => clearInterval(poll));
    expect(code).toBe(status);
    const statuses = read(dir).runs.map((r) => r.status);
    expect(statuses.filter((s) => s === 'completed').length).toBeGreaterThanOrEqual(2);
    expect(statuses.length).toBeLessThan(8);
    expect(process.listenerCount(signal)).toBe(0);
  });

  it('holds the --out folder: a second run, a resume and a report into it are refused while it trains', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'bnx-run-')), 'shared');
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const first = runProgram(tinyProgram(), new Map(), base(dir, { set: ['epochs=1'] }));
    while (!existsSync(join(dir, 'plan.json'))) await new Promise((r) => setTimeout(r, 2));
    const inUse = new RegExp(`${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is in use by bnx run \\(process ${process.pid}, since `);
    await expect(runProgram(tinyProgram(), new Map(), base(dir, { set: ['epochs=1'] }))).rejects.toThrow(inUse);
    await expect(runProgram(tinyProgram(), new Map(), base(dir, { set: ['epochs=1'], resume: dir, out: undefined }))).rejects.toThrow(inUse);
    const report = await runCli(['report', dir]);
    expect(report.code).toBe(1);
    expect(report.stderr).toMatch(inUse);
    expect(await first).toBe(0);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    expect(read(dir).runs.map((r) => r.status)).toEqual(Array(8).fill('completed'));
    expect((await runCli(['report', dir])).code).toBe(0);
  });

  it('prints one line per evaluation as it happens when not on a terminal', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'bnx-run-')), 'plain');
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation((c) => {
      lines.push(...String(c).split('\n').filter(Boolean));
      return true;
    });
    expect(await runProgram(tinyProgram(), new Map(), base(dir, { quiet: false, seeds: '1', set: ['epochs=1'] }))).toBe(0);
    vi.restoreAllMocks();
    const first = lines.findIndex((l) => l.startsWith('[1/4] baseline__batch=16__seed=1: completed'));
    const evals = lines.slice(0, first).filter((l) => /^  baseline__batch=16__seed=1 step \d+ epoch [\d.]+: train_loss [\d.]+ .* val_accuracy [\d.]+/.test(l));
    expect(first).toBeGreaterThan(0);
    expect(evals.length).toBe(read(dir).runs[0]!.history.length);
  });

  it('--json prints only the summary', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'bnx-run-')), 'json');
    const chunks: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((c) => {
      chunks.push(String(c));
      return true;
    });
    const tensorboard = join(dir, '..', 'tb');
    const exported = join(dir, '..', 'models');
    expect(
      await runProgram(tinyProgram(), new Map(), base(dir, { quiet: false, json: true, seeds: '1', set: ['epochs=1'], tensorboard, export: exported })),
    ).toBe(0);
    expect(readdirSync(tensorboard)).toHaveLength(4);
    const models = readdirSync(exported).sort();
    expect(models).toEqual([
      'baseline__batch=16__seed=1.onnx',
      'baseline__batch=32__seed=1.onnx',
      'batchnorm__batch=16__seed=1.onnx',
      'batchnorm__batch=32__seed=1.onnx',
    ]);
    // The exported batchnorm model (BN folded into the dense before it) scores the test split as the run did.
    const ort = await import('onnxruntime-node');
    const { loadDataset } = await import('@bnx/data');
    const run = read(dir).runs.find((r) => r.id === 'batchnorm__batch=16__seed=1')!;
    const test = (await loadDataset(tinyProgram().datasets[0]!, { seed: 1 })).test;
    const session = await ort.InferenceSession.create(join(exported, 'batchnorm__batch=16__seed=1.onnx'));
    const logits = (await session.run({ x: new ort.Tensor('float32', test.x, [test.count, ...test.sampleShape]) })).logits!.data as Float32Array;
    let correct = 0;
    for (let i = 0; i < test.count; i++) {
      const row = Array.from(logits.subarray(i * 3, i * 3 + 3));
      if (row.indexOf(Math.max(...row)) === test.y[i]) correct++;
    }
    expect(Math.abs(correct / test.count - run.test!.accuracy!)).toBeLessThanOrEqual(1 / test.count);
    expect(session.inputNames).toEqual(['x']);
    const summary = JSON.parse(chunks.join(''));
    expect(summary.runs).toEqual({ completed: 4, diverged: 0, failed: 0, interrupted: 0 });
    expect(summary.report_html).toBe(join(dir, 'report.html'));
    expect(summary.verdicts).toHaveLength(2);
  });
});

describe.skipIf(!existsSync(fileURLToPath(workerScript())))('bnx run --jobs', () => {
  it('gives the same numbers in worker threads as serially', async () => {
    const serialDir = join(mkdtempSync(join(tmpdir(), 'bnx-run-')), 'serial');
    const parallelDir = join(mkdtempSync(join(tmpdir(), 'bnx-run-')), 'parallel');
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const options = { set: ['epochs=1'] };
    expect(await runProgram(tinyProgram(), new Map(), base(serialDir, options))).toBe(0);
    expect(await runProgram(tinyProgram(), new Map(), base(parallelDir, { ...options, jobs: '2' }))).toBe(0);
    const serial = read(serialDir);
    const parallel = read(parallelDir);
    expect(parallel.runs.map((r) => r.id)).toEqual(serial.runs.map((r) => r.id));
    expect(numbers(parallel)).toEqual(numbers(serial));
  });
});
