// Everything a results directory holds besides the per-run records, rebuilt from results.json.
import { join } from 'node:path';
import type { ResultsFile } from '@bnx/metrics';
import { writeFileAtomic, writeJsonAtomic } from '../results/atomic-write.js';
import { metricsCsv } from '../results/metrics-csv.js';
import { renderHtmlReport } from './html-report.js';
import { renderMarkdownReport } from './markdown-report.js';

export interface WrittenReports {
  results: string;
  csv: string;
  html: string;
  markdown: string;
}

export function writeReports(dir: string, results: ResultsFile, options: { writeResults?: boolean } = {}): WrittenReports {
  const paths = { results: join(dir, 'results.json'), csv: join(dir, 'metrics.csv'), html: join(dir, 'report.html'), markdown: join(dir, 'report.md') };
  if (options.writeResults !== false) writeJsonAtomic(paths.results, results);
  writeFileAtomic(paths.csv, metricsCsv(results));
  writeFileAtomic(paths.html, renderHtmlReport(results));
  writeFileAtomic(paths.markdown, renderMarkdownReport(results));
  return paths;
}
