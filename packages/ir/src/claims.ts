// The claims made for batch normalization that bnx can decide, and what an experiment needs for each. The
// language reads an experiment's `claims: [...]` against this list, the IR checks each declared claim's needs,
// and @bnx/metrics keys its decision rules by these ids (a Record<ClaimId, ...>, so a claim without a rule
// does not compile). The rules themselves, endpoints and tests, are written down in docs/statistics.md.
import type { ExperimentIR, Probe, SweepIR } from './types.js';

export interface ClaimSpec {
  /** The claim as a sentence, the heading of its verdict. */
  title: string;
  /** What the claim says, as a noun phrase: "faster convergence". */
  topic: string;
  /**
   * Tested without a declaration whenever the experiment has what the claim needs. The others are measurable
   * in almost any experiment (a gap between losses, a time per step), so testing them everywhere would make
   * every experiment's family larger; they are tested only when `claims:` names them.
   */
  byDefault: boolean;
  /** What the experiment must have besides a variant with batch normalization and one without; null for nothing more. */
  needs: string | null;
  /** The instrument the claim reads, or null when every experiment has it. */
  requires: null | { sweep: string } | { probe: Probe['kind'] };
}

export const CLAIMS = {
  higher_learning_rates: {
    title: 'Batch normalization tolerates higher learning rates',
    topic: 'tolerance of higher learning rates',
    byDefault: true,
    needs: 'a sweep of `lr`',
    requires: { sweep: 'lr' },
  },
  init_sensitivity: {
    title: 'Batch normalization makes training less sensitive to initialization',
    topic: 'less sensitivity to initialization',
    byDefault: true,
    needs: 'a sweep of `init_scale`',
    requires: { sweep: 'init_scale' },
  },
  small_batch_degradation: {
    title: 'Batch normalization degrades at small batch sizes',
    topic: 'degradation at small batch sizes',
    byDefault: true,
    needs: 'a sweep of `batch`',
    requires: { sweep: 'batch' },
  },
  deeper_networks: {
    title: 'Batch normalization lets deeper networks train',
    topic: 'training deeper networks (an advantage that grows with depth)',
    byDefault: true,
    needs: 'a sweep of `depth` (a model parameter)',
    requires: { sweep: 'depth' },
  },
  faster_convergence: {
    title: 'Batch normalization makes training converge faster',
    topic: 'faster convergence',
    byDefault: true,
    needs: 'a `target:` and several evaluations per run',
    requires: null,
  },
  activation_stability: {
    title: 'Batch normalization keeps activation distributions stable during training',
    topic: 'stable activation distributions',
    byDefault: true,
    needs: 'an `activations` probe',
    requires: { probe: 'activations' },
  },
  regularization: {
    title: 'Batch normalization regularizes (a narrower gap between evaluation and training loss)',
    topic: 'a regularizing effect (a narrower gap between validation and training loss)',
    byDefault: false,
    needs: null,
    requires: null,
  },
  smoother_optimization: {
    title: 'Batch normalization makes optimization smoother (smaller gradients along training)',
    topic: 'smoother optimization (smaller gradients along training)',
    byDefault: false,
    needs: 'a `grad_norm` probe',
    requires: { probe: 'grad_norm' },
  },
  train_inference_gap: {
    title: 'Batch normalization behaves differently in training mode and in inference mode',
    topic: 'a gap between training-mode and inference-mode accuracy',
    byDefault: false,
    needs: null,
    requires: null,
  },
  step_cost: {
    title: 'Batch normalization costs time per training step',
    topic: 'a time cost per training step',
    byDefault: false,
    needs: null,
    requires: null,
  },
} as const satisfies Record<string, ClaimSpec>;

export type ClaimId = keyof typeof CLAIMS;

/** Every claim, in the order results and reports list them. */
export const CLAIM_IDS = Object.keys(CLAIMS) as ClaimId[];

export function isClaimId(name: unknown): name is ClaimId {
  return typeof name === 'string' && Object.hasOwn(CLAIMS, name);
}

/**
 * Why `claim` cannot be tested by `experiment`, or null when it has what the claim needs. A sweep must have
 * at least two values; the normalized and unnormalized variants are checked separately (every claim needs them).
 */
export function claimInstrumentProblem(claim: ClaimId, experiment: Pick<ExperimentIR, 'sweeps' | 'probes'>): string | null {
  const requires: ClaimSpec['requires'] = CLAIMS[claim].requires;
  if (requires === null) return null;
  if ('sweep' in requires) {
    const sweep = (experiment.sweeps ?? []).find((s: SweepIR) => s?.key === requires.sweep);
    return sweep && (sweep.values?.length ?? 0) >= 2 ? null : `it needs a sweep of \`${requires.sweep}\` with at least two values`;
  }
  return (experiment.probes ?? []).some((p) => p?.kind === requires.probe) ? null : `it needs \`probe: ${requires.probe}\``;
}

/**
 * The claims `experiment` sets out to decide, as known before any run: the declared ones, or every claim
 * tested by default whose instrument it has; none without a variant with batch normalization and one without.
 * (@bnx/metrics decides from the runs, which may still leave a claim untested, e.g. when no run finished.)
 */
export function plannedClaims(experiment: Pick<ExperimentIR, 'sweeps' | 'probes' | 'variants' | 'claims'>): ClaimId[] {
  if (experiment.claims !== undefined) return [...experiment.claims];
  const normalized = (experiment.variants ?? []).map((v) => (v?.model?.layers ?? []).some((l) => l?.op === 'batchnorm'));
  if (!normalized.includes(true) || !normalized.includes(false)) return [];
  return CLAIM_IDS.filter((id) => CLAIMS[id].byDefault && claimInstrumentProblem(id, experiment) === null);
}
