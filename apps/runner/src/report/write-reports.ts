// Everything a results directory holds besides the per-run records, rebuilt from results.json.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultsFile } from '@bnx/metrics';
import { writeFileAtomic, writeJsonAtomic } from '../results/atomic-write.js';
import { metricsCsv } from '../results/metrics-csv.js';
import { FIGURES_DIR, renderHtmlReport } from './html-report.js';
import { buildFigures, figureList } from './report-charts.js';
import { renderMarkdownReport } from './markdown-report.js';

export interface WrittenReports {
  results: string;
  csv: string;
  html: string;
  markdown: string;
  /** The folder holding each figure as a standalone SVG and the CSV of its numbers. */
  figures: string;
}

export function writeReports(dir: string, results: ResultsFile, options: { writeResults?: boolean } = {}): WrittenReports {
  const paths = { results: join(dir, 'results.json'), csv: join(dir, 'metrics.csv'), html: join(dir, 'report.html'), markdown: join(dir, 'report.md') };
  if (options.writeResults !== false) writeJsonAtomic(paths.results, results);
  writeFileAtomic(paths.csv, metricsCsv(results));
  const figures = buildFigures(results);
  const figureDir = join(dir, FIGURES_DIR);
  // Rebuilt whole, so a figure the results no longer have does not linger from an earlier report.
  rmSync(figureDir, { recursive: true, force: true });
  mkdirSync(figureDir, { recursive: true });
  for (const chart of figureList(figures)) {
    writeFileAtomic(join(figureDir, `${chart.id}.svg`), `<?xml version="1.0" encoding="UTF-8"?>\n${chart.svg}\n`);
    writeFileAtomic(join(figureDir, `${chart.id}.csv`), chart.csv);
  }
  writeFileAtomic(paths.html, renderHtmlReport(results, figures));
  writeFileAtomic(paths.markdown, renderMarkdownReport(results));
  return { ...paths, figures: figureDir };
}
