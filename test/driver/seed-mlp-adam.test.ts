// The training driver end to end on a real acceptance file: shared/bnx/seed-mlp-adam.bnx parsed by @bnx/dsl,
// planned by @bnx/ir, MNIST loaded by @bnx/data, trained by @bnx/core's driver on the float64 reference
// backend with a reduced budget. Both variants must learn (validation accuracy far above the 10% of chance).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkFile } from '@bnx/dsl';
import { expandPlan } from '@bnx/ir';
import { loadDataset } from '@bnx/data';
import { trainRun } from '@bnx/core';
import { createReferenceBackend } from '@bnx/core/reference';

const file = fileURLToPath(new URL('../../examples/seed-mlp-adam.bnx', import.meta.url));

describe('driver on seed-mlp-adam.bnx (reference backend, reduced budget)', () => {
  it('trains both variants to far above chance', async () => {
    const parsed = checkFile(file);
    expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const { plan, diagnostics } = expandPlan(parsed.program!, undefined, {
      overrides: { subset: 1500, validation: 300, epochs: 2 },
      seeds: [1],
    });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(plan!.runs.map((r) => r.variant).sort()).toEqual(['baseline', 'batchnorm']);
    for (const spec of plan!.runs) {
      const full = await loadDataset(spec.dataset, { seed: spec.seed });
      // Reduced budget: the first 1,000 test samples (the float64 reference is slow on all 10,000).
      const testCount = 1000;
      const width = full.test.x.length / full.test.count;
      const data = {
        ...full,
        test: { ...full.test, count: testCount, x: full.test.x.subarray(0, testCount * width), y: full.test.y.subarray(0, testCount) },
      };
      const record = await trainRun(spec, { backend: createReferenceBackend(), device: 'auto', data });
      expect(record.status, `${spec.variant}: ${record.error ?? ''}`).toBe('completed');
      expect(record.eval_split).toBe('validation');
      expect(record.history).toHaveLength(2);
      expect(record.history.at(-1)!.val_accuracy, spec.variant).toBeGreaterThan(0.5);
      expect(record.test!.accuracy, spec.variant).toBeGreaterThan(0.5);
      expect(record.step_losses.at(-1)!).toBeLessThan(record.step_losses[0]!);
    }
  });
});
