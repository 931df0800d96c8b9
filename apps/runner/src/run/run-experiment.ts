// What `bnx run` does once its flags are parsed: expand the plan, resolve the backend, train the pending runs
// (serially or in worker threads), store each record as it ends, then write results.json and the reports.
// Loaded lazily by commands/run.ts, so `bnx check` and `--help` never load ONNX Runtime or TensorFlow.js.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BnxError, expandPlan, type PlanIR, type ProgramIR, type RunSpec } from '@bnx/ir';
import { checkFile } from '@bnx/dsl';
import { resolveBackend, trainRun, type HistoryEntry, type RunProgress, type RunRecord } from '@bnx/core';
import { loadDataset } from '@bnx/data';
import { registerOnnxBackend } from '@bnx/backend-onnx';
import { registerTfjsBackend } from '@bnx/backend-tfjs';
import type { ResultsFile, RunResult } from '@bnx/metrics';
import { writeJsonAtomic } from '../results/atomic-write.js';
import { buildResults } from '../results/build-results.js';
import { readResultsFile } from '../results/read-results.js';
import { resultsHeader } from '../results/results-header.js';
import { isFinished, loadRunRecords, saveRunRecord } from '../results/run-store.js';
import { writeReports } from '../report/write-reports.js';
import { writeTensorBoard } from '../results/tensorboard-events.js';
import { executeSerially } from './execute-plan.js';
import { executeInWorkers } from './execute-parallel.js';
import { PlainProgress, SilentProgress, TtyProgress, type ProgressReporter } from './progress.js';
import { parseDevice, parseJobs, parseOverrides, parseSeeds } from './run-options.js';
import { BNX_VERSION } from '../version.js';
import { printDiagnostics } from '../commands/diagnostics-output.js';
import { EXIT_INTERRUPTED, type RunCommandOptions } from '../commands/run.js';

function timestamp(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}${p(date.getMonth() + 1)}${p(date.getDate())}-${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}`;
}

/** The plan without source positions: what must match for a resume to continue the same experiment. */
function planFingerprint(plan: PlanIR): string {
  return JSON.stringify(plan.runs, (key, value: unknown) => (key === 'loc' ? undefined : value));
}

function checkResumable(dir: string, plan: PlanIR): void {
  const path = join(dir, 'plan.json');
  if (!existsSync(path)) throw new BnxError(`--resume ${dir}: no plan.json there; it is not a directory written by \`bnx run\``, 'E_RESUME');
  let stored: PlanIR;
  try {
    stored = JSON.parse(readFileSync(path, 'utf8')) as PlanIR;
  } catch (err) {
    throw new BnxError(`${path}: not valid JSON (${(err as Error).message})`, 'E_RESUME');
  }
  if (planFingerprint(stored) !== planFingerprint(plan)) {
    const storedIds = new Set(stored.runs.map((r) => r.id));
    const newIds = plan.runs.map((r) => r.id).filter((id) => !storedIds.has(id));
    const detail = newIds.length > 0 ? `runs not in the stored plan: ${newIds.slice(0, 3).join(', ')}${newIds.length > 3 ? ', …' : ''}` : 'the same runs with different settings';
    throw new BnxError(`--resume ${dir}: the file and flags give a different plan than ${path} (${detail}); resume with the same FILE, --experiment, --set and --seeds`, 'E_RESUME');
  }
}

export async function runExperiment(file: string, options: RunCommandOptions): Promise<number> {
  const checked = checkFile(file);
  if (!checked.program) {
    printDiagnostics(checked.diagnostics, checked.sources);
    return 1;
  }
  return runProgram(checked.program, checked.sources, options);
}

/** Stops the experiment as Ctrl-C does; for callers that embed the runner (and its tests). */
export interface RunControl {
  signal?: AbortSignal;
}

export async function runProgram(program: ProgramIR, sources: Map<string, string>, options: RunCommandOptions, control: RunControl = {}): Promise<number> {
  const overrides = parseOverrides(options.set ?? []);
  const seeds = options.seeds !== undefined ? parseSeeds(options.seeds) : undefined;
  const jobs = parseJobs(options.jobs ?? '1');
  const device = parseDevice(options.device ?? 'cpu');
  const expanded = expandPlan(program, options.experiment, { overrides, seeds });
  if (!expanded.plan) {
    printDiagnostics(expanded.diagnostics, sources);
    return 1;
  }
  const plan = expanded.plan;

  registerOnnxBackend();
  registerTfjsBackend();
  const resolved = await resolveBackend({ name: options.backend, device, engine: options.engine });
  if (!options.json && !options.quiet) {
    for (const skipped of resolved.passedOver) {
      process.stderr.write(`bnx: --device ${device}: ${skipped.device} is not available (${skipped.reason ?? 'no reason given'}); running on ${resolved.device.device}\n`);
    }
  }

  const outDir = resolve(options.resume ?? options.out ?? join('runs', `${plan.experiment}-${timestamp(new Date())}`));
  let startedAt = new Date().toISOString();
  if (options.resume) {
    checkResumable(outDir, plan);
    if (existsSync(join(outDir, 'results.json'))) startedAt = readResultsFile(outDir).started_at;
  } else if (existsSync(join(outDir, 'results.json')) || existsSync(join(outDir, 'plan.json'))) {
    throw new BnxError(`--out ${outDir}: already holds an experiment's results; pass --resume ${outDir} to continue it, or choose another --out`, 'E_OUT_EXISTS');
  }
  writeJsonAtomic(join(outDir, 'plan.json'), plan);

  const header = resultsHeader(plan, {
    backend: resolved.backend.name,
    device: resolved.device.device,
    engine: resolved.device.engine ?? null,
    startedAt,
    version: BNX_VERSION,
  });
  const planIds = new Set(plan.runs.map((r) => r.id));
  const records = new Map<string, RunResult>([...loadRunRecords(outDir)].filter(([id]) => planIds.has(id)));
  const pending = plan.runs.filter((r) => !isFinished(records.get(r.id)));
  const order = plan.runs.map((r) => r.id);
  const current = () => buildResults(header, [...records.values()], order);

  const reporter: ProgressReporter = options.json || options.quiet ? new SilentProgress() : process.stderr.isTTY ? new TtyProgress(process.stderr) : new PlainProgress((line) => process.stderr.write(`${line}\n`));
  const controller = new AbortController();
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) process.exit(EXIT_INTERRUPTED); // a second Ctrl-C: stop now
    interrupted = true;
    reporter.note(`bnx: ${signal}: stopping after marking the current run interrupted (press Ctrl-C again to quit at once)`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const onExternalStop = () => onSignal('SIGTERM');
  control.signal?.addEventListener('abort', onExternalStop);

  const onRunEnd = (record: RunRecord) => {
    const saved = saveRunRecord(outDir, record);
    records.set(saved.id, saved);
    writeJsonAtomic(join(outDir, 'results.json'), current());
    return saved;
  };
  reporter.start(plan.runs.length, plan.runs.length - pending.length);
  try {
    const execute = {
      backend: resolved.backend,
      device: resolved.device.device,
      engine: resolved.device.engine,
      signal: controller.signal,
      exportDir: options.export ? resolve(options.export) : undefined,
      loadData: (spec: RunSpec) => loadDataset(spec.dataset, { seed: spec.seed }),
      train: trainRun,
    };
    const hooks = {
      onRunStart: (spec: RunSpec) => reporter.runStart(spec),
      onProgress: (spec: RunSpec, p: RunProgress) => reporter.progress(spec, p),
      onEvaluation: (spec: RunSpec, entry: HistoryEntry) => reporter.evaluation(spec, entry),
      onRunEnd: (spec: RunSpec, record: RunRecord) => reporter.runEnd(spec, onRunEnd(record)),
    };
    if (jobs > 1 && pending.length > 1) {
      await executeInWorkers(pending, { jobs, backend: options.backend, device, engine: options.engine, exportDir: execute.exportDir, signal: controller.signal }, hooks);
    } else {
      await executeSerially(pending, execute, hooks);
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    control.signal?.removeEventListener('abort', onExternalStop);
    reporter.stop();
  }

  const results: ResultsFile = buildResults({ ...header, finished_at: new Date().toISOString() }, [...records.values()], order);
  const paths = writeReports(outDir, results);
  if (options.tensorboard) writeTensorBoard(resolve(options.tensorboard), results);
  printSummary(results, outDir, paths.html, options, interrupted);
  if (interrupted) return EXIT_INTERRUPTED;
  return results.runs.some((r) => r.status === 'failed') ? 1 : 0;
}

function printSummary(results: ResultsFile, outDir: string, html: string, options: RunCommandOptions, interrupted: boolean): void {
  const count = (status: string) => results.runs.filter((r) => r.status === status).length;
  const runs = { completed: count('completed'), diverged: count('diverged'), failed: count('failed'), interrupted: count('interrupted') };
  const headline = results.comparisons.filter((c) => c.metric === 'val_accuracy').map((c) => c.verdict);
  if (options.json) {
    const summary = {
      experiment: results.experiment,
      out_dir: outDir,
      results: join(outDir, 'results.json'),
      report_html: html,
      report_md: join(outDir, 'report.md'),
      interrupted,
      runs,
      verdicts: headline,
      claims: (results.claims ?? []).map((c) => ({ claim: c.claim, status: c.status, verdict: c.verdict })),
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }
  const lines: string[] = [];
  if (!options.quiet) {
    for (const v of headline) lines.push(`  ${v}`);
    for (const c of results.claims ?? []) lines.push(`  [${c.status.replace('_', ' ')}] ${c.title}`);
  }
  const failed = results.runs.filter((r) => r.status === 'failed');
  for (const r of failed) lines.push(`bnx: run ${r.id} failed: ${r.error ?? 'unknown error'}`);
  lines.push(`${interrupted ? 'interrupted; resume with --resume ' + outDir + '. ' : ''}${runs.completed} completed, ${runs.diverged} diverged, ${runs.failed} failed, ${runs.interrupted} interrupted`);
  lines.push(`report: ${html}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
