// The whole seed suite: every experiment of every file in examples/, at its own budget (epochs, seeds, sweeps as
// written), trained by the built CLI (`bnx run --backend onnx --device cpu`) one experiment at a time, each in
// its own process; wall time per experiment and in all. It takes minutes, so `pnpm bench` runs it only with
// --suite.
//
//   node bench/suite.mjs [--only seed-cnn.bnx] [--set epochs=1 ...]   (--only and --set are for smoke runs)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const cli = join(root, 'apps/runner/dist/cli.js');

/** [file, experiment] for every experiment declared in examples/*.bnx, in file order. */
async function suiteExperiments(only) {
  const { checkFile } = await import(pathToFileURL(join(root, 'packages/dsl/dist/index.js')).href);
  const files = readdirSync(join(root, 'examples'))
    .filter((f) => f.endsWith('.bnx') && (!only || f === only))
    .sort();
  return files.flatMap((file) => {
    const checked = checkFile(join(root, 'examples', file));
    if (!checked.program) throw new Error(`examples/${file} does not check: ${checked.diagnostics[0]?.message}`);
    return checked.program.experiments.map((e) => [file, e.name]);
  });
}

/**
 * Runs the suite; returns { rows: [{ file, experiment, runs, seconds, trainingSamplesPerSec, failed? }], seconds }.
 * trainingSamplesPerSec is the mean of the runs' recorded training rates. `log` gets one line per experiment.
 */
export async function benchSuite({ only, set = [], log = () => {} } = {}) {
  const rows = [];
  const started = performance.now();
  for (const [file, experiment] of await suiteExperiments(only)) {
    const out = mkdtempSync(join(tmpdir(), 'bnx-suite-'));
    const args = [
      cli,
      'run',
      join('examples', file),
      '--experiment',
      experiment,
      '--backend',
      'onnx',
      '--device',
      'cpu',
      '--out',
      out,
      '--json',
      ...set.flatMap((s) => ['--set', s]),
    ];
    const t0 = performance.now();
    try {
      try {
        execFileSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
      } catch (err) {
        // The CLI has printed why (on stderr, passed through); the suite records the failure and goes on.
        rows.push({
          file,
          experiment,
          runs: 0,
          seconds: (performance.now() - t0) / 1000,
          trainingSamplesPerSec: 0,
          failed: `bnx run exited with ${err.status ?? err.signal}`,
        });
        log(`bench: suite: ${file} ${experiment}: FAILED (bnx run exited with ${err.status ?? err.signal})`);
        continue;
      }
      const seconds = (performance.now() - t0) / 1000;
      const records = readdirSync(join(out, 'runs'))
        .filter((f) => f.endsWith('.json'))
        .map((f) => JSON.parse(readFileSync(join(out, 'runs', f), 'utf8')));
      const rates = records.map((r) => r.samples_per_second).filter((v) => v > 0);
      const row = { file, experiment, runs: records.length, seconds, trainingSamplesPerSec: rates.reduce((a, b) => a + b, 0) / Math.max(1, rates.length) };
      rows.push(row);
      log(`bench: suite: ${file} ${experiment}: ${row.runs} runs in ${seconds.toFixed(0)} s`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
  return { rows, seconds: (performance.now() - started) / 1000 };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
  const set = args.flatMap((a, i) => (a === '--set' ? [args[i + 1]] : []));
  const suite = await benchSuite({ only, set, log: (line) => process.stderr.write(`${line}\n`) });
  for (const r of suite.rows)
    console.log(
      r.failed
        ? `${r.file} ${r.experiment}: ${r.failed}`
        : `${r.file} ${r.experiment}: ${r.runs} runs, ${r.seconds.toFixed(1)} s, ${r.trainingSamplesPerSec.toFixed(0)} training samples/s per run`,
    );
  console.log(`whole suite: ${suite.seconds.toFixed(0)} s`);
}
