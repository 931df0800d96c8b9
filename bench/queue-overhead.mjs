// What the run queue costs: a 24-run sweep (tiny-blobs, 2 variants x 2 batch sizes x 6 seeds, runs of about
// 0.1-0.3 s) trained locally with --jobs 1, and through `bnx run --queue` with 1 and with 2 `bnx worker`
// processes on this machine, in interleaved rounds (local, 1 worker, 2 workers, local, ...) so that load from
// elsewhere hits every mode alike. Workers are started once and stay up, as on a cluster; each time is the
// wall time of one `bnx run` command. Every round uses new seeds: the queue would otherwise hand back the
// records of the previous round's identical jobs without training them.
// Start-up differs between the modes (a local run loads ONNX Runtime; a coordinator does not), so the cost
// per run is measured as a slope: (time for 24 runs - time for 8 runs) / 16, and the queue's overhead per
// run is its slope minus the local slope of the same round.
//
//   node bench/queue-overhead.mjs [--rounds 3]        (needs `pnpm build` and redis-server on the PATH)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../apps/runner/dist/cli.js', import.meta.url));
const fixture = fileURLToPath(new URL('../apps/runner/src/commands/__fixtures__/tiny-blobs.bnx', import.meta.url));
const i = process.argv.indexOf('--rounds');
const rounds = i > 0 ? Number(process.argv[i + 1]) : 3;
const tmp = mkdtempSync(join(tmpdir(), 'bnx-queue-bench-'));

const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address();
    s.close(() => resolve(port));
  });
});
const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tmp], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 500));
const url = `redis://127.0.0.1:${port}`;

// Two queues so the 1-worker and 2-worker rounds do not share workers: tfjs would change the training, so
// both use onnx on cpu, and the second pair listens under another database number.
const queues = { one: `${url}/1`, two: `${url}/2` };
const workers = [
  spawn(process.execPath, [cli, 'worker', '--queue', queues.one, '--quiet'], { stdio: 'ignore' }),
  spawn(process.execPath, [cli, 'worker', '--queue', queues.two, '--quiet'], { stdio: 'ignore' }),
  spawn(process.execPath, [cli, 'worker', '--queue', queues.two, '--quiet'], { stdio: 'ignore' }),
];
await new Promise((r) => setTimeout(r, 8000)); // the workers load ONNX Runtime

let n = 0;
function timed(seeds, extra) {
  const out = join(tmp, `out-${n++}`);
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [cli, 'run', fixture, '--seeds', seeds, '--out', out, '--quiet', ...extra], { encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (run.status !== 0) throw new Error(run.stderr);
  // Wall time not spent inside the runs themselves (each record's own seconds): start-up plus per-run overhead.
  const trained = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).runs.reduce((sum, r) => sum + r.seconds, 0);
  return { seconds, outside: seconds - trained };
}

const modes = [
  ['local', 'local, --jobs 1', ['--jobs', '1']],
  ['one', 'queue, 1 worker', ['--queue', queues.one]],
  ['two', 'queue, 2 workers', ['--queue', queues.two]],
];
const rows = { local: { t24: [], slope: [], outside: [] }, one: { t24: [], slope: [], outside: [] }, two: { t24: [], slope: [], outside: [] } };
const load = [];
for (let r = 0; r < rounds; r++) {
  load.push(loadavg()[0]);
  const base = 1000 * (r + 1);
  for (const [name, , extra] of modes) {
    const t8 = timed(`${base}..${base + 1}`, extra);
    const t24 = timed(`${base + 100}..${base + 105}`, extra);
    rows[name].t24.push(t24.seconds);
    rows[name].slope.push((t24.seconds - t8.seconds) / 16);
    rows[name].outside.push(t24.outside);
  }
}
for (const w of workers) w.kill('SIGKILL');
redis.kill('SIGTERM');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f = (x) => x.toFixed(2);
const ms = (x) => `${(x * 1000).toFixed(0)}`;
console.log(`${cpus().length} cores (${cpus()[0]?.model}), 1-min load average at the rounds: ${load.map((x) => x.toFixed(1)).join(', ')}`);
console.log('| mode | 24 runs, median s | rounds (s) | per run, median ms (slope) | rounds (ms) |');
console.log('|---|---:|---|---:|---|');
for (const [name, label] of modes) {
  console.log(
    `| ${label} | ${f(median(rows[name].t24))} | ${rows[name].t24.map(f).join(', ')} | ${ms(median(rows[name].slope))} | ${rows[name].slope.map(ms).join(', ')} |`,
  );
}
const overhead = rows.one.slope.map((q, k) => q - rows.local.slope[k]);
const outside = rows.one.outside.map((q, k) => (q - rows.local.outside[k]) / 24);
console.log(
  `time outside the runs, 24 runs: local ${rows.local.outside.map(f).join(', ')} s; 1 worker ${rows.one.outside.map(f).join(', ')} s; (1 worker - local) / 24: median ${ms(median(outside))} ms per run`,
);
console.log(`queue overhead per run (1-worker slope - local slope, same round): median ${ms(median(overhead))} ms; rounds ${overhead.map(ms).join(', ')} ms`);
