// The claim catalogue: what each claim needs, and the family an experiment sets out to decide.
import { describe, expect, it } from 'vitest';
import { CLAIMS, CLAIM_IDS, claimInstrumentProblem, isClaimId, plannedClaims } from './claims.js';
import type { ExperimentIR, Probe, SweepIR, VariantIR } from './types.js';

const variant = (name: string, batchnorm: boolean) =>
  ({
    name,
    base: 'm',
    model: { name: 'm', input: [4], layers: [{ op: 'dense', name: 'dense_1' }, ...(batchnorm ? [{ op: 'batchnorm', name: 'bn_1' }] : [])] },
  }) as unknown as VariantIR;
const sweep = (key: string, values: number[]) => ({ key, values }) as unknown as SweepIR;
const experiment = (o: { sweeps?: SweepIR[]; probes?: Probe['kind'][]; bn?: boolean[]; claims?: ExperimentIR['claims'] }) => ({
  sweeps: o.sweeps ?? [],
  probes: (o.probes ?? []).map((kind) => ({ kind }) as Probe),
  variants: (o.bn ?? [false, true]).map((b, i) => variant(`v${i}`, b)),
  ...(o.claims !== undefined ? { claims: o.claims } : {}),
});

describe('claim catalogue', () => {
  it('knows its ids and nothing else', () => {
    expect(CLAIM_IDS).toContain('deeper_networks');
    expect(isClaimId('regularization')).toBe(true);
    expect(isClaimId('regularisation')).toBe(false);
    expect(isClaimId('toString')).toBe(false);
  });
  it('says what a claim lacks: a sweep of two values or more, or a probe', () => {
    expect(claimInstrumentProblem('higher_learning_rates', experiment({ sweeps: [sweep('lr', [0.1])] }))).toMatch(/sweep of `lr` with at least two values/);
    expect(claimInstrumentProblem('higher_learning_rates', experiment({ sweeps: [sweep('lr', [0.1, 1])] }))).toBeNull();
    expect(claimInstrumentProblem('smoother_optimization', experiment({}))).toMatch(/probe: grad_norm/);
    expect(claimInstrumentProblem('smoother_optimization', experiment({ probes: ['grad_norm'] }))).toBeNull();
    expect(claimInstrumentProblem('step_cost', experiment({}))).toBeNull();
  });
});

describe('plannedClaims: what an experiment sets out to decide, before any run', () => {
  it('is the default family for the instruments it has', () => {
    expect(plannedClaims(experiment({}))).toEqual(['faster_convergence']);
    expect(plannedClaims(experiment({ sweeps: [sweep('depth', [2, 8])], probes: ['activations'] }))).toEqual([
      'deeper_networks',
      'faster_convergence',
      'activation_stability',
    ]);
    // Declared-only claims are never in the default family, whatever the experiment measures.
    const defaults = plannedClaims(experiment({ probes: ['grad_norm'], sweeps: [sweep('lr', [0.1, 1]), sweep('batch', [2, 64])] }));
    expect(defaults.every((id) => CLAIMS[id].byDefault)).toBe(true);
  });
  it('is exactly the declaration when there is one, an empty one included', () => {
    expect(plannedClaims(experiment({ claims: ['step_cost', 'regularization'] }))).toEqual(['step_cost', 'regularization']);
    expect(plannedClaims(experiment({ claims: [] }))).toEqual([]);
  });
  it('is empty without a variant with batch normalization and one without', () => {
    expect(plannedClaims(experiment({ bn: [false, false] }))).toEqual([]);
    expect(plannedClaims(experiment({ bn: [true, true] }))).toEqual([]);
  });
});
