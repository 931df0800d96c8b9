import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBnxError } from '@bnx/ir';
import { writeJsonAtomic } from './atomic-write.js';
import { reanalyze } from './build-results.js';
import { csvField, metricsCsv } from './metrics-csv.js';
import { readResultsFile } from './read-results.js';
import { resultsSchemaErrors } from './validate-results.js';
import { syntheticResults } from './testing/synthetic-results.js';

describe('results.json', () => {
  const results = syntheticResults({ divergeBaselineAtLargestBatch: true });
  it('validates against the shipped JSON Schema after a JSON round trip', () => {
    expect(resultsSchemaErrors(JSON.parse(JSON.stringify(results)))).toEqual([]);
  });
  it('rejects wrong statuses, missing fields and unknown fields', () => {
    const bad = JSON.parse(JSON.stringify(results));
    bad.runs[0].status = 'finished';
    delete bad.runs[1].history;
    bad.extra = 1;
    const errors = resultsSchemaErrors(bad);
    expect(errors.some((e) => e.startsWith('runs/0/status'))).toBe(true);
    expect(errors.some((e) => e.includes("must have required property 'history'"))).toBe(true);
    expect(errors.some((e) => e.includes('additional properties'))).toBe(true);
  });
  it('keeps per-seed values in the summary and compares at every sweep point', () => {
    const entry = results.summary.find((s) => s.variant === 'batchnorm' && s.params.batch === 128)!;
    expect(entry.metrics.val_accuracy!.values).toHaveLength(3);
    expect(results.comparisons.filter((c) => c.metric === 'val_accuracy')).toHaveLength(3);
    expect(results.summary.find((s) => s.variant === 'baseline' && s.params.batch === 512)!.diverged).toBe(1);
  });
  it('gives the same statistics when re-analyzed from its runs', () => {
    expect(reanalyze(results)).toEqual(results);
  });
  it('decides exactly the declared claims when the file declares them, and records the declaration', () => {
    const declared = reanalyze({ ...results, declared_claims: ['step_cost', 'small_batch_degradation'] });
    expect(declared.claims!.map((c) => c.claim)).toEqual(['small_batch_degradation', 'step_cost']);
    expect(declared.declared_claims).toEqual(['step_cost', 'small_batch_degradation']);
    expect(resultsSchemaErrors(JSON.parse(JSON.stringify(declared)))).toEqual([]);
    // Without a declaration the family is the default one, which never holds a declared-only claim.
    expect(results.claims!.map((c) => c.claim)).not.toContain('step_cost');
  });
});

describe('atomic writes and reading', () => {
  it('writes NaN as null, leaves no temp file, and reads the file back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bnx-results-'));
    const results = syntheticResults({ seeds: [1, 2] });
    const withNaN = JSON.parse(JSON.stringify(results));
    withNaN.runs[0].history[0].train_loss = Number.NaN;
    writeJsonAtomic(join(dir, 'results.json'), withNaN);
    expect(readdirSync(dir)).toEqual(['results.json']);
    const back = readResultsFile(dir);
    expect(back.runs[0]!.history[0]!.train_loss).toBeNull();
  });
  it('explains what is wrong with a bad file, without a stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bnx-results-'));
    const read = () => readResultsFile(dir);
    expect(read).toThrow(/results\.json: no such file/);
    expect(() => readResultsFile(join(dir, 'missing'))).toThrow(/missing: not found \(expected a directory written by `bnx run`/);
    writeFileSync(join(dir, 'results.json'), '{"schema": "other/2"}');
    expect(read).toThrow(/field "schema" is "other\/2", expected one of "bnx.results\/2", "bnx.results\/1"/);
    writeFileSync(join(dir, 'results.json'), '{"schema": "bnx.results/1", "runs": []}');
    try {
      read();
      expect.unreachable();
    } catch (err) {
      expect(isBnxError(err)).toBe(true);
      expect((err as Error).message).toMatch(/does not match the bnx.results\/1 schema: \(root\): must have required property/);
    }
  });
});

describe('metrics.csv', () => {
  it('has one row per run and evaluation point, with the swept keys as columns', () => {
    const results = syntheticResults({ seeds: [1], batches: [32, 64], evaluations: 4 });
    const lines = metricsCsv(results).trim().split('\n');
    expect(lines[0]).toBe('run_id,variant,seed,batch,status,step,epoch,seconds,train_loss,train_accuracy,val_loss,val_accuracy');
    expect(lines).toHaveLength(1 + 2 * 2 * 4);
    expect(lines[1]!.startsWith('baseline__batch=32__seed=1,baseline,1,32,completed,')).toBe(true);
  });
  it('quotes fields that need it', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(null)).toBe('');
  });
  it('neutralizes text cells that a spreadsheet would run as a formula, and leaves negative numbers alone', () => {
    expect(csvField("=cmd|' /C calc'!A0")).toBe(`"'=cmd|' /C calc'!A0"`);
    expect(csvField('+SUM(A1:A2)')).toBe(`"'+SUM(A1:A2)"`);
    expect(csvField('-2+3')).toBe(`"'-2+3"`);
    expect(csvField('@HYPERLINK("http://x")')).toBe(`"'@HYPERLINK(""http://x"")"`);
    expect(csvField('\t=1')).toBe(`"'\t=1"`);
    expect(csvField('\r=1')).toBe(`"'\r=1"`);
    expect(csvField(-0.25)).toBe('-0.25');
    expect(csvField('-0.25')).toBe('-0.25');
    expect(csvField('-1e-4')).toBe('-1e-4');
    expect(csvField('a=b')).toBe('a=b');
    const results = syntheticResults({ seeds: [1], batches: [32], evaluations: 1 });
    results.runs[0]!.variant = '=HYPERLINK("http://evil","x")';
    results.runs[0]!.history[0]!.train_loss = -1.5;
    const row = metricsCsv(results).split('\n')[1]!;
    expect(row).toContain(`,"'=HYPERLINK(""http://evil"",""x"")",`);
    expect(row).toContain(',-1.5,');
  });
});
