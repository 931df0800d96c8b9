// Calibration by simulation: synthetic experiments whose truth is known. Under the null (two identical
// variants, seed noise only) at most 5% of claims may come out "supported" or "contradicted"; a planted
// effect must be found. Seeds share a component between the variants (same split, same data order), as in
// real runs, so the paired analysis is exercised as it is used.
import { seededRandom, type Random } from '@bnx/test-support';
import { describe, expect, it } from 'vitest';
import { evaluateClaims } from './claims.js';
import { compareVariants } from './compare-variants.js';
import type { RunResult, TargetSpec } from './results-types.js';
import { curveRun } from './testing/synthetic-runs.js';

const variants = [
  { name: 'baseline', batchnorm: false },
  { name: 'batchnorm', batchnorm: true },
];

function gaussian(rand: Random): number {
  // Box-Muller.
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

interface Effect {
  /** Extra learning speed of batchnorm (multiplies the rate). */
  speed: number;
  /** Factor on batchnorm's activation drift. */
  drift: number;
}

/** One experiment: 5 seeds, 2 variants, 12 evaluations and an activations probe. */
function experiment(rand: Random, effect: Effect, seeds = 5): RunResult[] {
  const runs: RunResult[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    // Shared by both variants of a seed: its split and data order make some seeds easier.
    const seedSpeed = 0.25 * Math.exp(0.3 * gaussian(rand));
    const seedFinal = 0.95 + 0.01 * gaussian(rand);
    const seedDrift = 0.3 * Math.exp(0.2 * gaussian(rand));
    for (const variant of ['baseline', 'batchnorm']) {
      const bn = variant === 'batchnorm';
      const speed = seedSpeed * Math.exp(0.15 * gaussian(rand)) * (bn ? effect.speed : 1);
      const final = seedFinal + 0.004 * gaussian(rand);
      const curve = Array.from({ length: 12 }, (_, i) => Math.min(0.999, 0.1 + (final - 0.1) * (1 - Math.exp(-speed * (i + 1))) + 0.003 * gaussian(rand)));
      runs.push(curveRun({ variant, seed, valAccuracy: curve, activationDrift: seedDrift * Math.exp(0.15 * gaussian(rand)) * (bn ? effect.drift : 1) }));
    }
  }
  return runs;
}

function tally(count: number, seed: number, effect: Effect, target: TargetSpec | null) {
  const rand = seededRandom(seed);
  let claims = 0;
  let decided = 0;
  let supported = 0;
  for (let i = 0; i < count; i++) {
    for (const c of evaluateClaims({ runs: experiment(rand, effect), variants, target })) {
      claims++;
      if (c.status === 'supported' || c.status === 'contradicted') decided++;
      if (c.status === 'supported') supported++;
    }
  }
  return { claims, decided, supported };
}

const target: TargetSpec = { metric: 'val_accuracy', op: '>=', value: 0.9 };

describe('calibration on synthetic experiments (5 seeds each)', () => {
  it('500 null experiments (identical variants) give at most 5% supported-or-contradicted claims', () => {
    const half = tally(250, 2024, { speed: 1, drift: 1 }, null);
    const withTarget = tally(250, 2025, { speed: 1, drift: 1 }, target);
    const claims = half.claims + withTarget.claims;
    expect(claims).toBe(1000);
    expect((half.decided + withTarget.decided) / claims).toBeLessThanOrEqual(0.05);
  });
  it('finds a planted effect (batch norm twice as fast, a third of the drift) in most experiments', () => {
    const planted = { speed: 2, drift: 1 / 3 };
    const auc = tally(50, 7, planted, null);
    const survival = tally(50, 8, planted, target);
    expect(auc.supported / auc.claims).toBeGreaterThanOrEqual(0.8);
    expect(survival.supported / survival.claims).toBeGreaterThanOrEqual(0.8);
  });
});

describe('the comparison table under the null (bn-claims small_batches: 4 batch sizes × 3 metrics)', () => {
  it('keeps the chance of any false "difference" near 5% with Benjamini-Hochberg, where raw p-values would often find one', () => {
    const rand = seededRandom(99);
    let anyRaw = 0;
    let anyCalled = 0;
    const experiments = 200;
    for (let e = 0; e < experiments; e++) {
      const runs: RunResult[] = [];
      for (const batch of [2, 4, 16, 64]) {
        for (let seed = 1; seed <= 5; seed++) {
          const seedLevel = 0.9 + 0.02 * gaussian(rand);
          for (const variant of ['baseline', 'batchnorm']) {
            const run = curveRun({ variant, seed, params: { batch }, valAccuracy: [0.5, 0.8, seedLevel + 0.005 * gaussian(rand)] });
            run.test = { loss: 0.3 + 0.02 * gaussian(rand), accuracy: seedLevel + 0.005 * gaussian(rand) };
            runs.push(run);
          }
        }
      }
      const table = compareVariants(runs, null, variants);
      expect(table).toHaveLength(12);
      if (table.some((c) => c.p_value !== null && c.p_value < 0.05)) anyRaw++;
      if (table.some((c) => c.outcome === 'b_higher' || c.outcome === 'b_lower')) anyCalled++;
      for (const c of table) if (c.outcome === 'b_higher' || c.outcome === 'b_lower') expect(c.q_value!).toBeLessThan(0.05);
    }
    expect(anyRaw / experiments).toBeGreaterThan(0.2);
    expect(anyCalled / experiments).toBeLessThanOrEqual(0.07);
  });
});
