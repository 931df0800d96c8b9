// Storing runs as they end. Each record goes to runs/<id>.json at once (that is what --resume relies on);
// results.json, which holds every run and the statistics across them, is rebuilt only now and then while
// the experiment goes on, and once at the end. Rebuilding it after every run made a sweep quadratic: in a
// synthetic 2,000-run sweep (node bench/record-runs.mjs, 2-core VM under load) storing a run cost 18 ms at
// the first run, 200 ms at the 1,000th and 700 ms at the 2,000th; now it costs about 1 ms, plus one rebuild
// (0.3 s for 2,000 runs) every RESULTS_REFRESH_MS.
import { join } from 'node:path';
import type { RunRecord } from '@bnx/core';
import type { ResultsFile, RunResult } from '@bnx/metrics';
import { writeJsonAtomic } from '../results/atomic-write.js';
import { buildResults } from '../results/build-results.js';
import type { resultsHeader } from '../results/results-header.js';
import { recordRunOnce } from '../results/record-once.js';

/** How often, at most, results.json is rewritten while runs are still ending (an interim view for a crash). */
export const RESULTS_REFRESH_MS = 30_000;

export class RunRecorder {
  private lastResultsWrite = -Infinity;

  constructor(
    private readonly outDir: string,
    private readonly header: ReturnType<typeof resultsHeader>,
    /** Run ids in plan order: the order of runs in results.json. */
    private readonly order: readonly string[],
    /** Records already stored (a resumed experiment's finished runs); the recorder adds to it. */
    readonly records: Map<string, RunResult>,
    private readonly refreshMs = RESULTS_REFRESH_MS,
    private readonly now: () => number = () => performance.now(),
    /** Names where records come from, in the message when a second, different record arrives for a run. */
    private readonly source = 'the new record',
  ) {}

  /** Stores a finished (or failed, or interrupted) run and returns it as stored. */
  record(record: RunRecord): RunResult {
    // First finished record wins: a queue may deliver the same run twice.
    const saved = recordRunOnce(this.outDir, record, this.source).record;
    this.records.set(saved.id, saved);
    if (this.now() - this.lastResultsWrite >= this.refreshMs) {
      this.writeResults(this.results());
      this.lastResultsWrite = this.now();
    }
    return saved;
  }

  /**
   * results.json's content for the runs stored so far; `finishedAt` marks the experiment as ended, and
   * `trainedOn` replaces the backend, device or engine where the workers that trained the runs chose them.
   */
  results(finishedAt?: string, trainedOn: Partial<Pick<ResultsFile, 'backend' | 'device' | 'engine'>> = {}): ResultsFile {
    const header = { ...this.header, ...trainedOn, ...(finishedAt === undefined ? {} : { finished_at: finishedAt }) };
    return buildResults(header, [...this.records.values()], this.order);
  }

  writeResults(results: ResultsFile): void {
    writeJsonAtomic(join(this.outDir, 'results.json'), results);
  }
}
