// What `bnx run` does once its flags are parsed: expand the plan, resolve the backend, train the pending runs
// (serially or in worker threads), store each record as it ends, then write results.json and the reports.
// Loaded lazily by commands/run.ts, so `bnx check` and `--help` never load ONNX Runtime or TensorFlow.js.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { BnxError, expandPlan, isBnxError, type PlanIR, type ProgramIR, type RunSpec } from '@bnx/ir';
import { checkFile } from '@bnx/dsl';
import { listBackends, resolveBackend, trainRun, type DeviceInfo, type HistoryPoint, type RunProgress, type RunRecord } from '@bnx/core';
import { loadDataset } from '@bnx/data';
import type { ResultsFile, RunResult } from '@bnx/metrics';
import { ensureDirectory } from '../files/output-dir.js';
import { lockOutputDir } from '../files/output-lock.js';
import { readJsonFile } from '../files/read-json.js';
import { writeJsonAtomic } from '../results/atomic-write.js';
import { readResultsFile } from '../results/read-results.js';
import { resultsHeader } from '../results/results-header.js';
import { isFinished, loadRunRecords } from '../results/run-store.js';
import { RunRecorder } from './record-runs.js';
import { hashInputFiles } from './input-files.js';
import { checkResumedShard, parseShard, shardLabel, shardRuns, writeShardFile } from './shard.js';
import { parseQueueUrl } from '../queue/queue-url.js';
import { planHash } from '../queue/run-job.js';
import { buildLead, leadLines } from '../report/lead-section.js';
import { writeReports } from '../report/write-reports.js';
import { writeTensorBoard } from '../results/tensorboard-events.js';
import { executeSerially } from './execute-plan.js';
import { BACKEND_NAMES, loadBackends } from './load-backends.js';
import { executeInWorkers } from './execute-parallel.js';
import { PlainProgress, SilentProgress, TtyProgress, type ProgressReporter } from './progress.js';
import { parseDevice, parseJobs, parseOverrides, parsePath, parseSeeds } from './run-options.js';
import { BNX_VERSION } from '../version.js';
import { printDiagnostics } from '../commands/diagnostics-output.js';
import { EXIT_ON_SIGNAL, type RunCommandOptions } from '../commands/run.js';

function timestamp(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}${p(date.getMonth() + 1)}${p(date.getDate())}-${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}`;
}

/** The plan without source positions: what must match for a resume to continue the same experiment. */
export function planFingerprint(plan: PlanIR): string {
  return JSON.stringify(plan.runs, (key, value: unknown) => (key === 'loc' ? undefined : value));
}

function checkResumable(dir: string, plan: PlanIR): void {
  if (!existsSync(dir)) throw new BnxError(`--resume ${dir}: no such directory`, 'E_RESUME');
  if (!statSync(dir).isDirectory()) throw new BnxError(`--resume ${dir}: it is a file; pass the directory that \`bnx run\` wrote`, 'E_RESUME');
  const path = join(dir, 'plan.json');
  if (!existsSync(path)) throw new BnxError(`--resume ${dir}: no plan.json there; it is not a directory written by \`bnx run\``, 'E_RESUME');
  const stored = readJsonFile(path, 'E_RESUME') as Partial<PlanIR> | null;
  if (
    stored === null ||
    typeof stored !== 'object' ||
    !Array.isArray(stored.runs) ||
    !stored.runs.every((r) => typeof (r as { id?: unknown } | null)?.id === 'string')
  ) {
    throw new BnxError(`${path}: not a plan written by \`bnx run\` (no "runs" list with an "id" for each run)`, 'E_RESUME');
  }
  if (planFingerprint(stored as PlanIR) !== planFingerprint(plan)) {
    const storedIds = new Set(stored.runs.map((r) => r.id));
    const newIds = plan.runs.map((r) => r.id).filter((id) => !storedIds.has(id));
    const detail =
      newIds.length > 0
        ? `runs not in the stored plan: ${newIds.slice(0, 3).join(', ')}${newIds.length > 3 ? ', …' : ''}`
        : 'the same runs with different settings';
    throw new BnxError(
      `--resume ${dir}: the file and flags give a different plan than ${path} (${detail}); resume with the same FILE, --experiment, --set and --seeds`,
      'E_RESUME',
    );
  }
}

/** What bnx run writes into --out besides plan.json, results.json and runs/: files a fresh run would replace. */
const REPORT_FILES = ['report.html', 'report.md', 'metrics.csv'];

/**
 * A fresh run may write into a new directory, an unrelated one, or one where an earlier start stopped before
 * any run ended (only plan.json there, e.g. after a data error). It never overwrites results or reports.
 */
export function checkFreshOut(dir: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return; // a file there is reported by ensureDirectory
  const hasRecords =
    existsSync(join(dir, 'runs')) &&
    statSync(join(dir, 'runs')).isDirectory() &&
    readdirSync(join(dir, 'runs')).some((f) => f.endsWith('.json') && !f.startsWith('.'));
  if (existsSync(join(dir, 'results.json')) || hasRecords) {
    throw new BnxError(`--out ${dir}: already holds an experiment's results; pass --resume ${dir} to continue it, or choose another --out`, 'E_OUT_EXISTS');
  }
  const reports = REPORT_FILES.filter((f) => existsSync(join(dir, f)));
  if (reports.length > 0) {
    throw new BnxError(`--out ${dir}: already holds ${reports.join(', ')}, which bnx run would overwrite; choose a new or empty directory`, 'E_OUT_EXISTS');
  }
}

/** The start time a resumed experiment keeps; an unreadable results.json is rebuilt from the run records. */
function resumedStartTime(dir: string, now: string): string {
  if (!existsSync(join(dir, 'results.json'))) return now;
  try {
    return readResultsFile(dir).started_at;
  } catch (err) {
    if (!isBnxError(err)) throw err;
    process.stderr.write(`bnx: warning: ${err.message}\nbnx: --resume rebuilds results.json from the run records in ${join(dir, 'runs')}\n`);
    return now;
  }
}

/**
 * A resumed experiment continues on the backend, device and engine it started on: its results compare the
 * variants, and a step-time or accuracy difference must not come from mixing backends.
 */
function checkSameBackend(dir: string, records: ReadonlyMap<string, RunResult>, now: { backend: string; device: string; engine: string | null }): void {
  const describe = (b: { backend: string; device: string; engine?: string | null }) => `${b.backend} on ${b.device}${b.engine ? ` (${b.engine})` : ''}`;
  const flags = (b: { backend: string; device: string; engine?: string | null }) =>
    `--backend ${b.backend} --device ${b.device}${b.engine ? ` --engine ${b.engine}` : ''}`;
  let before: { backend: string; device: string; engine?: string | null } | undefined;
  if (existsSync(join(dir, 'results.json'))) {
    try {
      before = readResultsFile(dir);
    } catch (err) {
      if (!isBnxError(err)) throw err; // a damaged results.json is rebuilt from the records; they still say
    }
  }
  const differs = (b: { backend?: string; device?: string; engine?: string | null } | undefined) =>
    b !== undefined && (b.backend !== now.backend || b.device !== now.device || (b.engine !== undefined && (b.engine ?? null) !== now.engine));
  if (!differs(before)) {
    const record = [...records.values()].find((r) => r.backend !== undefined && r.device !== undefined && differs({ backend: r.backend, device: r.device }));
    before = record ? { backend: record.backend!, device: record.device! } : undefined;
  }
  if (before === undefined || !differs(before)) return;
  throw new BnxError(
    `--resume ${dir}: its runs were trained with ${describe(before)}, and this run would use ${describe(now)}; resume with ${flags(before)}, so that no comparison mixes backends`,
    'E_RESUME',
  );
}

/**
 * --engine names an engine of the chosen backend; say which ones it has (the registry would only say that no
 * device matched). An unknown --backend is left to resolveBackend, which lists the known ones.
 */
async function checkEngine(backendName: string, engine: string | undefined): Promise<void> {
  if (engine === undefined) return;
  const entry = listBackends().find((b) => b.name === backendName);
  if (entry === undefined) return;
  let devices: DeviceInfo[];
  try {
    devices = await entry.backend.devices();
  } catch {
    return; // resolveBackend reports it
  }
  const engines = [...new Set(devices.flatMap((d) => (d.engine ? [d.engine] : [])))];
  if (engines.includes(engine)) return;
  if (engines.length === 0) {
    const others = BACKEND_NAMES.filter((name) => name !== backendName);
    throw new BnxError(
      `--engine ${engine}: the ${backendName} backend has no engines to choose from${others.length > 0 ? ` (--engine is for --backend ${others.join(' or ')})` : ''}; choose its device with --device`,
      'E_CLI_ENGINE',
    );
  }
  throw new BnxError(`--engine '${engine}': the ${backendName} backend's engines are ${engines.join(', ')}`, 'E_CLI_ENGINE');
}

export async function runExperiment(file: string, options: RunCommandOptions): Promise<number> {
  const checked = checkFile(file);
  if (!checked.program) {
    printDiagnostics(checked.diagnostics, checked.sources);
    return 1;
  }
  return runProgram(checked.program, checked.sources, options);
}

/**
 * --jobs beyond the CPU cores only makes workers compete for them (and each holds its own backend and
 * dataset in memory), so it is capped there; results do not depend on the number of workers.
 */
function workerCount(jobs: number, options: RunCommandOptions): number {
  const cores = availableParallelism();
  if (jobs <= cores) return jobs;
  if (!options.json && !options.quiet)
    process.stderr.write(
      `bnx: --jobs ${jobs}: this machine has ${cores} CPU core${cores === 1 ? '' : 's'}; training ${cores} run${cores === 1 ? '' : 's'} at a time\n`,
    );
  return cores;
}

/** Resolves the backend this process trains on, and says which devices it passed over. */
async function resolveLocalBackend(options: RunCommandOptions, device: 'cpu' | 'cuda' | 'auto') {
  await loadBackends(options.backend);
  await checkEngine(options.backend, options.engine);
  const resolved = await resolveBackend({ name: options.backend, device, engine: options.engine });
  if (!options.json && !options.quiet) {
    for (const skipped of resolved.passedOver) {
      process.stderr.write(
        `bnx: --device ${device}: training on ${resolved.device.device}; ${skipped.device} is not available: ${skipped.reason ?? 'no reason given'}\n`,
      );
    }
  }
  return resolved;
}

/** Flags that mean nothing when the workers train: refused, so nobody waits for what will not happen. */
function checkQueueFlags(options: RunCommandOptions): void {
  if (options.export !== undefined)
    throw new BnxError(
      '--export cannot be used with --queue: the models are trained on the workers, which do not send them back; train locally to export',
      'E_CLI_QUEUE',
    );
  if ((options.jobs ?? '1') !== '1')
    throw new BnxError('--jobs has no effect with --queue: start more workers, or give each one --concurrency N', 'E_CLI_QUEUE');
  if (options.shard !== undefined) throw new BnxError('--shard and --queue are two ways to spread a study over machines; use one of them', 'E_CLI_QUEUE');
}

/** The backend, device and engine every record names, when they all agree. */
function trainedOn(records: readonly RunResult[]): { backend?: string; device?: string; engine?: string | null } {
  const kinds = new Set(records.map((r) => JSON.stringify([r.backend, r.device, r.engine ?? null])));
  if (kinds.size !== 1) return {};
  const [backend, device, engine] = JSON.parse([...kinds][0]!) as [string | undefined, string | undefined, string | null];
  return { ...(backend ? { backend } : {}), ...(device ? { device } : {}), engine };
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
  for (const [flag, value] of [
    ['--out', options.out],
    ['--resume', options.resume],
    ['--export', options.export],
    ['--tensorboard', options.tensorboard],
  ] as const)
    parsePath(flag, value);
  const expanded = expandPlan(program, options.experiment, { overrides, seeds });
  if (!expanded.plan) {
    printDiagnostics(expanded.diagnostics, sources);
    return 1;
  }
  const plan = expanded.plan;
  // Warnings do not stop the run, but the user reads them before hours of training, not never.
  printDiagnostics(
    expanded.diagnostics.filter((d) => d.severity === 'warning'),
    sources,
  );
  const workers = workerCount(jobs, options);

  const queueTarget = options.queue !== undefined ? parseQueueUrl(options.queue) : undefined;
  const shard = options.shard !== undefined ? parseShard(options.shard) : undefined;
  if (queueTarget) checkQueueFlags(options);
  // With --queue the workers train, so the backend is resolved on them; here only its name is checked.
  const resolved = queueTarget ? undefined : await resolveLocalBackend(options, device);
  if (queueTarget && !BACKEND_NAMES.includes(options.backend)) {
    throw new BnxError(`--backend '${options.backend}': unknown backend; the backends are ${BACKEND_NAMES.join(', ')}`, 'E_CLI_BACKEND');
  }

  const outDir = resolve(options.resume ?? options.out ?? join('runs', `${plan.experiment}-${timestamp(new Date())}`));
  if (options.resume) checkResumeDir(outDir);
  // Every directory the run writes into is checked before any training, so a bad path costs no work.
  const exportDir = options.export ? resolve(options.export) : undefined;
  const tensorboardDir = options.tensorboard ? resolve(options.tensorboard) : undefined;
  const outExisted = existsSync(outDir);
  ensureDirectory(outDir, options.resume ? '--resume' : '--out');
  // Checked and written only under the lock: two runs into one folder would mix plans and results, and a run
  // beside a resume would train the same runs twice.
  const lock = lockOutputDir(outDir, options.resume ? 'bnx run --resume' : 'bnx run', options.resume ? '--resume' : '--out');
  try {
    let startedAt = new Date().toISOString();
    if (options.resume) {
      checkResumable(outDir, plan);
      checkResumedShard(outDir, shard);
      startedAt = resumedStartTime(outDir, startedAt);
    } else {
      checkFreshOut(outDir);
    }
    if (exportDir) ensureDirectory(exportDir, '--export');
    if (tensorboardDir) ensureDirectory(tensorboardDir, '--tensorboard');
    const header = resultsHeader(plan, {
      backend: resolved?.backend.name ?? options.backend,
      device: resolved?.device.device ?? device,
      engine: resolved ? (resolved.device.engine ?? null) : (options.engine ?? null),
      startedAt,
      version: BNX_VERSION,
    });
    const planIds = new Set(plan.runs.map((r) => r.id));
    const records = new Map<string, RunResult>([...loadRunRecords(outDir)].filter(([id]) => planIds.has(id)));
    // Through the queue without --engine, the workers chose the backend's default engine: the records say which.
    const engineNow = queueTarget && options.engine === undefined ? { ...header, engine: trainedOn([...records.values()]).engine ?? null } : header;
    if (options.resume) checkSameBackend(outDir, records, engineNow);
    writeJsonAtomic(join(outDir, 'plan.json'), plan);
    // The runs this invocation is responsible for: the whole plan, or one shard of it.
    const ownRuns = shard ? shardRuns(plan.runs, shard) : plan.runs;
    // Data files named by content, so that a shard or a worker trained on another copy is caught.
    const inputs = shard || queueTarget ? hashInputFiles(ownRuns, shard ? `--shard ${shardLabel(shard)}` : '--queue') : [];
    if (shard) writeShardFile(outDir, shard, ownRuns, inputs);
    const recorder = new RunRecorder(
      outDir,
      header,
      plan.runs.map((r) => r.id),
      records,
      undefined,
      undefined,
      queueTarget ? 'the record from the queue' : 'the new record',
    );
    try {
      return await trainAndReport(
        plan,
        options,
        { outDir, exportDir, tensorboardDir, device, resolved, workers, control, ownRuns, inputs, queueTarget },
        recorder,
      );
    } catch (err) {
      // A start that fails before any run ended (a dataset that does not load) leaves no half-made folder.
      if (!options.resume) removeIfNoRunEnded(outDir);
      throw err;
    }
  } finally {
    lock.release();
    // A folder this start made and left empty (it failed before writing anything that stays) goes too.
    if (!outExisted && existsSync(outDir) && readdirSync(outDir).length === 0) rmSync(outDir, { recursive: true, force: true });
  }
}

/** --resume names a folder `bnx run` wrote; it is never created. */
function checkResumeDir(dir: string): void {
  if (!existsSync(dir)) throw new BnxError(`--resume ${dir}: no such directory`, 'E_RESUME');
  if (!statSync(dir).isDirectory()) throw new BnxError(`--resume ${dir}: it is a file; pass the directory that \`bnx run\` wrote`, 'E_RESUME');
}

/** Removes what a fresh start wrote (plan.json, an empty runs/) when no run record exists. */
function removeIfNoRunEnded(outDir: string): void {
  const runsDir = join(outDir, 'runs');
  if (existsSync(runsDir) && readdirSync(runsDir).length > 0) return;
  rmSync(runsDir, { recursive: true, force: true });
  rmSync(join(outDir, 'plan.json'), { force: true });
}

interface TrainContext {
  outDir: string;
  exportDir: string | undefined;
  tensorboardDir: string | undefined;
  device: 'cpu' | 'cuda' | 'auto';
  /** Undefined when the runs train on queue workers, which resolve the backend themselves. */
  resolved: Awaited<ReturnType<typeof resolveBackend>> | undefined;
  workers: number;
  control: RunControl;
  /** The runs this invocation trains: the whole plan, or one shard of it. */
  ownRuns: readonly RunSpec[];
  /** Data files by content hash (for shards and the queue). */
  inputs: ReturnType<typeof hashInputFiles>;
  queueTarget: ReturnType<typeof parseQueueUrl> | undefined;
}

type StopSignal = keyof typeof EXIT_ON_SIGNAL;

async function trainAndReport(plan: PlanIR, options: RunCommandOptions, context: TrainContext, recorder: RunRecorder): Promise<number> {
  const { outDir, resolved } = context;
  const { ownRuns, queueTarget } = context;
  const pending = ownRuns.filter((r) => !isFinished(recorder.records.get(r.id)));
  const reporter: ProgressReporter =
    options.json || options.quiet
      ? new SilentProgress()
      : process.stderr.isTTY
        ? new TtyProgress(process.stderr)
        : new PlainProgress((line) => process.stderr.write(`${line}\n`));
  const controller = new AbortController();
  let stoppedBy: StopSignal | undefined;
  const onSignal = (signal: StopSignal) => {
    if (stoppedBy !== undefined) process.exit(EXIT_ON_SIGNAL[signal]); // a second Ctrl-C: stop now
    stoppedBy = signal;
    reporter.note(`bnx: ${signal}: stopping after marking the current run interrupted (press Ctrl-C again to quit at once)`);
    controller.abort();
  };
  const signals = Object.keys(EXIT_ON_SIGNAL) as StopSignal[];
  for (const signal of signals) process.on(signal, onSignal);
  const onExternalStop = () => onSignal('SIGINT');
  context.control.signal?.addEventListener('abort', onExternalStop);

  reporter.start(ownRuns.length, ownRuns.length - pending.length);
  try {
    const hooks = {
      onRunStart: (spec: RunSpec) => reporter.runStart(spec),
      onProgress: (spec: RunSpec, p: RunProgress) => reporter.progress(spec, p),
      onEvaluation: (spec: RunSpec, entry: HistoryPoint) => reporter.evaluation(spec, entry),
      onRunEnd: (spec: RunSpec, record: RunRecord) => reporter.runEnd(spec, recorder.record(record)),
    };
    if (queueTarget) {
      const { executeOnQueue } = await import('../queue/execute-on-queue.js');
      const choice = { backend: options.backend, device: context.device, engine: options.engine };
      const hash = planHash(plan, context.inputs, BNX_VERSION);
      await executeOnQueue(
        pending,
        {
          target: queueTarget,
          choice,
          planHash: hash,
          inputs: context.inputs,
          bnxVersion: BNX_VERSION,
          signal: controller.signal,
          note: (line) => reporter.note(line),
        },
        hooks,
      );
    } else if (context.workers > 1 && pending.length > 1) {
      await executeInWorkers(
        pending,
        {
          jobs: context.workers,
          backend: options.backend,
          device: context.device,
          engine: options.engine,
          exportDir: context.exportDir,
          signal: controller.signal,
        },
        hooks,
      );
    } else {
      const execute = {
        backend: resolved!.backend,
        device: resolved!.device.device,
        engine: resolved!.device.engine,
        signal: controller.signal,
        exportDir: context.exportDir,
        loadData: (spec: RunSpec) => loadDataset(spec.dataset, { seed: spec.seed }),
        train: trainRun,
      };
      await executeSerially(pending, execute, hooks);
    }
  } finally {
    for (const signal of signals) process.off(signal, onSignal);
    context.control.signal?.removeEventListener('abort', onExternalStop);
    reporter.stop();
  }

  // Through the queue, the workers resolved the device and engine: the header says what they used.
  const trainedHeader = queueTarget ? trainedOn([...recorder.records.values()]) : {};
  const results = recorder.results(new Date().toISOString(), trainedHeader);
  const paths = writeReports(outDir, results);
  if (context.tensorboardDir) writeTensorBoard(context.tensorboardDir, results);
  printSummary(results, outDir, paths.html, options, stoppedBy !== undefined);
  if (stoppedBy !== undefined) return EXIT_ON_SIGNAL[stoppedBy];
  return results.runs.some((r) => r.status === 'failed') ? 1 : 0;
}

/** A word as a POSIX shell reads it: quoted unless it is plainly safe. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The whole command that continues an interrupted experiment: --resume checks that the file and the flags
 * that shape the plan (experiment, --set, --seeds) and the backend give the same runs, so all of them are repeated.
 */
export function resumeCommand(sourceFile: string, outDir: string, options: RunCommandOptions): string {
  const words = ['bnx', 'run', sourceFile, '--resume', outDir];
  if (options.experiment !== undefined) words.push('--experiment', options.experiment);
  for (const set of options.set ?? []) words.push('--set', set);
  if (options.seeds !== undefined) words.push('--seeds', options.seeds);
  if (options.backend !== 'onnx') words.push('--backend', options.backend);
  if (options.device !== undefined && options.device !== 'cpu') words.push('--device', options.device);
  if (options.engine !== undefined) words.push('--engine', options.engine);
  // Never the password: the label shows *** in its place (give it again, or through BNX_QUEUE_PASSWORD).
  if (options.queue !== undefined) words.push('--queue', parseQueueUrl(options.queue).label);
  if (options.shard !== undefined) words.push('--shard', options.shard);
  return words.map(shellWord).join(' ');
}

function printSummary(results: ResultsFile, outDir: string, html: string, options: RunCommandOptions, interrupted: boolean): void {
  const count = (status: string) => results.runs.filter((r) => r.status === status).length;
  const runs = { completed: count('completed'), diverged: count('diverged'), failed: count('failed'), interrupted: count('interrupted') };
  // The same sentences as the report's findings, from the same place.
  const lead = buildLead(results);
  const headline = lead.comparisons.map((c) => c.text);
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
      claims: (results.claims ?? []).map((c) => ({
        claim: c.claim,
        status: c.status,
        title: c.title,
        test: c.test ?? null,
        p_value: c.p_value ?? null,
        p_adjusted: c.p_adjusted ?? null,
        verdict: c.verdict,
      })),
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }
  const lines: string[] = [];
  if (!options.quiet) {
    for (const line of leadLines(lead)) lines.push(`  ${line}`);
  }
  const failed = results.runs.filter((r) => r.status === 'failed');
  for (const r of failed) lines.push(`bnx: run ${r.id} failed: ${r.error ?? 'unknown error'}`);
  lines.push(
    `${interrupted ? `interrupted; resume with: ${resumeCommand(results.source_file, outDir, options)}\n` : ''}${runs.completed} completed, ${runs.diverged} diverged, ${runs.failed} failed, ${runs.interrupted} interrupted`,
  );
  lines.push(`report: ${html}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
