// What storing one finished run costs `bnx run` as an experiment grows: the run's record (runs/<id>.json),
// plus results.json and its statistics either after every run (how bnx did it before: the cost grows with
// the number of runs already stored) or at most every RESULTS_REFRESH_MS (now). Synthetic records of the
// shape training writes; no training. A harness, not a timed test: it prints milliseconds per run.
//
//   node bench/record-runs.mjs [--runs 2000] [--sample 20]
//
// Needs the built runner (`pnpm build`).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunRecorder, RESULTS_REFRESH_MS } from '../apps/runner/dist/run/record-runs.js';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const totalRuns = option('runs', 2000);
const sample = option('sample', 20);

// A sweep of 100 learning rates × 2 variants × 10 seeds: 2,000 runs.
const seeds = 10;
const lrs = Array.from({ length: Math.ceil(totalRuns / (2 * seeds)) }, (_, i) => Number((0.001 * (i + 1)).toFixed(3)));
const specs = [];
for (const variant of ['baseline', 'batchnorm'])
  for (const lr of lrs) for (let seed = 1; seed <= seeds; seed++) specs.push({ variant, lr, seed, id: `${variant}__lr=${lr}__seed=${seed}` });
specs.length = totalRuns;

function record({ id, variant, lr, seed }) {
  const r = (k) => ((seed * 9301 + k * 49297 + lr * 1e6) % 233280) / 233280;
  const history = Array.from({ length: 5 }, (_, i) => ({
    step: (i + 1) * 100,
    epoch: (i + 1) / 5,
    seconds: (i + 1) * 0.4,
    train_loss: (2 * (1 - r(i))) / (i + 1),
    train_accuracy: 0.5 + r(i) / 2,
    val_loss: (2.1 * (1 - r(i + 9))) / (i + 1),
    val_accuracy: 0.5 + r(i + 9) / 2,
  }));
  return {
    id,
    variant,
    seed,
    params: { lr },
    status: 'completed',
    eval_split: 'validation',
    history,
    step_losses: Array.from({ length: 20 }, (_, i) => 2 / (i + 1) + r(i) / 10),
    probes: {},
    samples_per_second: 20000 + 1000 * r(1),
    seconds: 2,
    steps: 500,
    total_steps: 500,
    backend: 'onnx',
    device: 'cpu',
    test: { loss: 0.3 + r(2) / 10, accuracy: 0.9 + r(3) / 20 },
  };
}

const header = {
  schema: 'bnx.results/1',
  experiment: 'lr_sweep',
  source_file: 'sweep.bnx',
  backend: 'onnx',
  device: 'cpu',
  engine: null,
  started_at: new Date().toISOString(),
  finished_at: null,
  bnx_version: 'bench',
  variants: [
    { name: 'baseline', batchnorm: false },
    { name: 'batchnorm', batchnorm: true },
  ],
  sweeps: [{ key: 'lr', values: lrs }],
  seeds: Array.from({ length: seeds }, (_, i) => i + 1),
  target: { metric: 'val_accuracy', op: '>=', value: 0.9 },
};
const order = specs.map((s) => s.id);

/** ms per run for `count` runs stored from `from` on. */
function timeRuns(recorder, from, count) {
  const start = performance.now();
  for (let i = from; i < from + count; i++) recorder.record(record(specs[i]));
  return (performance.now() - start) / count;
}

const checkpoints = [0, Math.floor(totalRuns / 2), totalRuns - sample].filter((c, i, all) => c >= 0 && all.indexOf(c) === i);
const rows = [];
for (const mode of ['before', 'now']) {
  const dir = mkdtempSync(join(tmpdir(), 'bnx-record-bench-'));
  const records = new Map();
  // Before: results.json rebuilt after every run. Now: one recorder for the whole sweep, as `bnx run` has.
  const filler = new RunRecorder(dir, header, order, records, mode === 'now' ? RESULTS_REFRESH_MS : Infinity);
  const row = { mode: mode === 'now' ? `at most every ${RESULTS_REFRESH_MS / 1000} s (now)` : 'after every run (before)', perRun: [] };
  let stored = 0;
  for (const at of checkpoints) {
    if (at > stored) timeRuns(filler, stored, at - stored);
    const timed = mode === 'now' ? filler : new RunRecorder(dir, header, order, records, 0);
    row.perRun.push(timeRuns(timed, at, sample));
    stored = at + sample;
  }
  const end = performance.now();
  filler.writeResults(filler.results(new Date().toISOString()));
  row.finalMs = performance.now() - end;
  row.resultsBytes = statSync(join(dir, 'results.json')).size;
  rows.push(row);
  rmSync(dir, { recursive: true, force: true });
}

console.log(
  `storing a run, ms per run (mean of ${sample} runs from the run named), ${totalRuns}-run sweep; now, results.json is also rewritten every ${RESULTS_REFRESH_MS / 1000} s of training (the final cost below, spread over the runs that end in that time)`,
);
console.log(`| results.json written | ${checkpoints.map((c) => `run ${c + 1}`).join(' | ')} | final results.json |`);
console.log(`|---|${checkpoints.map(() => '---:').join('|')}|---:|`);
for (const row of rows)
  console.log(
    `| ${row.mode} | ${row.perRun.map((ms) => ms.toFixed(1)).join(' | ')} | ${row.finalMs.toFixed(0)} ms, ${(row.resultsBytes / 1e6).toFixed(1)} MB |`,
  );
