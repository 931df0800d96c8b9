// Recording a run when the same run can arrive twice. A queue of runs is at-least-once (a worker that lost
// its lock, a completion seen both as an event and by a poll) and merged shards may overlap, so a record is
// stored under a rule that never lets a second copy change the results: the first finished record for a
// run id wins, a second one with the same numbers is dropped, and a second one with different numbers is an
// error, since runs are deterministic per backend and a difference means something is wrong.
import { existsSync } from 'node:fs';
import { BnxError, isBnxError } from '@bnx/ir';
import type { RunResult } from '@bnx/metrics';
import { readJsonFile } from '../files/read-json.js';
import { isFinished, runRecordPath, saveRunRecord } from './run-store.js';

/**
 * A record without its wall-clock timings (run seconds, samples per second, the time of each evaluation),
 * as JSON text: what two trainings of the same run on the same backend must agree on exactly.
 */
export function runNumbers(record: object): string {
  const { seconds: _s, samples_per_second: _sps, history, ...rest } = record as RunResult & Record<string, unknown>;
  const untimed = { ...rest, history: (history ?? []).map(({ seconds: _t, ...point }) => point) };
  // Through JSON, so NaN in memory and null on disk compare equal (saveRunRecord writes non-finite as null).
  return JSON.stringify(untimed, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value));
}

/** Which of the numbers differ first, for the error message (the field name, or the history point). */
function firstDifference(a: object, b: object): string {
  const left = JSON.parse(runNumbers(a)) as Record<string, unknown>;
  const right = JSON.parse(runNumbers(b)) as Record<string, unknown>;
  for (const key of new Set([...Object.keys(left), ...Object.keys(right)])) {
    if (JSON.stringify(left[key]) !== JSON.stringify(right[key])) return key;
  }
  return 'the record';
}

export type RecordOutcome = 'stored' | 'duplicate';

/**
 * Decides between a record already held for a run and a new one: `stored` when the new one should be kept
 * (nothing held yet, or the held one is failed or interrupted and so is run again), `duplicate` when the held
 * finished record stays. Throws when both are finished and their numbers differ; `where` names the sources.
 */
export function chooseRecord(held: RunResult | undefined, incoming: object & { id: string }, where: { held: string; incoming: string }): RecordOutcome {
  if (!isFinished(held)) return 'stored';
  if (runNumbers(held!) === runNumbers(incoming)) return 'duplicate';
  throw new BnxError(
    `run ${incoming.id}: ${where.incoming} has a different result than ${where.held} (${firstDifference(held!, incoming)} differs); runs are deterministic on one backend, so one of them was trained on other data, another backend or another bnx version. Remove the wrong one and run again`,
    'E_RECORD_CONFLICT',
  );
}

/** Stores `record` in `dir` under the first-finished-record-wins rule; returns the record that is kept. */
export function recordRunOnce(dir: string, record: object & { id: string }, source = 'the new record'): { outcome: RecordOutcome; record: RunResult } {
  const path = runRecordPath(dir, record.id);
  let held: RunResult | undefined;
  if (existsSync(path)) {
    try {
      held = readJsonFile(path, 'E_RESULTS_JSON') as RunResult;
    } catch (err) {
      if (!isBnxError(err)) throw err;
      held = undefined; // a damaged record is replaced, as --resume would rerun it
    }
  }
  const outcome = chooseRecord(held, record, { held: path, incoming: source });
  if (outcome === 'duplicate') return { outcome, record: held! };
  return { outcome, record: saveRunRecord(dir, record) };
}
