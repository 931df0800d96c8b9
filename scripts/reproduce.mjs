#!/usr/bin/env node
// `pnpm reproduce`: runs every study and claim file listed in scripts/reproduce/studies.json (cheapest first)
// with `bnx run --resume` into reproduce/runs/<name> (or reproduce/quick/<name> with --quick), copies each
// report's SVG figures into docs/results/<name>/, and regenerates docs/results.md from the results.json
// files. Stop it at any time; the next invocation continues where the runs stopped.
//
//   pnpm reproduce                      full budget, every entry, one run at a time
//   pnpm reproduce --quick              reduced budget (2 seeds, 1 epoch, 1,500 images): tests the pipeline
//   pnpm reproduce --only seed-cnn      these entries only (comma-separated); others keep their results
//   pnpm reproduce --seeds seed-cnn=1,2 run an entry on fewer seeds (the document says which it has)
//   pnpm reproduce --docs-only          regenerate the document from what has run, train nothing
//   pnpm reproduce --jobs 2             runs in parallel (default 1)
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkFile } from '@bnx/dsl';
import { paramCount } from '@bnx/ir';
import { modelSizes, renderResults } from './reproduce/generate-results.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const studies = JSON.parse(readFileSync(join(root, 'scripts/reproduce/studies.json'), 'utf8'));

function parseArgs(argv) {
  const opts = { quick: false, only: null, seeds: {}, docsOnly: false, jobs: 1, out: null, docs: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) fail(`${arg} needs a value`);
      return v;
    };
    if (arg === '--quick') opts.quick = true;
    else if (arg === '--docs-only') opts.docsOnly = true;
    else if (arg === '--only')
      opts.only = value()
        .split(',')
        .map((s) => s.trim());
    else if (arg === '--jobs') opts.jobs = value();
    else if (arg === '--seeds') {
      const [name, list] = value().split('=');
      if (!name || !list) fail('--seeds expects NAME=LIST, e.g. --seeds seed-cnn=1,2');
      opts.seeds[name] = list;
    } else if (arg === '--help' || arg === '-h') {
      console.log(
        readFileSync(fileURLToPath(import.meta.url), 'utf8')
          .split('\n')
          .filter((l) => l.startsWith('//   '))
          .map((l) => l.slice(5))
          .join('\n'),
      );
      process.exit(0);
    } else fail(`unknown option '${arg}' (see pnpm reproduce --help)`);
  }
  const names = studies.entries.map((e) => e.name);
  for (const name of [...(opts.only ?? []), ...Object.keys(opts.seeds)]) {
    if (!names.includes(name)) fail(`'${name}' is not an entry of scripts/reproduce/studies.json (entries: ${names.join(', ')})`);
  }
  return opts;
}

function fail(message) {
  console.error(`pnpm reproduce: ${message}`);
  process.exit(2);
}

const opts = parseArgs(process.argv.slice(2));
const runsDir = opts.quick ? 'reproduce/quick' : 'reproduce/runs';
const docPath = opts.quick ? join(root, runsDir, 'results.md') : join(root, 'docs/results.md');
const figuresRoot = opts.quick ? join(root, runsDir, 'figures') : join(root, 'docs/results');
const cli = join(root, 'apps/runner/dist/cli.js');
const QUICK_BUDGET = ['--seeds', '1,2', '--set', 'epochs=1', '--set', 'subset=1500', '--set', 'validation=500'];

if (!opts.docsOnly) {
  const build = spawnSync('pnpm', ['-s', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) fail('the build failed');
}

const wallFile = (dir) => join(dir, 'reproduce-wall.json');
// Ctrl-C reaches the whole process group: the `bnx run` child stops at the end of its current run and exits
// 130 (143 for SIGTERM). This process must not die first (it would lose the entry's wall time), so it
// ignores the signal (spawnSync holds the event loop, so a handler could only run later) and stops on the
// child's exit code instead of going on with the next entry.
let stopRequested = false;
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => (stopRequested = true));
for (const entry of studies.entries) {
  if (opts.docsOnly || (opts.only && !opts.only.includes(entry.name))) continue;
  const dir = join(root, runsDir, entry.name);
  const args = ['run', join(root, entry.file), '--jobs', String(opts.jobs), '--quiet'];
  args.push(...(existsSync(join(dir, 'plan.json')) ? ['--resume', dir] : ['--out', dir]));
  if (opts.quick) args.push(...QUICK_BUDGET);
  else if (opts.seeds[entry.name]) args.push('--seeds', opts.seeds[entry.name]);
  console.log(`pnpm reproduce: ${entry.name} (${entry.file})`);
  const started = Date.now();
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' });
  const seconds = (Date.now() - started) / 1000;
  const previous = existsSync(wallFile(dir)) ? JSON.parse(readFileSync(wallFile(dir), 'utf8')) : { invocations: [] };
  previous.invocations.push({ started_at: new Date(started).toISOString(), seconds, exit: result.status, jobs: Number(opts.jobs) });
  if (existsSync(dir)) writeFileSync(wallFile(dir), `${JSON.stringify(previous, null, 2)}\n`);
  if (stopRequested || result.signal === 'SIGINT' || result.signal === 'SIGTERM' || result.status === 130 || result.status === 143)
    fail(`stopped during ${entry.name}; run it again to continue`);
  if (result.status !== 0) console.error(`pnpm reproduce: ${entry.name} exited ${result.status}; going on with the next`);
}

// The document: each entry's results, figures copied beside it.
const found = {};
for (const entry of studies.entries) {
  const dir = join(root, runsDir, entry.name);
  const resultsPath = join(dir, 'results.json');
  if (!existsSync(resultsPath)) continue;
  const results = JSON.parse(readFileSync(resultsPath, 'utf8'));
  const plan = existsSync(join(dir, 'plan.json')) ? JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) : undefined;
  const wall = existsSync(wallFile(dir)) ? JSON.parse(readFileSync(wallFile(dir), 'utf8')) : { invocations: [] };
  const figureDir = join(figuresRoot, entry.name);
  rmSync(figureDir, { recursive: true, force: true });
  const svgs = existsSync(join(dir, 'figures'))
    ? readdirSync(join(dir, 'figures'))
        .filter((f) => f.endsWith('.svg'))
        .sort()
    : [];
  if (svgs.length > 0) mkdirSync(figureDir, { recursive: true });
  for (const svg of svgs) copyFileSync(join(dir, 'figures', svg), join(figureDir, svg));
  found[entry.name] = {
    results,
    plan,
    wallSeconds: wall.invocations.reduce((s, i) => s + i.seconds, 0),
    figures: svgs.map((svg) => relative(dirname(docPath), join(figureDir, svg)).split('\\').join('/')),
  };
  const experiment = checkFile(join(root, entry.file)).program?.experiments.find((e) => e.name === results.experiment);
  if (experiment) found[entry.name].declaredSeeds = experiment.seeds;
  if (experiment && (entry.measured ?? []).some((m) => m.measure === 'model_size')) found[entry.name].modelSizes = modelSizes(experiment, paramCount);
}
const cpu = cpus()[0]?.model?.trim() ?? 'unknown CPU';
const markdown = renderResults(studies, found, {
  runsDir,
  jobs: opts.jobs,
  machine: `a shared ${cpus().length}-core VM (${cpu})`,
  budget: opts.quick ? "reduced budget (--quick): 2 seeds, 1 epoch, 1,500 images; not the studies' budget" : 'full budget unless a section says otherwise',
});
mkdirSync(dirname(docPath), { recursive: true });
writeFileSync(docPath, markdown);
console.log(`pnpm reproduce: wrote ${relative(root, docPath)} (${Object.keys(found).length} of ${studies.entries.length} entries have results)`);
