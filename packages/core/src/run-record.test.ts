// What the driver writes must be what the one definition of the run record (@bnx/results) admits, through
// JSON as runs/<id>.json and results.json store it; and the IR's sweep values (written out in @bnx/ir, which
// takes nothing from npm) must be the record's.
import Value from 'typebox/value';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Layer, Probe, SweepValue as IrSweepValue } from '@bnx/ir';
import { RunResult, type SweepValue } from '@bnx/results';
import { trainRun } from './driver.js';
import type { RunRecord } from './run-record.js';
import { createFakeBackend, type FakeFaults } from './testing/fake-backend.js';
import { blobDataset, runSpec, sgdRecipe, vectorModel } from './testing/tiny-data.js';

const dense = (name: string, units: number, bias = true): Layer => ({ op: 'dense', name, units, init: null, bias });
const model = vectorModel(4, [
  dense('dense_1', 8, false),
  { op: 'batchnorm', name: 'bn_1', momentum: 0.1, epsilon: 1e-5, runningVar: 'unbiased', affine: true },
  { op: 'relu', name: 'relu_1' },
  dense('dense_2', 3),
]);
const probes: Probe[] = [
  { kind: 'activations', layer: 'dense_1', point: 'pre_activation', percentiles: [15, 50, 85] },
  { kind: 'grad_norm' },
  { kind: 'weight_norm' },
  { kind: 'bn_stats' },
];
const data = blobDataset({ train: 100, validation: 60, test: 90 });

async function record(faults: FakeFaults = {}): Promise<RunRecord> {
  // Sweep values of each kind (number, boolean, string), as a plan's run carries them.
  const spec = { ...runSpec(model, sgdRecipe(), { seed: 3, probes }), params: { lr: 0.1, bn: true, init: 'he' } };
  return trainRun(spec, { backend: createFakeBackend({ faults }), device: 'cpu', engine: 'fake-engine', data });
}

/** The schema's complaints about a record as it is stored (NaN written as null). */
const problems = (r: RunRecord) => [...Value.Errors(RunResult, JSON.parse(JSON.stringify(r)))].map((e) => `${e.instancePath} ${e.message}`);

describe('the run record the driver writes', () => {
  it('is a RunResult, with every probe recorded', async () => {
    const r = await record();
    expect(Object.keys(r.probes).sort()).toEqual(['activations', 'bn_stats', 'grad_norm', 'weight_norm']);
    expect(r.test).toBeDefined();
    expect(problems(r)).toEqual([]);
  });

  it('is a RunResult when the run diverged (its non-finite loss stored as null)', async () => {
    const r = await record({ nanLossAtStep: 5 });
    expect(r.status).toBe('diverged');
    expect(JSON.parse(JSON.stringify(r)).step_losses).toContain(null);
    expect(problems(r)).toEqual([]);
  });

  it('is told apart from a record the definition does not admit', async () => {
    const r = await record();
    const wrong = { ...r, status: 'finished', probes: { ...r.probes, bn_stats: { steps: [], layers: { bn_1: { running_var: [] } } } } };
    expect(problems(wrong as unknown as RunRecord)).toEqual(
      expect.arrayContaining([
        '/status must be equal to one of the allowed values',
        '/probes/bn_stats/layers/bn_1 must have required properties running_mean_mean, running_mean_std, running_var_mean, running_var_std',
      ]),
    );
  });

  it('takes its sweep values from the same type as the IR', () => {
    expectTypeOf<IrSweepValue>().toEqualTypeOf<SweepValue>();
  });
});
