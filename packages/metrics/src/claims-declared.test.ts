// The claims an experiment must declare (`claims: [...]`), on constructed runs whose right answer is known,
// and how a declaration changes the family.
import { seededRandom } from '@bnx/test-support';
import { describe, expect, it } from 'vitest';
import { evaluateClaims } from './claims.js';
import { compareVariants } from './compare-variants.js';
import { lossVariation, meanGradientNorm } from './claims-declared.js';
import type { ClaimVerdict, RunResult } from './results-types.js';
import { curveRun, fakeRun } from './testing/synthetic-runs.js';
import type { ClaimId } from '@bnx/ir';

const variants = [
  { name: 'baseline', batchnorm: false },
  { name: 'batchnorm', batchnorm: true },
];
const seeds = [1, 2, 3, 4, 5];
/** Deterministic noise in [-1, 1) for (seed, k). */
const noise = (seed: number, k = 0) => 2 * seededRandom(seed * 7919 + k * 104_729)() - 1;

function decide(runs: RunResult[], id: ClaimId): ClaimVerdict {
  const verdict = evaluateClaims({ runs, variants, claims: [id] }).find((c) => c.claim === id);
  expect(verdict).toBeDefined();
  return verdict!;
}

/** A completed run whose last evaluation has the given losses and accuracies. */
function endingWith(
  variant: string,
  seed: number,
  last: { train_loss: number; val_loss: number; train_accuracy?: number; val_accuracy?: number },
  params = {},
): RunResult {
  const run = fakeRun({ variant, seed, params, finalAccuracy: 0.9 });
  Object.assign(run.history.at(-1)!, last);
  return run;
}

describe('regularization: the gap between evaluation and training loss at the end, paired by seed', () => {
  const runs = (bnGap: number) =>
    seeds.flatMap((seed) => [
      endingWith('baseline', seed, { train_loss: 0.05, val_loss: 0.05 + 0.2 + 0.01 * noise(seed) }),
      endingWith('batchnorm', seed, { train_loss: 0.05, val_loss: 0.05 + bnGap + 0.01 * noise(seed, 1) }),
    ]);
  it('is supported when batch norm narrows the gap in every seed, and contradicted in the mirror image', () => {
    const yes = decide(runs(0.1), 'regularization');
    expect(yes.status).toBe('supported');
    expect(yes.test).toBe('paired_t');
    expect((yes.evidence as { gap: Record<string, number[]> }).gap.batchnorm).toHaveLength(5);
    expect(decide(runs(0.3), 'regularization').status).toBe('contradicted');
  });
  it('is not shown when the gaps are the same up to seed noise', () => {
    expect(decide(runs(0.2), 'regularization').status).toBe('not_shown');
  });
  it('names the test split when the runs had no validation split', () => {
    const onTest = runs(0.1).map((r) => ({ ...r, eval_split: 'test' as const }));
    expect(decide(onTest, 'regularization').endpoint).toMatch(/final test-split loss minus the training loss/);
  });
  it('leaves out a diverged run (it has no gap) and says so', () => {
    const some = runs(0.1);
    some[1] = fakeRun({ variant: 'batchnorm', seed: 1, finalAccuracy: 0.1, status: 'diverged' });
    const verdict = decide(some, 'regularization');
    expect(verdict.n_seeds).toBe(4);
    expect(verdict.verdict).toMatch(/1 diverged run has no gap and leaves its seed out/);
  });
});

describe('smoother optimization: the whole-network gradient norm over training, as a ratio', () => {
  function withGradients(variant: string, seed: number, scale: number, losses: number[]): RunResult {
    const run = fakeRun({ variant, seed, finalAccuracy: 0.9 });
    run.probes = { grad_norm: { steps: [100, 200], norms: { 'dense_1.weight': [3 * scale, 3 * scale], 'dense_2.weight': [4 * scale, 4 * scale] } } };
    run.step_losses = losses;
    return run;
  }
  it('sums the tensors as a whole-network norm (3-4-5) and averages it over the probe points', () => {
    expect(meanGradientNorm(withGradients('a', 1, 2, []))).toBeCloseTo(10, 12);
  });
  it('takes the loss variation from the second half of the step losses', () => {
    // Second half [1, 3, 2]: |3-1| + |2-3| over 2 changes = 1.5; the first half's big jumps do not count.
    expect(lossVariation(withGradients('a', 1, 1, [9, 0, 1, 3, 2]))).toBeCloseTo(1.5, 12);
  });
  it('is supported when batch norm trains with smaller gradients in every seed, reporting the loss variation beside it', () => {
    const runs = seeds.flatMap((seed) => [
      withGradients('baseline', seed, 1 + 0.05 * noise(seed), [1, 1, 0.9, 1.1, 0.8]),
      withGradients('batchnorm', seed, 0.7 + 0.05 * noise(seed, 1), [1, 1, 0.95, 1.0, 0.9]),
    ]);
    const verdict = decide(runs, 'smoother_optimization');
    expect(verdict.status).toBe('supported');
    expect(verdict.verdict).toMatch(/step-to-step change of the training loss .* reported, not part of the decision/);
    expect(verdict.verdict).toMatch(/×0\.\d\d/);
  });
  it('is inconclusive, not dropped, when the runs have no grad_norm probe', () => {
    const runs = seeds.flatMap((seed) => [
      fakeRun({ variant: 'baseline', seed, finalAccuracy: 0.9 }),
      fakeRun({ variant: 'batchnorm', seed, finalAccuracy: 0.9 }),
    ]);
    const verdict = decide(runs, 'smoother_optimization');
    expect(verdict.status).toBe('inconclusive');
    expect(verdict.untested_reason).toMatch(/grad_norm/);
  });
});

describe('train/inference gap: (training-mode - inference-mode accuracy) of bn minus the reference, two-sided', () => {
  const runs = (bnShift: (batch: number) => number) =>
    seeds.flatMap((seed) =>
      [2, 64].flatMap((batch) => [
        endingWith('baseline', seed, { train_loss: 0.1, val_loss: 0.2, train_accuracy: 0.95, val_accuracy: 0.93 + 0.002 * noise(seed, batch) }, { batch }),
        endingWith(
          'batchnorm',
          seed,
          { train_loss: 0.1, val_loss: 0.2, train_accuracy: 0.95 + bnShift(batch), val_accuracy: 0.93 + 0.002 * noise(seed, batch + 1) },
          { batch },
        ),
      ]),
    );
  it('is supported at the smallest batch whichever way the modes disagree', () => {
    const lower = decide(
      runs((b) => (b === 2 ? -0.15 : 0)),
      'train_inference_gap',
    );
    const higher = decide(
      runs((b) => (b === 2 ? 0.05 : 0)),
      'train_inference_gap',
    );
    expect([lower.status, higher.status]).toEqual(['supported', 'supported']);
    expect(lower.endpoint).toMatch(/at batch 2/);
    expect(lower.verdict).toMatch(/at batch 64, batchnorm minus baseline [+-]0\.\d points/);
  });
  it('is not shown when the modes agree at the smallest batch (a gap only at batch 64 does not count)', () => {
    expect(
      decide(
        runs((b) => (b === 64 ? -0.15 : 0)),
        'train_inference_gap',
      ).status,
    ).toBe('not_shown');
  });
});

describe('step cost: time per training sample as a ratio, paired by seed', () => {
  const runs = (bnSlower: number) =>
    seeds.flatMap((seed) => [
      fakeRun({ variant: 'baseline', seed, finalAccuracy: 0.9, samplesPerSecond: 10_000 * (1 + 0.02 * noise(seed)) }),
      fakeRun({ variant: 'batchnorm', seed, finalAccuracy: 0.9, samplesPerSecond: (10_000 / bnSlower) * (1 + 0.02 * noise(seed, 1)) }),
    ]);
  it('is supported when batch norm is 20% slower in every seed, and reports it as a percentage', () => {
    const verdict = decide(runs(1.2), 'step_cost');
    expect(verdict.status).toBe('supported');
    expect(verdict.verdict).toMatch(/mean per-seed difference \+(19|20|21)\.\d%/);
  });
  it('is contradicted when batch norm is faster, and not shown at equal speed', () => {
    expect(decide(runs(0.8), 'step_cost').status).toBe('contradicted');
    expect(decide(runs(1), 'step_cost').status).toBe('not_shown');
  });
});

describe('a declaration is the whole family', () => {
  const runs = seeds.flatMap((seed) => [
    curveRun({ variant: 'baseline', seed, valAccuracy: [0.5, 0.7, 0.8, 0.85, 0.9].map((x) => x + 0.002 * noise(seed)) }),
    curveRun({ variant: 'batchnorm', seed, valAccuracy: [0.7, 0.85, 0.9, 0.92, 0.93].map((x) => x + 0.002 * noise(seed, 1)) }),
  ]);
  it('without one, the claims tested by default (here faster convergence) and none of the declared-only ones', () => {
    expect(evaluateClaims({ runs, variants }).map((c) => c.claim)).toEqual(['faster_convergence']);
  });
  it('with one, exactly the declared claims in catalogue order, Holm-adjusted over them', () => {
    const claims = evaluateClaims({ runs, variants, claims: ['step_cost', 'faster_convergence'] });
    expect(claims.map((c) => c.claim)).toEqual(['faster_convergence', 'step_cost']);
    const fast = claims[0]!;
    expect(fast.p_adjusted!).toBeGreaterThanOrEqual(fast.p_value!);
    expect(fast.verdict).toMatch(/Holm-adjusted over 2 claims/);
  });
  it('an empty declaration tests nothing', () => {
    expect(evaluateClaims({ runs, variants, claims: [] })).toEqual([]);
  });
  it('a declared claim without a normalized and an unnormalized variant is reported untested, not dropped', () => {
    const plain = runs.filter((r) => r.variant === 'baseline');
    const claims = evaluateClaims({ runs: plain, variants: [variants[0]!], claims: ['regularization'] });
    expect(claims.map((c) => [c.claim, c.status])).toEqual([['regularization', 'inconclusive']]);
    expect(claims[0]!.untested_reason).toMatch(/a variant with batch normalization and one without/);
  });
});

describe('runs without a validation split (`validation: 0`) are evaluated on the test split, and the words say so', () => {
  const runs = seeds.flatMap((seed) => [
    curveRun({ variant: 'baseline', seed, valAccuracy: [0.5, 0.7, 0.8, 0.85, 0.9].map((x) => x + 0.002 * noise(seed)) }),
    curveRun({ variant: 'batchnorm', seed, valAccuracy: [0.7, 0.85, 0.9, 0.92, 0.93].map((x) => x + 0.002 * noise(seed, 1)) }),
  ]);
  const onTest = runs.map((r) => ({ ...r, eval_split: 'test' as const }));
  it('in the claims', () => {
    const [fast] = evaluateClaims({ runs: onTest, variants });
    expect(fast!.endpoint).toMatch(/mean test-split accuracy over steps/);
    expect(fast!.verdict).not.toMatch(/validation/);
    expect(evaluateClaims({ runs, variants })[0]!.endpoint).toMatch(/mean validation accuracy over steps/);
  });
  it('in the comparison table', () => {
    const row = compareVariants(onTest, null, variants).find((c) => c.metric === 'val_accuracy')!;
    expect(row.verdict).toMatch(/test-split accuracy/);
    expect(row.verdict).not.toMatch(/validation/);
  });
});
