import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '@bnx/core';
import { syntheticResults } from '../results/testing/synthetic-results.js';
import { RunRecorder } from './record-runs.js';

describe('RunRecorder', () => {
  it('stores every record at once, but rebuilds results.json at most once per refresh interval', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bnx-recorder-'));
    const { runs, summary: _s, curves: _c, comparisons: _p, claims: _l, ...header } = syntheticResults();
    let clock = 0;
    const recorder = new RunRecorder(
      dir,
      header,
      runs.map((r) => r.id),
      new Map(),
      1000,
      () => clock,
    );
    const resultsRuns = () => (JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { runs: unknown[] }).runs.length;

    recorder.record(runs[0] as unknown as RunRecord);
    expect(resultsRuns()).toBe(1); // the first run: an interim results.json at once
    const written = statSync(join(dir, 'results.json')).mtimeMs;
    for (const [i, run] of runs.slice(1, 6).entries()) {
      clock = 100 * (i + 1);
      recorder.record(run as unknown as RunRecord);
      expect(existsSync(join(dir, 'runs', `${run.id}.json`))).toBe(true);
    }
    expect(resultsRuns()).toBe(1);
    expect(statSync(join(dir, 'results.json')).mtimeMs).toBe(written);
    clock = 1000;
    recorder.record(runs[6] as unknown as RunRecord);
    expect(resultsRuns()).toBe(7);
    expect(recorder.results('2026-12-06T05:00:00.000Z')).toMatchObject({ finished_at: '2026-12-06T05:00:00.000Z' });
    expect(recorder.records.size).toBe(7);
  });
});
