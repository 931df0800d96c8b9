import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resultsJsonSchemaText } from '@bnx/results';
import { RESULTS_SCHEMA_FILES, RESULTS_SCHEMA_PATH, resultsSchemaErrors, runRecordSchemaErrors } from './validate-results.js';

describe('schema/results.schema.json', () => {
  it('is the document generated from @bnx/results (regenerate: pnpm --filter @bnx/runner schema after pnpm build)', () => {
    expect(readFileSync(RESULTS_SCHEMA_PATH, 'utf8')).toBe(resultsJsonSchemaText());
  });

  it('keeps the frozen bnx.results/1 schema beside it', () => {
    const old = JSON.parse(readFileSync(RESULTS_SCHEMA_FILES['bnx.results/1']!, 'utf8')) as { properties: { schema: { const: string } } };
    expect(old.properties.schema.const).toBe('bnx.results/1');
  });

  it("checks a run record's batch-norm statistics, which it now describes", () => {
    const run = {
      id: 'bn__seed=1',
      variant: 'bn',
      seed: 1,
      params: {},
      status: 'completed',
      history: [],
      samples_per_second: 10,
      probes: {
        bn_stats: {
          steps: [0, 4],
          layers: { bn_1: { running_mean_mean: [0, null], running_mean_std: [0, 0.1], running_var_mean: [1, 0.9], running_var_std: [0, 0.2] } },
        },
      },
    };
    expect(runRecordSchemaErrors(run)).toEqual([]);
    const misspelt = structuredClone(run) as { probes: { bn_stats: { layers: Record<string, Record<string, unknown>> } } };
    misspelt.probes.bn_stats.layers['bn_1']!['running_var'] = misspelt.probes.bn_stats.layers['bn_1']!['running_var_mean'];
    delete misspelt.probes.bn_stats.layers['bn_1']!['running_var_mean'];
    expect(runRecordSchemaErrors(misspelt)).toEqual([
      "probes/bn_stats/layers/bn_1: must have required property 'running_var_mean'",
      'probes/bn_stats/layers/bn_1: must NOT have additional properties',
    ]);
  });

  it("requires the statistics every bnx.results/2 file has (a comparison's outcome)", () => {
    const errors = resultsSchemaErrors({
      schema: 'bnx.results/2',
      experiment: 'e',
      source_file: 'e.bnx',
      backend: 'onnx',
      device: 'cpu',
      engine: null,
      started_at: '2026-12-06T10:00:00Z',
      bnx_version: '0.1.0',
      runs: [],
      summary: [],
      comparisons: [
        {
          params: {},
          a: 'plain',
          b: 'bn',
          metric: 'val_accuracy',
          difference: 0.01,
          ci95: [0, 0.02],
          p_value: 0.04,
          rank_p_value: 0.05,
          q_value: 0.04,
          test: 'paired_t',
          n_a: 3,
          n_b: 3,
          verdict: 'bn higher',
        },
      ],
    });
    expect(errors).toEqual(["comparisons/0: must have required property 'outcome'"]);
  });
});
