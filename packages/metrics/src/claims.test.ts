// The claim rules on constructed run sets whose right answer is known (the scenarios of docs/statistics.md).
import { seededRandom } from '@bnx/test-support';
import { describe, expect, it } from 'vitest';
import { evaluateClaims } from './claims.js';
import { holmAdjust } from './multiplicity.js';
import type { ClaimVerdict, RunResult, TargetSpec } from './results-types.js';
import { curveRun, fakeRun } from './testing/synthetic-runs.js';

const variants = [
  { name: 'baseline', batchnorm: false },
  { name: 'batchnorm', batchnorm: true },
];
const seedsUpTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
/** A deterministic seed effect in [-0.005, 0.005), different for each (seed, k). */
const jitter = (seed: number, k = 0) => (seededRandom(seed * 100_003 + Math.round(k * 1000))() - 0.5) / 100;
/** Accuracy curve rising towards `final` at `speed` per evaluation. */
const rising = (final: number, speed: number, n = 10) => Array.from({ length: n }, (_, i) => 0.1 + (final - 0.1) * (1 - Math.exp(-speed * (i + 1))));
const target97: TargetSpec = { metric: 'val_accuracy', op: '>=', value: 0.97 };

function claim(runs: RunResult[], id: string, target: TargetSpec | null = null): ClaimVerdict | undefined {
  return evaluateClaims({ runs, variants, target }).find((c) => c.claim === id);
}

/** A curve that first meets 0.97 at evaluation `at` (1-based), or never (null). */
const reaching = (at: number | null, n = 10) => Array.from({ length: n }, (_, i) => (at !== null && i + 1 >= at ? 0.975 : 0.9 + i * 0.005));

describe('faster convergence with a declared target: time to target as survival data', () => {
  it('does not drop the runs that never reach it (the issue: baseline early in 2 of 5 seeds, never in 3; batch norm later in 5 of 5)', () => {
    const runs = [
      ...[1, 2, null, null, null].map((at, i) => curveRun({ variant: 'baseline', seed: i + 1, valAccuracy: reaching(at) })),
      ...[5, 6, 6, 7, 8].map((at, i) => curveRun({ variant: 'batchnorm', seed: i + 1, valAccuracy: reaching(at) })),
    ];
    const c = claim(runs, 'faster_convergence', target97)!;
    expect(c.status).toBe('not_shown');
    expect(c.test).toBe('log_rank_exact');
    expect(c.p_value!).toBeGreaterThan(0.2);
    expect(c.verdict).toMatch(/batchnorm median 600 steps, 95% CI \[\d+, \d+\] \(5\/5 runs reached it\), baseline median not reached \(2\/5 runs reached it\)/);
  });
  it('is symmetric: all against none is inconclusive both ways at 2 seeds a side (the exact test cannot go below p = 0.333)', () => {
    const make = (bnReaches: boolean) =>
      [1, 2].flatMap((seed) => [
        curveRun({ variant: 'baseline', seed, valAccuracy: reaching(bnReaches ? null : 3) }),
        curveRun({ variant: 'batchnorm', seed, valAccuracy: reaching(bnReaches ? 3 : null) }),
      ]);
    const yes = claim(make(true), 'faster_convergence', target97)!;
    const no = claim(make(false), 'faster_convergence', target97)!;
    expect([yes.status, no.status]).toEqual(['inconclusive', 'inconclusive']);
    expect(yes.verdict).toMatch(/cannot give p below 0\.333/);
  });
  it('is symmetric: all against none at 5 seeds a side is supported, and its mirror image contradicted', () => {
    const make = (bnReaches: boolean) =>
      seedsUpTo(5).flatMap((seed) => [
        curveRun({ variant: 'baseline', seed, valAccuracy: reaching(bnReaches ? null : 3 + (seed % 2)) }),
        curveRun({ variant: 'batchnorm', seed, valAccuracy: reaching(bnReaches ? 3 + (seed % 2) : null) }),
      ]);
    const yes = claim(make(true), 'faster_convergence', target97)!;
    const no = claim(make(false), 'faster_convergence', target97)!;
    expect(yes.status).toBe('supported');
    expect(no.status).toBe('contradicted');
    expect(yes.p_value).toBeCloseTo(no.p_value!, 12);
    expect(yes.p_value).toBeCloseTo(2 / 252, 12);
  });
  it('is inconclusive when no run reached the declared target, and does not pick another level', () => {
    const runs = seedsUpTo(5).flatMap((seed) => [
      curveRun({ variant: 'baseline', seed, valAccuracy: rising(0.9, 0.2) }),
      curveRun({ variant: 'batchnorm', seed, valAccuracy: rising(0.92, 1) }),
    ]);
    const c = claim(runs, 'faster_convergence', { metric: 'val_accuracy', op: '>=', value: 0.99 })!;
    expect(c.status).toBe('inconclusive');
    expect(c.verdict).toMatch(/^inconclusive: no run reached validation accuracy >= 99\.0% within its budget/);
  });
  it('counts a diverged run as censored, not dropped', () => {
    const runs = [
      ...seedsUpTo(5).map((seed) => curveRun({ variant: 'batchnorm', seed, valAccuracy: reaching(3) })),
      ...seedsUpTo(5).map((seed) =>
        seed <= 3
          ? curveRun({ variant: 'baseline', seed, valAccuracy: reaching(null, 4), status: 'diverged' })
          : curveRun({ variant: 'baseline', seed, valAccuracy: reaching(8) }),
      ),
    ];
    const c = claim(runs, 'faster_convergence', target97)!;
    expect(c.verdict).toMatch(/baseline median not reached \(2\/5 runs reached it\)/);
    expect(c.status).toBe('supported');
  });
});

describe('faster convergence without a target: a rule fixed before the data (mean accuracy over the common steps)', () => {
  // The ioffe-2015-fig1 shape: batch norm high within the first evaluations, the baseline slow.
  const ioffe = (n: number, mirror = false) =>
    seedsUpTo(n).flatMap((seed) => [
      curveRun({ variant: 'baseline', seed, valAccuracy: rising(0.95 + jitter(seed), mirror ? 1.5 : 0.15 + jitter(seed, 1)) }),
      curveRun({ variant: 'batchnorm', seed, valAccuracy: rising(0.97 + jitter(seed), mirror ? 0.15 + jitter(seed, 1) : 1.5) }),
    ]);
  it('supports faster convergence with 5 seeds (paired t on the per-seed areas)', () => {
    const c = claim(ioffe(5), 'faster_convergence')!;
    expect(c.status).toBe('supported');
    expect(c.test).toBe('paired_t');
    expect(c.endpoint).toMatch(/^mean validation accuracy over steps 100-1000/);
    expect(c.verdict).not.toMatch(/best level/);
  });
  it('contradicts it in the mirror image', () => {
    expect(claim(ioffe(5, true), 'faster_convergence')!.status).toBe('contradicted');
  });
  it('is inconclusive with 3 seeds: the exact sign-flip test cannot go below p = 0.25', () => {
    const c = claim(ioffe(3), 'faster_convergence')!;
    expect(c.status).toBe('inconclusive');
    expect(c.test).toBe('sign_flip_exact');
    expect(c.verdict).toMatch(/exact sign-flip test over 3 seeds cannot give p below 0\.250/);
  });
  it('records the parts of each verdict as fields, for readers that word it themselves', () => {
    const few = claim(ioffe(3), 'faster_convergence')!;
    expect(few).toMatchObject({ n_seeds: 3, smallest_possible_p: 0.25, untested_reason: null, detectable_effect: null });
    expect(few.finding).toBeUndefined();
    expect(few.observed).toMatch(/^mean validation accuracy over steps 100-1000: baseline \d+\.\d%, batchnorm \d+\.\d%$/);
    const yes = claim(ioffe(5), 'faster_convergence')!;
    expect(yes).toMatchObject({ finding: 'batchnorm converged faster', n_seeds: 5, smallest_possible_p: 0, detectable_effect: null });
    expect(yes.verdict).toContain(`${yes.finding}: ${yes.observed}`);
    const one = claim(ioffe(1), 'faster_convergence')!;
    expect(one.untested_reason).toBe('1 seed with values for both variants, so nothing was tested');
  });
  it('with one seed reports what it saw and tests nothing', () => {
    const c = claim(ioffe(1), 'faster_convergence')!;
    expect(c.status).toBe('inconclusive');
    expect(c.verdict).toMatch(
      /^inconclusive: 1 seed with values for both variants, so nothing was tested\. Observed mean validation accuracy over steps 100-1000: baseline \d+\.\d%, batchnorm \d+\.\d%/,
    );
  });
  it('is inconclusive when runs were evaluated too rarely to time', () => {
    const runs = seedsUpTo(5).flatMap((seed) => ['baseline', 'batchnorm'].map((variant) => fakeRun({ variant, seed, finalAccuracy: 0.9, evaluations: 2 })));
    const c = claim(runs, 'faster_convergence')!;
    expect(c.status).toBe('inconclusive');
    expect(c.verdict).toMatch(/evaluated only 2 times, too coarse/);
  });
});

describe('learning-rate claim: an absolute bar, per-seed highest tolerated rate compared paired', () => {
  const lrs = [0.01, 0.1, 1];
  it('is not supported for identical variants where one baseline seed happened to diverge at one rate', () => {
    for (const n of [3, 5]) {
      const runs = seedsUpTo(n).flatMap((seed) =>
        lrs.flatMap((lr) => [
          fakeRun({ variant: 'baseline', seed, params: { lr }, finalAccuracy: 0.93 + jitter(seed), status: seed === 2 && lr === 1 ? 'diverged' : 'completed' }),
          fakeRun({ variant: 'batchnorm', seed, params: { lr }, finalAccuracy: 0.93 + jitter(seed) }),
        ]),
      );
      const c = claim(runs, 'higher_learning_rates')!;
      expect(c.status).not.toBe('supported');
      expect(c.verdict).toMatch(/diverged runs: baseline 1\/\d+, batchnorm 0\/\d+ \(Fisher's exact test p = 1\.000/);
    }
  });
  it('does not let a baseline stuck at chance "tolerate" every rate (and so contradict the claim)', () => {
    const runs = seedsUpTo(7).flatMap((seed) =>
      lrs.flatMap((lr) => [
        fakeRun({ variant: 'baseline', seed, params: { lr }, finalAccuracy: 0.11 + jitter(seed) }),
        fakeRun({ variant: 'batchnorm', seed, params: { lr }, finalAccuracy: 0.95 + jitter(seed) }),
      ]),
    );
    const c = claim(runs, 'higher_learning_rates')!;
    expect(c.status).toBe('supported');
    expect(c.verdict).toMatch(/per seed: baseline none, none, none, none, none, none, none; batchnorm 1, 1, 1, 1, 1, 1, 1/);
  });
  it('is supported when batch norm trains at a rate where the baseline diverges in every seed, and contradicted in the mirror image', () => {
    const make = (bnBetter: boolean) =>
      seedsUpTo(7).flatMap((seed) =>
        lrs.flatMap((lr) => {
          const fails = lr === 1;
          return [
            fakeRun({ variant: 'baseline', seed, params: { lr }, finalAccuracy: 0.95 + jitter(seed), status: fails && bnBetter ? 'diverged' : 'completed' }),
            fakeRun({ variant: 'batchnorm', seed, params: { lr }, finalAccuracy: 0.96 + jitter(seed), status: fails && !bnBetter ? 'diverged' : 'completed' }),
          ];
        }),
      );
    const yes = claim(make(true), 'higher_learning_rates')!;
    expect(yes.status).toBe('supported');
    expect(yes.test).toBe('sign_flip_exact');
    expect(yes.p_value).toBeCloseTo(2 / 128, 12);
    expect(claim(make(false), 'higher_learning_rates')!.status).toBe('contradicted');
  });
  it('uses the declared target as the bar when there is one', () => {
    const runs = seedsUpTo(3).flatMap((seed) =>
      lrs.flatMap((lr) => ['baseline', 'batchnorm'].map((variant) => fakeRun({ variant, seed, params: { lr }, finalAccuracy: 0.9 }))),
    );
    expect(claim(runs, 'higher_learning_rates', target97)!.evidence.quality_bar).toEqual(target97);
    expect(claim(runs, 'higher_learning_rates')!.endpoint).toMatch(/validation accuracy >= 50\.0% at the end, without diverging/);
  });
  it('does not apply without an lr sweep', () => {
    const runs = seedsUpTo(3).flatMap((seed) => ['baseline', 'batchnorm'].map((variant) => fakeRun({ variant, seed, finalAccuracy: 0.9 })));
    expect(claim(runs, 'higher_learning_rates')).toBeUndefined();
  });
});

describe('initialization sensitivity: grouped by seed and every other swept setting', () => {
  it('keeps every seed when the experiment also sweeps the learning rate', () => {
    const base: Record<string, number> = { '0.1': 0.6, '1': 0.95, '3': 0.3 };
    const runs = seedsUpTo(5).flatMap((seed) =>
      [0.1, 1, 3].flatMap((init_scale) =>
        [0.01, 0.1].flatMap((lr) => [
          fakeRun({
            variant: 'baseline',
            seed,
            params: { init_scale, lr },
            finalAccuracy: base[String(init_scale)]! + jitter(seed, init_scale * 10 + lr * 100) * 3,
          }),
          fakeRun({ variant: 'batchnorm', seed, params: { init_scale, lr }, finalAccuracy: 0.95 + jitter(seed, init_scale * 10 + lr * 100) }),
        ]),
      ),
    );
    const c = claim(runs, 'init_sensitivity')!;
    expect(c.evidence.seeds).toEqual([1, 2, 3, 4, 5]);
    expect(c.status).toBe('supported');
  });
});

describe('small-batch degradation: every combination of the other settings', () => {
  it('finds a degradation that is only in the second learning rate (the first combination alone shows none)', () => {
    const runs = seedsUpTo(5).flatMap((seed) =>
      [2, 64].flatMap((batch) =>
        [0.01, 0.1].flatMap((lr) => [
          fakeRun({ variant: 'baseline', seed, params: { batch, lr }, finalAccuracy: 0.9 + jitter(seed, batch) }),
          fakeRun({
            variant: 'batchnorm',
            seed,
            params: { batch, lr },
            finalAccuracy: (batch === 2 && lr === 0.1 ? 0.7 : 0.95) + jitter(seed, batch + lr * 1000 + 7),
          }),
        ]),
      ),
    );
    const c = claim(runs, 'small_batch_degradation')!;
    expect(c.status).toBe('supported');
    expect(c.verdict).toMatch(/mean over 10 seed and setting combinations/);
    // batch norm's advantage: +5 points at batch 64; at batch 2, +5 at lr 0.01 and -20 at lr 0.1.
    expect(c.evidence.gap_small as number).toBeCloseTo(-0.075, 1);
    expect(c.evidence.gap_large as number).toBeCloseTo(0.05, 1);
  });
  it('is not shown when the advantage is the same at both batch sizes, and says what it could have detected', () => {
    const runs = seedsUpTo(6).flatMap((seed) =>
      [2, 64].flatMap((batch) => [
        fakeRun({ variant: 'baseline', seed, params: { batch }, finalAccuracy: 0.9 + jitter(seed, batch) }),
        fakeRun({ variant: 'batchnorm', seed, params: { batch }, finalAccuracy: 0.95 + jitter(seed, batch + 1) }),
      ]),
    );
    const c = claim(runs, 'small_batch_degradation')!;
    expect(c.status).toBe('not_shown');
    expect(c.verdict).toMatch(/it could have detected a mean per-seed difference of about [+-]?\d+\.\d points \(80% power, p < 0\.05\)/);
  });
});

describe('deeper networks: the advantage grows from the shallowest to the deepest swept depth', () => {
  const runs = (bnAtDepth: (depth: number) => number) =>
    seedsUpTo(5).flatMap((seed) =>
      [2, 8, 16].flatMap((depth) => [
        curveRun({ variant: 'baseline', seed, params: { depth }, valAccuracy: rising(depth === 2 ? 0.92 : 0.11, 0.5).map((x) => x + jitter(seed, depth)) }),
        curveRun({ variant: 'batchnorm', seed, params: { depth }, valAccuracy: rising(bnAtDepth(depth), 0.5).map((x) => x + jitter(seed, depth + 1)) }),
      ]),
    );
  it('is supported when only the deep baselines fail (the deeper-networks experiment), contradicted in the mirror image', () => {
    const verdict = claim(
      runs(() => 0.93),
      'deeper_networks',
    )!;
    expect(verdict.status).toBe('supported');
    expect(verdict.endpoint).toMatch(/at depth 16\) - \(the same at depth 2\)/);
    expect(verdict.verdict).toMatch(/points at depth 16, \+\d\.\d points at depth 2/);
    expect(
      claim(
        runs((d) => (d === 2 ? 0.95 : 0.05)),
        'deeper_networks',
      )!.status,
    ).toBe('contradicted');
  });
  it('does not apply without a depth sweep', () => {
    expect(
      claim(
        runs(() => 0.93).filter((r) => r.params.depth === 2),
        'deeper_networks',
      ),
    ).toBeUndefined();
  });
});

describe('activation stability: per seed first', () => {
  const make = (n: number, baseDrift: number, bnDrift: number, points = [128, 512]) =>
    seedsUpTo(n).flatMap((seed) =>
      points.flatMap((batch) => [
        curveRun({ variant: 'baseline', seed, params: { batch }, valAccuracy: rising(0.95, 0.5), activationDrift: baseDrift + jitter(seed, batch) / 10 }),
        curveRun({ variant: 'batchnorm', seed, params: { batch }, valAccuracy: rising(0.96, 0.5), activationDrift: bnDrift + jitter(seed, batch + 1) / 10 }),
      ]),
    );
  it('counts seeds, not runs, when there are several sweep points', () => {
    const c = claim(make(5, 0.2, 0.01), 'activation_stability')!;
    expect(c.evidence.seeds).toEqual([1, 2, 3, 4, 5]);
    expect(c.status).toBe('supported');
    expect(c.test).toBe('paired_t');
  });
  it('does not call a small reduction "more stable", and mirrors the rule for more drift', () => {
    const small = claim(make(6, 0.2, 0.185), 'activation_stability')!;
    expect(small.status).toBe('not_shown');
    expect(small.verdict).toMatch(/under the 25% that counts/);
    // Significant, but short of the threshold: found in its direction, and no "could have detected".
    expect(small.p_adjusted).toBeLessThan(0.05);
    expect(small.finding).toBe("batchnorm's activations were more stable, but by less than the 25% that counts as a change of stability");
    expect(small.detectable_effect).toBeNull();
    expect(claim(make(5, 0.01, 0.2), 'activation_stability')!.status).toBe('contradicted');
  });
});

describe('the claims are one family (Holm)', () => {
  it('stores raw and Holm-adjusted p-values, and decides on the adjusted one', () => {
    const runs = seedsUpTo(5).flatMap((seed) =>
      [0.01, 0.1].flatMap((lr) => [
        curveRun({
          variant: 'baseline',
          seed,
          params: { lr },
          valAccuracy: rising(0.95 + jitter(seed), 0.2 + jitter(seed, 1)),
          activationDrift: 0.2 + jitter(seed, 2) / 10,
        }),
        curveRun({
          variant: 'batchnorm',
          seed,
          params: { lr },
          valAccuracy: rising(0.96 + jitter(seed), 1 + jitter(seed, 3)),
          activationDrift: 0.02 + jitter(seed, 4) / 100,
        }),
      ]),
    );
    const claims = evaluateClaims({ runs, variants, target: null });
    expect(claims.map((c) => c.claim)).toEqual(['higher_learning_rates', 'faster_convergence', 'activation_stability']);
    const adjusted = holmAdjust(claims.map((c) => c.p_value ?? null));
    claims.forEach((c, i) => {
      if (c.p_adjusted !== null) expect(c.p_adjusted).toBeCloseTo(adjusted[i]!, 12);
    });
    for (const c of claims.filter((x) => x.status === 'supported')) {
      expect(c.p_adjusted!).toBeLessThan(0.05);
      expect(c.verdict).toMatch(/Holm-adjusted over 3 claims/);
    }
  });
});

describe('two identical variants never get a "supported" (or "contradicted") claim', () => {
  it('on every claim at once, whatever the seed noise', () => {
    for (const n of [1, 3, 5, 8]) {
      const runs: RunResult[] = [];
      for (const seed of seedsUpTo(n)) {
        for (const lr of [0.01, 1]) {
          for (const batch of [2, 64]) {
            for (const init_scale of [0.5, 2]) {
              const params = { lr, batch, init_scale };
              const status = lr === 1 && seed % 2 === 0 ? 'diverged' : 'completed';
              const base = curveRun({
                variant: 'baseline',
                seed,
                params,
                valAccuracy: rising(0.9 + jitter(seed, batch), 0.3 + jitter(seed, lr * 100)),
                status,
                activationDrift: 0.1 + jitter(seed) / 10,
              });
              runs.push(base, { ...structuredClone(base), variant: 'batchnorm', id: base.id.replace('baseline', 'batchnorm') });
            }
          }
        }
      }
      for (const target of [null, { metric: 'val_accuracy', op: '>=', value: 0.8 } as TargetSpec]) {
        const claims = evaluateClaims({ runs, variants, target });
        expect(claims).toHaveLength(5);
        for (const c of claims) expect([c.claim, c.status]).not.toEqual([c.claim, expect.stringMatching(/supported|contradicted/)]);
      }
    }
  });
});
