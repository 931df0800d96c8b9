// `bnx merge`: the output folders of `bnx run --shard I/N` (or of any runs of the same experiment) combined
// into one folder that looks as if one `bnx run` had trained everything: plan.json, runs/, results.json,
// metrics.csv and the reports. The folders must come from the same file and plan, and from the same data
// files; a run found in two folders is kept once if both copies agree, and is an error if they do not.
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BnxError, isBnxError, type PlanIR } from '@bnx/ir';
import type { ResultsFile, RunResult } from '@bnx/metrics';
import type { MergeCommandOptions } from '../commands/merge.js';
import { ensureDirectory } from '../files/output-dir.js';
import { assertNotInUse, lockOutputDir } from '../files/output-lock.js';
import { readJsonFile } from '../files/read-json.js';
import { writeReports } from '../report/write-reports.js';
import { checkFreshOut, planFingerprint } from '../run/run-experiment.js';
import { readShardFile, shardLabel, type ShardFile } from '../run/shard.js';
import { BNX_VERSION } from '../version.js';
import { writeJsonAtomic } from './atomic-write.js';
import { buildResults } from './build-results.js';
import { chooseRecord } from './record-once.js';
import { readResultsFile } from './read-results.js';
import { resultsHeader } from './results-header.js';
import { isFinished, loadRunRecords, runRecordPath, saveRunRecord } from './run-store.js';

interface Shard {
  dir: string;
  plan: PlanIR;
  shard: ShardFile | undefined;
  results: ResultsFile | undefined;
  records: Map<string, RunResult>;
}

function readShard(dir: string): Shard {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new BnxError(`${dir}: not a directory (expected an output folder of \`bnx run\`)`, 'E_MERGE');
  // A shard still training (or being resumed) would be merged half-done, and its last runs trained twice.
  assertNotInUse(dir, 'bnx merge');
  const planPath = join(dir, 'plan.json');
  if (!existsSync(planPath)) throw new BnxError(`${dir}: no plan.json there; it is not an output folder of \`bnx run\``, 'E_MERGE');
  const plan = readJsonFile(planPath, 'E_MERGE') as PlanIR;
  if (plan === null || typeof plan !== 'object' || !Array.isArray(plan.runs)) throw new BnxError(`${planPath}: not a plan written by \`bnx run\``, 'E_MERGE');
  let results: ResultsFile | undefined;
  try {
    results = existsSync(join(dir, 'results.json')) ? readResultsFile(dir) : undefined;
  } catch (err) {
    if (!isBnxError(err)) throw err;
    results = undefined; // rebuilt from the run records, as --resume does
  }
  return { dir, plan, shard: readShardFile(dir), results, records: loadRunRecords(dir) };
}

/** Same file, same plan, same data: anything else would mix experiments in one report. */
function checkSameExperiment(shards: readonly Shard[]): void {
  const first = shards[0]!;
  for (const other of shards.slice(1)) {
    if (other.plan.sourceFile !== first.plan.sourceFile || other.plan.experiment !== first.plan.experiment) {
      throw new BnxError(
        `${other.dir}: experiment ${other.plan.experiment} of ${other.plan.sourceFile}, but ${first.dir} holds ${first.plan.experiment} of ${first.plan.sourceFile}; merge only folders of one experiment`,
        'E_MERGE',
      );
    }
    if (planFingerprint(other.plan) !== planFingerprint(first.plan)) {
      throw new BnxError(
        `${other.dir}: its plan differs from the plan in ${first.dir} (other runs or settings); merge only shards run with the same FILE, --experiment, --set and --seeds`,
        'E_MERGE',
      );
    }
  }
  const hashes = new Map<string, { sha256: string; dir: string }>();
  for (const shard of shards) {
    for (const file of shard.shard?.inputs ?? []) {
      const seen = hashes.get(file.path);
      if (seen && seen.sha256 !== file.sha256) {
        throw new BnxError(
          `${shard.dir} was trained on a different ${file.path} than ${seen.dir} (sha256 ${file.sha256.slice(0, 12)}… against ${seen.sha256.slice(0, 12)}…); its results cannot be compared with the others`,
          'E_MERGE',
        );
      }
      hashes.set(file.path, { sha256: file.sha256, dir: shard.dir });
    }
  }
  const counts = new Set(shards.flatMap((s) => (s.shard ? [s.shard.count] : [])));
  if (counts.size > 1)
    throw new BnxError(
      `the folders are shards of different splits (${shards
        .filter((s) => s.shard)
        .map((s) => `${s.dir}: ${shardLabel(s.shard!)}`)
        .join(', ')}); merge the shards of one --shard I/N series`,
      'E_MERGE',
    );
}

/** The one backend, device and engine of all records; mixing them would compare backends, not variants. */
function trainedOn(records: readonly RunResult[], shards: readonly Shard[]): { backend: string; device: string; engine: string | null } {
  const describe = (r: { backend?: string; device?: string; engine?: string | null }) => `${r.backend} on ${r.device}${r.engine ? ` (${r.engine})` : ''}`;
  const kinds = new Map<string, RunResult>();
  for (const r of records) kinds.set(describe(r), r);
  if (kinds.size > 1)
    throw new BnxError(
      `the folders hold runs trained on different backends (${[...kinds.keys()].join(', ')}); merge only runs of one backend and device`,
      'E_MERGE',
    );
  const record = [...kinds.values()][0];
  if (record?.backend !== undefined && record.device !== undefined) return { backend: record.backend, device: record.device, engine: record.engine ?? null };
  const header = shards.find((s) => s.results)?.results;
  if (header) return { backend: header.backend, device: header.device, engine: header.engine ?? null };
  throw new BnxError(`none of the folders holds a finished run or a results.json to merge`, 'E_MERGE');
}

export function mergeShards(dirs: readonly string[], options: MergeCommandOptions): number {
  const shards = dirs.map((dir) => readShard(resolve(dir)));
  checkSameExperiment(shards);
  const plan = shards[0]!.plan;
  const planIds = new Set(plan.runs.map((r) => r.id));
  const merged = new Map<string, { record: RunResult; dir: string }>();
  for (const shard of shards) {
    for (const [id, record] of shard.records) {
      if (!planIds.has(id)) continue;
      const held = merged.get(id);
      const outcome = chooseRecord(held?.record, record, { held: held ? runRecordPath(held.dir, id) : '', incoming: runRecordPath(shard.dir, id) });
      if (outcome === 'stored' && !(held && !isFinished(record))) merged.set(id, { record, dir: shard.dir });
    }
  }
  const records = [...merged.values()].map((m) => m.record);
  const environment = trainedOn(
    records.filter((r) => isFinished(r)),
    shards,
  );

  const out = resolve(options.out);
  ensureDirectory(out, '--out');
  // The same lock as `bnx run` and `bnx report`: no second command writes into --out meanwhile.
  const lock = lockOutputDir(out, 'bnx merge', '--out');
  try {
    checkFreshOut(out);
    writeJsonAtomic(join(out, 'plan.json'), plan);
    for (const record of records) saveRunRecord(out, record);
    const starts = shards.flatMap((s) => (s.results ? [s.results.started_at] : [])).sort();
    const ends = shards.flatMap((s) => (s.results?.finished_at ? [s.results.finished_at] : [])).sort();
    const header = resultsHeader(plan, { ...environment, startedAt: starts[0] ?? new Date().toISOString(), version: BNX_VERSION });
    const results = buildResults(
      { ...header, finished_at: ends[ends.length - 1] ?? null },
      records,
      plan.runs.map((r) => r.id),
    );
    const paths = writeReports(out, results);

    const missing = plan.runs.filter((r) => !isFinished(merged.get(r.id)?.record));
    const failed = results.runs.filter((r) => r.status === 'failed');
    const owner = (id: string) => {
      const count = shards.find((s) => s.shard)?.shard?.count;
      const k = plan.runs.findIndex((r) => r.id === id);
      return count ? ` (shard ${(k % count) + 1}/${count})` : '';
    };
    if (options.json) {
      process.stdout.write(
        `${JSON.stringify({ out_dir: out, results: paths.results, report_html: paths.html, runs: plan.runs.length, merged: records.length, missing: missing.map((r) => r.id) }, null, 2)}\n`,
      );
    } else {
      if (!options.quiet && missing.length > 0) {
        const shown = missing.slice(0, 5).map((r) => `${r.id}${owner(r.id)}`);
        process.stderr.write(
          `bnx: warning: ${missing.length} of ${plan.runs.length} runs have no finished result in these folders: ${shown.join(', ')}${missing.length > 5 ? ', …' : ''}; finish them with \`bnx run FILE --resume ${out}\`\n`,
        );
      }
      process.stdout.write(
        `merged ${shards.length} folder${shards.length === 1 ? '' : 's'}: ${plan.runs.length - missing.length} of ${plan.runs.length} runs finished\nreport: ${paths.html}\n`,
      );
    }
    return missing.length > 0 || failed.length > 0 ? 1 : 0;
  } finally {
    lock.release();
  }
}
