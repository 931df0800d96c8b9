// `bnx run` through the CLI on every experiment of every example file (the copies of shared/bnx/, the main
// job, and the reproductions in examples/studies/ and examples/claims/), on a reduced budget: one seed, one epoch, 1,000 training and 500 validation images. Each must
// exit 0 with every planned run completed or diverged (divergence is a result, e.g. bn-claims' lr 1.0), a
// results.json that meets the schema, and both reports.
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkFile } from '@bnx/dsl';
import type { ResultsFile } from '@bnx/metrics';
import { resultsSchemaErrors } from '../results/validate-results.js';
import { runCli } from './testing/capture.js';

const examples = fileURLToPath(new URL('../../../../examples/', import.meta.url));
const cases = readdirSync(examples, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.bnx') && !f.startsWith('invalid'))
  .sort()
  .flatMap((file) => (checkFile(join(examples, file)).program?.experiments ?? []).map((e) => [file, e.name] as const));

describe('bnx run on every example file (reduced budget)', () => {
  it('finds the experiments', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
    // One experiment per claim of issue 16 and one faithful file per study.
    expect(cases.filter(([file]) => file.startsWith('claims/')).length).toBeGreaterThanOrEqual(9);
    expect(cases.filter(([file]) => file.startsWith('studies/')).length).toBe(6);
  });

  it.each(cases)(
    '%s, experiment %s',
    async (file, experiment) => {
      const out = join(mkdtempSync(join(tmpdir(), 'bnx-examples-')), experiment);
      const args = [
        'run',
        join(examples, file),
        '--experiment',
        experiment,
        '--seeds',
        '1',
        '--set',
        'epochs=1',
        '--set',
        'subset=1500',
        '--set',
        'validation=500',
        '--out',
        out,
        '--json',
      ];
      const { code, stdout, stderr } = await runCli(args);
      expect(code, stderr).toBe(0);
      const summary = JSON.parse(stdout) as { runs: { completed: number; diverged: number } };
      const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ResultsFile;
      expect(resultsSchemaErrors(results)).toEqual([]);
      const plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8')) as { runs: unknown[] };
      expect(results.runs).toHaveLength(plan.runs.length);
      expect(summary.runs.completed + summary.runs.diverged).toBe(plan.runs.length);
      for (const run of results.runs) {
        expect(['completed', 'diverged'], run.id).toContain(run.status);
        if (run.status === 'completed') expect(run.test?.accuracy, run.id).toBeGreaterThan(0);
      }
      for (const name of ['report.html', 'report.md', 'metrics.csv']) expect(existsSync(join(out, name)), name).toBe(true);
    },
    120_000,
  );
});
