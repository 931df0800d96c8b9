// `bnx report DIR`: rebuilds metrics.csv, report.html, report.md and figures/ from DIR/results.json. The statistics
// are recomputed from the runs, so a report made by an older bnx picks up current metrics.
import type { Command } from 'commander';
import { reanalyze } from '../results/build-results.js';
import { readResultsFile, resultsPath } from '../results/read-results.js';
import { writeReports } from '../report/write-reports.js';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { withOutputLock } from '../files/output-lock.js';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('rebuild report.html, report.md, figures/ and metrics.csv from a results directory')
    .argument('<dir>', 'a directory written by `bnx run` (or its results.json)')
    .option('--json', 'print the written paths as JSON')
    .option('--keep-statistics', 'use the summary and comparisons stored in results.json instead of recomputing them')
    .action(async (dir: string, options: { json?: boolean; keepStatistics?: boolean }) => {
      const folder = dirname(resultsPath(dir));
      if (!existsSync(folder)) readResultsFile(dir); // says what is missing
      // Not while a `bnx run` (or another report) writes into the same folder.
      await withOutputLock(folder, 'bnx report', 'bnx report', () => writeReport(dir, options));
    });
}

function writeReport(dir: string, options: { json?: boolean; keepStatistics?: boolean }): void {
  const stored = readResultsFile(dir);
  const finished = stored.runs.filter((r) => r.status === 'completed' || r.status === 'diverged').length;
  if (finished === 0) {
    const n = stored.runs.length;
    process.stderr.write(
      `bnx: warning: ${n === 0 ? 'results.json holds no runs' : `none of the ${n} runs in results.json finished (they failed or were interrupted)`}; the report has no results to compare\n`,
    );
  }
  const results = options.keepStatistics ? stored : reanalyze(stored);
  const paths = writeReports(dirname(resultsPath(dir)), results, { writeResults: !options.keepStatistics });
  if (options.json) process.stdout.write(`${JSON.stringify(paths)}\n`);
  else process.stdout.write(`report: ${paths.html}\n        ${paths.markdown}\n`);
}
