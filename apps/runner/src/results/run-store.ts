// The per-run records of a results directory: runs/<id>.json, each written atomically when its run ends,
// so an interrupted experiment keeps every finished run and `--resume` knows what is left.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BnxError, isBnxError } from '@bnx/ir';
import type { RunResult } from '@bnx/metrics';
import { readJsonFile } from '../files/read-json.js';
import { writeJsonAtomic } from './atomic-write.js';
import { runRecordSchemaErrors } from './validate-results.js';

export function runRecordPath(dir: string, id: string): string {
  return join(dir, 'runs', `${id}.json`);
}

/** Stores a run's record; NaN and Infinity become null. Returns the record as read back from JSON. */
export function saveRunRecord(dir: string, record: object & { id: string }): RunResult {
  const path = runRecordPath(dir, record.id);
  writeJsonAtomic(path, record);
  return JSON.parse(readFileSync(path, 'utf8')) as RunResult;
}

/** Every stored record, by run id. Files that are not valid JSON records are reported, not skipped silently. */
export function loadRunRecords(dir: string): Map<string, RunResult> {
  const runsDir = join(dir, 'runs');
  const out = new Map<string, RunResult>();
  if (!existsSync(runsDir)) return out;
  if (!statSync(runsDir).isDirectory()) throw new BnxError(`${runsDir}: expected the directory of run records, found a file`, 'E_RESULTS_SCHEMA');
  for (const name of readdirSync(runsDir).sort()) {
    if (!name.endsWith('.json') || name.startsWith('.')) continue;
    const path = join(runsDir, name);
    let record: RunResult;
    try {
      record = readJsonFile(path, 'E_RESULTS_JSON') as RunResult;
    } catch (err) {
      if (!isBnxError(err)) throw err;
      throw new BnxError(`${err.message}; delete it to rerun that run`, 'E_RESULTS_JSON');
    }
    if (typeof record?.id !== 'string' || typeof record.status !== 'string') {
      throw new BnxError(`${path}: not a bnx run record (no "id" or "status"); delete it to rerun that run`, 'E_RESULTS_SCHEMA');
    }
    const errors = runRecordSchemaErrors(record);
    if (errors.length > 0) {
      const shown = errors.slice(0, 3).join('; ');
      throw new BnxError(
        `${path}: not a valid run record (${shown}${errors.length > 3 ? `; and ${errors.length - 3} more` : ''}); delete it to rerun that run`,
        'E_RESULTS_SCHEMA',
      );
    }
    if (name !== `${record.id}.json`) {
      throw new BnxError(
        `${path}: holds the record of run '${record.id}', not of '${name.slice(0, -'.json'.length)}'; delete it to rerun that run`,
        'E_RESULTS_SCHEMA',
      );
    }
    out.set(record.id, record);
  }
  return out;
}

/** Completed and diverged runs are results; failed and interrupted ones are run again on resume. */
export function isFinished(record: RunResult | undefined): boolean {
  return record !== undefined && (record.status === 'completed' || record.status === 'diverged');
}
