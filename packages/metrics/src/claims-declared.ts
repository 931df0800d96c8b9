// The claims tested only when an experiment declares them (`claims: [...]`): each is measurable in almost any
// experiment, so testing them everywhere would enlarge every family. Endpoints and tests are fixed in
// docs/statistics.md, section 4; like the other claims, each is paired by seed and decided in the family.
import { formatP } from './compare-samples.js';
import { evaluationSplit } from './metric-catalogue.js';
import { paramsKey } from './group-runs.js';
import { pairedTest } from './paired-test.js';
import type { RunResult } from './results-types.js';
import { mean } from './sample-summary.js';
import {
  accuracyMetric,
  meansBySeed,
  pairBySeed,
  pairedDraft,
  plural,
  signed,
  sweptValues,
  othersKey,
  type ClaimDraft,
  type ClaimInput,
  type Pair,
  type PairedBySeed,
} from './claim-draft.js';

/** One value per run of `variant`, as per-seed means over its sweep points. */
function perSeed(input: ClaimInput, variant: string, value: (run: RunResult) => number | null) {
  return meansBySeed(input.runs.filter((r) => r.variant === variant).map((r) => ({ seed: r.seed, group: paramsKey(r.params), value: value(r) })));
}

function lastPoint(run: RunResult) {
  return run.status === 'completed' ? run.history.at(-1) : undefined;
}

/** "validation" or, for experiments without a validation split (`validation: 0`), "test-split". */
function evaluated(runs: readonly RunResult[]): string {
  return evaluationSplit(runs) === 'test' ? 'test-split' : 'validation';
}

function divergedNote(input: ClaimInput, pair: Pair, why: string): string {
  const n = input.runs.filter((r) => (r.variant === pair.baseline || r.variant === pair.bn) && r.status === 'diverged').length;
  return n === 0 ? '' : `; ${plural(n, 'diverged run')} ${n === 1 ? 'has' : 'have'} no ${why} and ${n === 1 ? 'leaves its seed' : 'leave their seeds'} out`;
}

const fmt = (digits: number) => (x: number) => x.toFixed(digits);

/**
 * Regularization: the generalization gap at the end of training, final evaluation loss minus the training
 * loss of the last evaluation interval (training mode, as the training logs record it); smaller supports.
 */
export function regularization(input: ClaimInput, pair: Pair): ClaimDraft | null {
  const gap = (r: RunResult) => {
    const last = lastPoint(r);
    return last && last.val_loss !== null && last.train_loss !== null ? last.val_loss - last.train_loss : null;
  };
  const a = perSeed(input, pair.baseline, gap);
  const b = perSeed(input, pair.bn, gap);
  if (a.size === 0 && b.size === 0) return null;
  const paired = pairBySeed(a, b);
  const split = evaluated(input.runs);
  return {
    claim: 'regularization',
    endpoint: `per seed, the generalization gap at the end of training: final ${split} loss minus the training loss averaged over the last evaluation interval (training mode), averaged over sweep points`,
    ...pairedDraft(paired, true, (x) => signed(x, 4), ''),
    largeEnough: true,
    heads: {
      supported: `${pair.bn} had a narrower gap between ${split} and training loss`,
      contradicted: `${pair.bn} had a wider gap between ${split} and training loss`,
      not_shown: `no detectable difference in the gap between ${split} and training loss`,
    },
    observed: `final ${split} loss minus training loss, ${pair.baseline} ${paired.baseline.length > 0 ? fmt(4)(mean(paired.baseline)) : 'n/a'}, ${pair.bn} ${paired.bn.length > 0 ? fmt(4)(mean(paired.bn)) : 'n/a'}`,
    note: divergedNote(input, pair, 'gap'),
    evidence: { split, seeds: paired.seeds, gap: { [pair.baseline]: paired.baseline, [pair.bn]: paired.bn } },
  };
}

/** Whole-network gradient norm at each grad_norm probe point (root of the sum of squared per-tensor norms), averaged over training. */
export function meanGradientNorm(run: RunResult): number | null {
  const probe = run.probes.grad_norm;
  if (run.status !== 'completed' || !probe || probe.steps.length === 0) return null;
  const totals = probe.steps.map((_, i) => Math.sqrt(Object.values(probe.norms).reduce((s, series) => s + (series[i] ?? NaN) ** 2, 0)));
  const finite = totals.filter((x) => Number.isFinite(x));
  return finite.length === 0 ? null : mean(finite);
}

/** Mean absolute change of the training loss from one step to the next over the second half of training. */
export function lossVariation(run: RunResult): number | null {
  if (run.status !== 'completed') return null;
  const losses = (run.step_losses ?? []).filter((x): x is number => x !== null && Number.isFinite(x));
  const half = losses.slice(Math.floor(losses.length / 2));
  if (half.length < 2) return null;
  let sum = 0;
  for (let i = 1; i < half.length; i++) sum += Math.abs(half[i]! - half[i - 1]!);
  return sum / (half.length - 1);
}

/**
 * Smoother optimization (after Santurkar et al. 2018, whose theorem 4.1 bounds the gradient's size): the
 * log of the whole-network gradient norm averaged over training; lower supports. The step-to-step variation
 * of the training loss is reported beside it, not part of the decision.
 */
export function smootherOptimization(input: ClaimInput, pair: Pair): ClaimDraft | null {
  const logNorm = (r: RunResult) => {
    const n = meanGradientNorm(r);
    return n !== null && n > 0 ? Math.log(n) : null;
  };
  const a = perSeed(input, pair.baseline, logNorm);
  const b = perSeed(input, pair.bn, logNorm);
  if (a.size === 0 && b.size === 0) return null;
  const paired = pairBySeed(a, b);
  const variation = pairBySeed(perSeed(input, pair.baseline, lossVariation), perSeed(input, pair.bn, lossVariation));
  const ratio = (x: number) => `×${Math.exp(x).toFixed(2)}`;
  const geo = (xs: number[]) => (xs.length > 0 ? Math.exp(mean(xs)).toPrecision(3) : 'n/a');
  const v = variation.test;
  return {
    claim: 'smoother_optimization',
    endpoint:
      'per seed, the log of the whole-network gradient norm (root of the summed squared per-tensor norms of the grad_norm probe) averaged over training, averaged over sweep points; compared as a ratio',
    ...pairedDraft(paired, true, ratio, ''),
    largeEnough: true,
    heads: {
      supported: `${pair.bn} trained with smaller gradients`,
      contradicted: `${pair.bn} trained with larger gradients`,
      not_shown: 'no detectable difference in the size of the gradients',
    },
    observed: `mean gradient norm (geometric mean over seeds): ${pair.baseline} ${geo(paired.baseline)}, ${pair.bn} ${geo(paired.bn)}`,
    note: v
      ? `; step-to-step change of the training loss (second half of training, reported, not part of the decision): ${pair.bn} minus ${pair.baseline} ${signed(v.difference, 4)}, ${formatP(v.pValue)}`
      : '',
    evidence: {
      seeds: paired.seeds,
      log_grad_norm: { [pair.baseline]: paired.baseline, [pair.bn]: paired.bn },
      loss_variation: { seeds: variation.seeds, [pair.baseline]: variation.baseline, [pair.bn]: variation.bn, p_value: v?.pValue ?? null },
    },
  };
}

/**
 * Training-mode against inference-mode accuracy: per run, the last interval's training accuracy (batch
 * statistics) minus the final evaluation accuracy (running statistics); per seed, the normalized variant's
 * minus the reference's, which cancels the ordinary generalization gap, at the smallest swept batch (or the
 * one batch) within each combination of the other settings. The claim is that the two modes disagree, so
 * either sign supports it; nothing contradicts it.
 */
export function trainInferenceGap(input: ClaimInput, pair: Pair): ClaimDraft | null {
  const metric = accuracyMetric(input.runs);
  const batches = sweptValues(input.runs, 'batch').filter((v): v is number => typeof v === 'number');
  const small = batches.length > 0 ? Math.min(...batches) : null;
  const large = batches.length > 1 ? Math.max(...batches) : null;
  const gap = (r: RunResult) => {
    const last = lastPoint(r);
    const evaluatedAcc = metric === 'val_accuracy' ? last?.val_accuracy : r.test?.accuracy;
    return last && last.train_accuracy !== null && evaluatedAcc !== null && evaluatedAcc !== undefined ? last.train_accuracy - evaluatedAcc : null;
  };
  const at = (batch: number | null): PairedBySeed => {
    const runs = input.runs.filter((r) => batch === null || r.params.batch === batch);
    const group = (r: RunResult) => othersKey(r.params, 'batch');
    const bySeed = (variant: string) => meansBySeed(runs.filter((r) => r.variant === variant).map((r) => ({ seed: r.seed, group: group(r), value: gap(r) })));
    return pairBySeed(bySeed(pair.baseline), bySeed(pair.bn));
  };
  const primary = at(small);
  if (primary.seeds.length === 0 && primary.baseline.length === 0) return null;
  const drafted = pairedDraft(primary, true, (x) => signed(x * 100, 1), ' points');
  // Either sign is a disagreement between the modes: the claim is two-sided.
  const direction = drafted.direction === null ? null : 'supports';
  const where = small === null ? '' : ` at batch ${small}`;
  const secondary = large === null ? null : at(large);
  const split = evaluated(input.runs);
  const mean100 = (xs: number[]) => (xs.length > 0 ? signed(mean(xs) * 100, 1) : 'n/a');
  return {
    claim: 'train_inference_gap',
    endpoint: `per seed${where}, (training-mode accuracy of the last interval - final ${split} accuracy in inference mode) of ${pair.bn} minus the same of ${pair.baseline}, within each combination of the other swept settings, averaged over them; two-sided`,
    ...drafted,
    direction,
    largeEnough: true,
    heads: {
      supported: `${pair.bn}'s accuracy in training mode (batch statistics) and in inference mode (running statistics) disagree${where}, beyond ${pair.baseline}'s ordinary train/${split} gap`,
      contradicted: `${pair.bn}'s training and inference modes agree${where}`,
      not_shown: `no detectable disagreement between ${pair.bn}'s training mode and inference mode${where}`,
    },
    observed: `training-mode minus ${split} accuracy${where}: ${pair.baseline} ${mean100(primary.baseline)} points, ${pair.bn} ${mean100(primary.bn)} points${
      secondary && secondary.differences.length > 0 ? `; at batch ${large}, ${pair.bn} minus ${pair.baseline} ${mean100(secondary.differences)} points` : ''
    }`,
    note: '',
    evidence: {
      metric,
      batch: small,
      seeds: primary.seeds,
      difference: primary.differences,
      ...(secondary
        ? { largest_batch: large, difference_at_largest_batch: secondary.differences, p_at_largest_batch: pairedTest(secondary.differences)?.pValue ?? null }
        : {}),
    },
  };
}

/**
 * Time per step: per seed, the log of (seconds per training sample with batch normalization / without),
 * averaged over sweep points; higher supports "batch normalization costs time". Timed on whatever machine
 * ran the experiment: a busy machine adds noise, which widens the interval rather than biasing it when the
 * variants' runs interleave.
 */
export function stepCost(input: ClaimInput, pair: Pair): ClaimDraft | null {
  const logTime = (r: RunResult) =>
    r.status === 'completed' && r.samples_per_second !== null && r.samples_per_second > 0 ? -Math.log(r.samples_per_second) : null;
  const a = perSeed(input, pair.baseline, logTime);
  const b = perSeed(input, pair.bn, logTime);
  if (a.size === 0 && b.size === 0) return null;
  const paired = pairBySeed(a, b);
  const pct = (x: number) => `${signed((Math.exp(x) - 1) * 100, 1)}%`;
  const rate = (xs: number[]) => (xs.length > 0 ? Math.round(Math.exp(-mean(xs))).toLocaleString('en-US') : 'n/a');
  return {
    claim: 'step_cost',
    endpoint:
      'per seed, the log of the time per training sample (training steps only) of the normalized variant over the reference, averaged over sweep points; compared as a ratio',
    ...pairedDraft(paired, false, pct, ''),
    largeEnough: true,
    heads: {
      supported: `${pair.bn} took longer per training step`,
      contradicted: `${pair.bn} took less time per training step`,
      not_shown: 'no detectable difference in time per training step',
    },
    observed: `training samples per second (geometric mean over seeds): ${pair.baseline} ${rate(paired.baseline)}, ${pair.bn} ${rate(paired.bn)}`,
    note: '',
    evidence: { seeds: paired.seeds, log_seconds_per_sample: { [pair.baseline]: paired.baseline, [pair.bn]: paired.bn } },
  };
}
