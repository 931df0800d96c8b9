import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeJsonAtomic } from '../results/atomic-write.js';
import { syntheticResults } from '../results/testing/synthetic-results.js';
import { registerReport } from './report.js';

function program(): Command {
  const p = new Command('bnx').exitOverride();
  registerReport(p);
  return p;
}

describe('bnx report', () => {
  afterEach(() => vi.restoreAllMocks());
  it('rebuilds the reports and recomputes statistics from the runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bnx-report-cmd-'));
    const results = syntheticResults();
    // A stale statistic, as an older bnx might have written: it must be recomputed.
    writeJsonAtomic(join(dir, 'results.json'), { ...results, comparisons: [] });
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((c) => {
      out.push(String(c));
      return true;
    });
    await program().parseAsync(['report', dir, '--json'], { from: 'user' });
    expect(JSON.parse(out.join('')).html).toBe(join(dir, 'report.html'));
    expect(readdirSync(dir).sort()).toEqual(['metrics.csv', 'report.html', 'report.md', 'results.json']);
    expect(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')).comparisons).toHaveLength(results.comparisons.length);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('batchnorm reached higher validation accuracy');
  });
  it('says what is missing when the directory has no results', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bnx-report-cmd-'));
    await expect(program().parseAsync(['report', dir], { from: 'user' })).rejects.toThrow(/results\.json: no such file/);
  });
});
