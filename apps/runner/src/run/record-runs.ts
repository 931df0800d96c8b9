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
import { saveRunRecord } from '../results/run-store.js';

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
  ) {}

  /** Stores a finished (or failed, or interrupted) run and returns it as stored. */
  record(record: RunRecord): RunResult {
    const saved = saveRunRecord(this.outDir, record);
    this.records.set(saved.id, saved);
    if (this.now() - this.lastResultsWrite >= this.refreshMs) {
      this.writeResults(this.results());
      this.lastResultsWrite = this.now();
    }
    return saved;
  }

  /** results.json's content for the runs stored so far; `finishedAt` marks the experiment as ended. */
  results(finishedAt?: string): ResultsFile {
    return buildResults(finishedAt === undefined ? this.header : { ...this.header, finished_at: finishedAt }, [...this.records.values()], this.order);
  }

  writeResults(results: ResultsFile): void {
    writeJsonAtomic(join(this.outDir, 'results.json'), results);
  }
}
