// The tfjs backend's cross-package checks: the shared conformance suite, float32 against the float64
// reference, on both engines that install everywhere (wasm, the default, and the pure-JS cpu engine); then the
// backend under @bnx/core's driver on an acceptance file.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tfjsBackend } from '@bnx/backend-tfjs';
import { trainRun } from '@bnx/core';
import { loadDataset } from '@bnx/data';
import { checkFile } from '@bnx/dsl';
import { expandPlan } from '@bnx/ir';
import { runConformanceSuite } from './suite.js';

runConformanceSuite('tfjs wasm', async () => tfjsBackend, { engine: 'wasm', device: 'cpu' });
runConformanceSuite('tfjs cpu', async () => tfjsBackend, { engine: 'cpu', device: 'cpu' });

// Reduced budget: both variants of shared/bnx/seed-mlp-adam.bnx (an MLP and its batch-normalized twin) must
// learn MNIST far above the 10% of chance.
const seedFile = fileURLToPath(new URL('../../examples/seed-mlp-adam.bnx', import.meta.url));

describe('tfjs wasm under the driver: seed-mlp-adam.bnx, reduced budget', () => {
  it('trains both variants to far above chance', async () => {
    const parsed = checkFile(seedFile);
    expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const { plan } = expandPlan(parsed.program!, undefined, { overrides: { subset: 3000, validation: 500, epochs: 2 }, seeds: [1] });
    expect(plan!.runs.map((r) => r.variant).sort()).toEqual(['baseline', 'batchnorm']);
    for (const spec of plan!.runs) {
      const data = await loadDataset(spec.dataset, { seed: spec.seed });
      const record = await trainRun(spec, { backend: tfjsBackend, device: 'auto', engine: 'wasm', data });
      expect(record.status, `${spec.variant}: ${record.error ?? ''}`).toBe('completed');
      expect(record.history.at(-1)!.val_accuracy, spec.variant).toBeGreaterThan(0.8);
      expect(record.test!.accuracy, spec.variant).toBeGreaterThan(0.8);
      expect(record.step_losses.at(-1)!).toBeLessThan(record.step_losses[0]!);
    }
  });
});
