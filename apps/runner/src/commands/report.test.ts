import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeJsonAtomic } from '../results/atomic-write.js';
import { resultsSchemaErrors } from '../results/validate-results.js';
import { syntheticResults } from '../results/testing/synthetic-results.js';
import { registerReport } from './report.js';
import { runCli } from './testing/capture.js';

function program(): Command {
  const p = new Command('bnx').exitOverride();
  registerReport(p);
  return p;
}

describe('bnx report', () => {
  afterEach(() => vi.restoreAllMocks());
  it('rebuilds the reports and recomputes statistics from the runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bnx-report-cmd-'));
    // Five seeds: the fewest with which a paired comparison can reach p < 0.05.
    const results = syntheticResults({ seeds: [1, 2, 3, 4, 5] });
    // A stale statistic, as an older bnx might have written: it must be recomputed.
    writeJsonAtomic(join(dir, 'results.json'), { ...results, comparisons: [] });
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((c) => {
      out.push(String(c));
      return true;
    });
    await program().parseAsync(['report', dir, '--json'], { from: 'user' });
    expect(JSON.parse(out.join('')).html).toBe(join(dir, 'report.html'));
    expect(readdirSync(dir).sort()).toEqual(['figures', 'metrics.csv', 'report.html', 'report.md', 'results.json']);
    expect(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')).comparisons).toHaveLength(results.comparisons.length);
    // The recomputed comparisons are stated in the findings.
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toMatch(/validation accuracy was [\d.]+% for batchnorm and [\d.]+% for baseline: batchnorm higher by/);
  });
  it('renders a bnx.results/1 file written by an older bnx, with or without recomputing its statistics', async () => {
    // The /1 shape: no q-values, test names or adjusted p-values, no time to target, no analysis plan.
    const current = syntheticResults();
    const { time_to_target: _t, analysis_plan: _p, ...rest } = current;
    const old = {
      ...rest,
      schema: 'bnx.results/1',
      comparisons: current.comparisons.map(({ q_value: _q, test: _test, n_pairs: _n, smallest_possible_p: _s, ...c }) => c),
      claims: (current.claims ?? []).map(
        ({
          endpoint: _e,
          test: _test,
          p_value: _pv,
          p_adjusted: _pa,
          finding: _f,
          observed: _o,
          untested_reason: _u,
          n_seeds: _ns,
          smallest_possible_p: _s,
          detectable_effect: _d,
          ...c
        }) => c,
      ),
    };
    expect(resultsSchemaErrors(old, 'bnx.results/1')).toEqual([]);
    expect(resultsSchemaErrors(old).length).toBeGreaterThan(0);
    const kept = mkdtempSync(join(tmpdir(), 'bnx-report-v1-'));
    writeJsonAtomic(join(kept, 'results.json'), old);
    const keep = await runCli(['report', kept, '--keep-statistics']);
    expect(keep.stderr).toBe('');
    expect(keep.code).toBe(0);
    const html = readFileSync(join(kept, 'report.html'), 'utf8');
    expect(html).toContain('id="claims"');
    // Its comparisons were Welch's test, unadjusted: the table names the test and has no q column, and the
    // text says the statistics are those of an older bnx.
    expect(html).toMatch(/<td data-label="Test">Welch \(unpaired\)<\/td>/);
    expect(html).not.toContain('<th scope="col">q</th>');
    expect(html).toContain('Computed by an older bnx (results schema bnx.results/1)');
    // The claims read as their recorded verdicts, without a status word doubled beside the badge.
    expect(html).not.toMatch(/Inconclusive<\/span> Inconclusive/i);
    expect(JSON.parse(readFileSync(join(kept, 'results.json'), 'utf8')).schema).toBe('bnx.results/1');
    const redone = mkdtempSync(join(tmpdir(), 'bnx-report-v1-'));
    writeJsonAtomic(join(redone, 'results.json'), old);
    expect((await runCli(['report', redone])).code).toBe(0);
    const upgraded = JSON.parse(readFileSync(join(redone, 'results.json'), 'utf8'));
    expect(upgraded.schema).toBe('bnx.results/2');
    expect(resultsSchemaErrors(upgraded)).toEqual([]);
    expect(upgraded.comparisons[0].q_value).toEqual(expect.any(Number));
    expect(readFileSync(join(redone, 'report.html'), 'utf8')).toContain('docs/statistics.md');
  });
  it('says what is missing when the directory has no results', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bnx-report-cmd-'));
    await expect(program().parseAsync(['report', dir], { from: 'user' })).rejects.toThrow(/results\.json: no such file/);
  });

  it('says in one line what is wrong with a results.json that cannot be read, and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bnx-report-cmd-'));
    const cases: [string, string | Buffer, string][] = [
      ['not-json', 'not json\n', "results.json: not valid JSON (Unexpected token 'o')"],
      [
        'truncated',
        '{\n  "schema": "bnx.results/1",\n  "runs": [\n    {"id": "a\n',
        'results.json: not valid JSON (Bad control character in string literal in JSON: the file ends early (truncated?))',
      ],
      ['empty', '', 'results.json: the file is empty (expected JSON)'],
      ['binary', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]), 'results.json: it is a binary file, not a JSON file (a zero byte at line 1, column 5)'],
      ['not-results', '[1, 2]', 'results.json: not a bnx results file (it has no "schema": "bnx.results/2" field)'],
      [
        'wrong-schema',
        '{"schema": "bnx.results/1", "runs": []}',
        "results.json: does not match the bnx.results/1 schema: (root): must have required property 'experiment'",
      ],
    ];
    for (const [name, content, message] of cases) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'results.json'), content);
      const { code, stdout, stderr } = await runCli(['report', join(dir, name)]);
      expect(code, name).toBe(1);
      expect(stdout).toBe('');
      expect(stderr, name).toContain(`bnx: ${join(dir, name, message)}`);
      expect(stderr.trim().split('\n'), name).toHaveLength(1);
    }
    mkdirSync(join(dir, 'is-dir', 'results.json'), { recursive: true });
    const isDir = await runCli(['report', join(dir, 'is-dir')]);
    expect(isDir.stderr).toBe(`bnx: ${join(dir, 'is-dir', 'results.json')}: it is a directory, not a JSON file\n`);
  });

  it('warns when no run finished, and still writes the reports', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bnx-report-cmd-'));
    writeJsonAtomic(join(dir, 'results.json'), { ...syntheticResults(), runs: [] });
    const none = await runCli(['report', dir]);
    expect(none.code).toBe(0);
    expect(none.stderr).toBe('bnx: warning: results.json holds no runs; the report has no results to compare\n');
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain('0 runs');
    const results = syntheticResults({ seeds: [1] });
    writeJsonAtomic(join(dir, 'results.json'), { ...results, runs: results.runs.map((r) => ({ ...r, status: 'failed', error: 'out of memory', test: null })) });
    const failed = await runCli(['report', dir]);
    expect(failed.code).toBe(0);
    expect(failed.stderr).toContain(`none of the ${results.runs.length} runs in results.json finished (they failed or were interrupted)`);
  });
});
