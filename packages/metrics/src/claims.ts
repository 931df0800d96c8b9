// Verdicts on the claims made for batch normalization. Each claim has an endpoint fixed before the data (see
// docs/statistics.md), one test, and a direction; the claims of an experiment form one confirmatory family
// and are decided on Holm-adjusted p-values. Verdicts are symmetric: the mirror image of a "supported" case
// is "contradicted". A claim applies only when the experiment has what it needs (a sweep of `lr`, of
// `init_scale`, of `batch`, a validation curve, an activation probe) and both a normalized and an
// unnormalized variant.
import { CLAIMS, CLAIM_IDS, type ClaimId } from '@bnx/ir';
import { activationDrift } from './activation-drift.js';
import {
  accuracyMetric,
  finalAccuracy,
  fmtPct,
  meansBySeed,
  othersKey,
  pairBySeed,
  pairedDraft,
  pickPair,
  plural,
  signed,
  sweptValues,
  type ClaimDraft,
  type ClaimInput,
  type Pair,
  type PairedBySeed,
} from './claim-draft.js';
import { regularization, smootherOptimization, stepCost, trainInferenceGap } from './claims-declared.js';
import { DETECTION_POWER, formatP, SIGNIFICANCE } from './compare-samples.js';
import { normalQuantile } from './distributions.js';
import { fisherExact } from './fisher-exact.js';
import { describeParams, paramsKey } from './group-runs.js';
import { evaluationSplit, formatMetricValue, metricLabel } from './metric-catalogue.js';
import { holmAdjust } from './multiplicity.js';
import { pairedTest } from './paired-test.js';
import type { ClaimStatus, ClaimVerdict, HistoryPoint, RunResult, SweepValue, TargetSpec } from './results-types.js';
import { finiteValues, mean } from './sample-summary.js';
import { kaplanMeier, logRankTest } from './survival.js';
import { meetsTarget } from './target.js';
import { budgetEndOf, describeLogRank, describeMedian, survivalObservations } from './time-to-target.js';

/** Fewer evaluations than this cannot say which run got somewhere first. */
export const MIN_EVALUATIONS_FOR_SPEED = 3;

/** Least relative change of activation drift that counts as "more stable" (or, mirrored, "less stable"). */
export const MIN_DRIFT_REDUCTION = 0.25;

/** The quality bar of the learning-rate claim when the file declares no target: final validation accuracy of at least 50%. */
export const DEFAULT_QUALITY_BAR: TargetSpec = { metric: 'val_accuracy', op: '>=', value: 0.5 };

// ----------------------------------------------------------------------------------------------------------

function higherLearningRates(input: ClaimInput, pair: Pair): ClaimDraft | null {
  const lrs = sweptValues(input.runs, 'lr')
    .filter((v): v is number => typeof v === 'number')
    .sort((x, y) => x - y);
  if (lrs.length < 2) return null;
  const bar = input.target ?? DEFAULT_QUALITY_BAR;
  const barText = `${metricLabel(bar.metric, evaluationSplit(input.runs))} ${bar.op} ${bar.metric.includes('accuracy') ? fmtPct(bar.value) : bar.value} at the end, without diverging`;
  const meets = (r: RunResult) => {
    const last: HistoryPoint | undefined = r.history[r.history.length - 1];
    return r.status === 'completed' && last !== undefined && meetsTarget(last, bar);
  };
  // Per (seed, other settings): the rank (1 = smallest swept rate, 0 = none) of the highest rate meeting the bar.
  const ranks = (variant: string) => {
    const groups = new Map<string, { seed: number; group: string; byRate: Map<number, RunResult> }>();
    for (const r of input.runs) {
      if (r.variant !== variant || typeof r.params.lr !== 'number') continue;
      const group = othersKey(r.params, 'lr');
      const key = `${r.seed}|${group}`;
      const g = groups.get(key) ?? { seed: r.seed, group, byRate: new Map() };
      g.byRate.set(r.params.lr, r);
      groups.set(key, g);
    }
    return meansBySeed(
      [...groups.values()].map((g) => {
        // A run that failed for reasons of its own (not divergence) leaves the group unknown.
        const complete = lrs.every((lr) => g.byRate.has(lr) && (g.byRate.get(lr)!.status === 'completed' || g.byRate.get(lr)!.status === 'diverged'));
        let rank = 0;
        lrs.forEach((lr, i) => {
          if (g.byRate.has(lr) && meets(g.byRate.get(lr)!)) rank = i + 1;
        });
        return { seed: g.seed, group: g.group, value: complete ? rank : null };
      }),
    );
  };
  const paired = pairBySeed(ranks(pair.baseline), ranks(pair.bn));
  const rateOf = (rank: number) => (Number.isInteger(rank) ? (rank === 0 ? 'none' : String(lrs[rank - 1])) : `rank ${rank.toFixed(2)}`);
  const diverged = (v: string) => {
    const runs = input.runs.filter((r) => r.variant === v && typeof r.params.lr === 'number');
    return { diverged: runs.filter((r) => r.status === 'diverged').length, runs: runs.length };
  };
  const dA = diverged(pair.baseline);
  const dB = diverged(pair.bn);
  const fisherP = fisherExact(dB.diverged, dB.runs - dB.diverged, dA.diverged, dA.runs - dA.diverged);
  const rates = (xs: number[]) => xs.map(rateOf).join(', ');
  return {
    claim: 'higher_learning_rates',
    endpoint: `per seed, the highest swept learning rate whose run meets the bar (${barText}), as its rank among ${lrs.join(', ')}`,
    ...pairedDraft(paired, false, (x) => signed(x, 2), ' swept rates'),
    largeEnough: true,
    heads: {
      supported: `${pair.bn} tolerated higher learning rates than ${pair.baseline}`,
      contradicted: `${pair.baseline} tolerated higher learning rates than ${pair.bn}`,
      not_shown: 'no detectable difference in the highest tolerated learning rate',
    },
    observed: `highest rate meeting the bar (${barText}${input.target ? ', the declared target' : ''}), per seed: ${pair.baseline} ${rates(paired.baseline)}; ${pair.bn} ${rates(paired.bn)}`,
    note: `; diverged runs: ${pair.baseline} ${dA.diverged}/${dA.runs}, ${pair.bn} ${dB.diverged}/${dB.runs} (Fisher's exact test ${formatP(fisherP)}, reported, not part of the decision)`,
    evidence: {
      quality_bar: bar,
      rates: lrs,
      seeds: paired.seeds,
      highest_rank: { [pair.baseline]: paired.baseline, [pair.bn]: paired.bn },
      divergence: { [pair.baseline]: dA, [pair.bn]: dB, fisher_p: fisherP },
    },
  };
}

function initSensitivity(input: ClaimInput, pair: Pair): ClaimDraft | null {
  const scales = sweptValues(input.runs, 'init_scale');
  if (scales.length < 2) return null;
  const metric = accuracyMetric(input.runs);
  // Per (seed, every other swept setting): max - min of final accuracy across the init scales.
  const spreads = (variant: string) => {
    const groups = new Map<string, { seed: number; group: string; values: Map<SweepValue, number | null> }>();
    for (const r of input.runs) {
      if (r.variant !== variant || !('init_scale' in r.params)) continue;
      const group = othersKey(r.params, 'init_scale');
      const key = `${r.seed}|${group}`;
      const g = groups.get(key) ?? { seed: r.seed, group, values: new Map() };
      g.values.set(r.params.init_scale!, finalAccuracy(r, metric));
      groups.set(key, g);
    }
    return meansBySeed(
      [...groups.values()].map((g) => {
        const values = scales.map((s) => g.values.get(s) ?? null);
        const f = finiteValues(values);
        return { seed: g.seed, group: g.group, value: f.length === scales.length ? Math.max(...f) - Math.min(...f) : null };
      }),
    );
  };
  const paired = pairBySeed(spreads(pair.baseline), spreads(pair.bn));
  const pts = (x: number) => formatMetricValue(metric, x, true);
  const label = metricLabel(metric, evaluationSplit(input.runs));
  return {
    claim: 'init_sensitivity',
    endpoint: `per seed, the spread (max - min) of final ${label} across init_scale ${scales.join(', ')}, within each combination of the other swept settings, averaged over them; a diverged run counts as 0`,
    ...pairedDraft(paired, true, pts, ' points'),
    largeEnough: true,
    heads: {
      supported: `${pair.bn} was less sensitive to the initial weight scale`,
      contradicted: `${pair.bn} was more sensitive to the initial weight scale`,
      not_shown: 'no detectable difference in sensitivity to the initial weight scale',
    },
    observed: `mean spread of final ${label} across scales: ${pair.baseline} ${paired.baseline.length > 0 ? formatMetricValue(metric, mean(paired.baseline)) : 'n/a'} points, ${pair.bn} ${paired.bn.length > 0 ? formatMetricValue(metric, mean(paired.bn)) : 'n/a'} points`,
    note: '',
    evidence: { metric, scales, seeds: paired.seeds, spread: { [pair.baseline]: paired.baseline, [pair.bn]: paired.bn } },
  };
}

/**
 * How bn's advantage over the reference (final accuracy, bn - reference) changes between two values of a
 * swept numeric setting, `at` minus `against`, per (seed, every combination of the other settings), as
 * per-seed means tested against 0. A diverged run counts as 0.
 */
function advantageChange(input: ClaimInput, pair: Pair, key: string, at: number, against: number) {
  const metric = accuracyMetric(input.runs);
  const cells = new Map<string, number | null>();
  for (const r of input.runs) {
    if (r.params[key] !== at && r.params[key] !== against) continue;
    if (r.variant !== pair.baseline && r.variant !== pair.bn) continue;
    cells.set(`${r.variant}|${r.seed}|${othersKey(r.params, key)}|${String(r.params[key])}`, finalAccuracy(r, metric));
  }
  const entries: { seed: number; group: string; value: number | null }[] = [];
  const gapsAt: number[] = [];
  const gapsAgainst: number[] = [];
  const seen = new Set<string>();
  for (const r of input.runs) {
    const group = othersKey(r.params, key);
    const id = `${r.seed}|${group}`;
    if (seen.has(id) || !(key in r.params)) continue;
    seen.add(id);
    const v = (variant: string, value: number) => cells.get(`${variant}|${r.seed}|${group}|${String(value)}`) ?? null;
    const parts = [v(pair.bn, at), v(pair.baseline, at), v(pair.bn, against), v(pair.baseline, against)];
    if (parts.some((x) => x === null)) continue;
    const [bAt, aAt, bAgainst, aAgainst] = parts as number[];
    gapsAt.push(bAt! - aAt!);
    gapsAgainst.push(bAgainst! - aAgainst!);
    entries.push({ seed: r.seed, group, value: bAt! - aAt! - (bAgainst! - aAgainst!) });
  }
  const bySeed = meansBySeed(entries);
  const seeds = [...bySeed.keys()].sort((x, y) => x - y);
  const changes = seeds.map((s) => mean([...bySeed.get(s)!.values()]));
  const paired: PairedBySeed = { seeds, differences: changes, baseline: [], bn: [], test: pairedTest(changes) };
  const pts = (x: number) => formatMetricValue(metric, x, true);
  const label = metricLabel(metric, evaluationSplit(input.runs));
  const meanGap = (xs: number[]) => (xs.length > 0 ? pts(mean(xs)) : 'n/a');
  return {
    metric,
    paired,
    gapAt: gapsAt.length > 0 ? mean(gapsAt) : null,
    gapAgainst: gapsAgainst.length > 0 ? mean(gapsAgainst) : null,
    /** The parts of the claim's draft that do not depend on which way the claim points. */
    draft: (lowerSupports: boolean) => ({
      endpoint: `per seed, (${pair.bn} - ${pair.baseline} final ${label} at ${key} ${at}) - (the same at ${key} ${against}), within each combination of the other swept settings, averaged over them; a diverged run counts as 0`,
      ...pairedDraft(paired, lowerSupports, pts, ' points'),
      largeEnough: true,
      observed: `${pair.bn} minus ${pair.baseline} ${label}: ${meanGap(gapsAt)} points at ${key} ${at}, ${meanGap(gapsAgainst)} points at ${key} ${against} (mean over ${plural(entries.length, 'seed and setting combination')})`,
      note: '',
    }),
  };
}

function smallBatchDegradation(input: ClaimInput, pair: Pair): ClaimDraft | null {
  const batches = sweptValues(input.runs, 'batch').filter((v): v is number => typeof v === 'number');
  if (batches.length < 2) return null;
  const small = Math.min(...batches);
  const large = Math.max(...batches);
  // The change of batch norm's advantage from the largest to the smallest batch.
  const c = advantageChange(input, pair, 'batch', small, large);
  return {
    claim: 'small_batch_degradation',
    ...c.draft(true),
    heads: {
      supported: `the advantage of ${pair.bn} shrinks at small batches`,
      contradicted: `the advantage of ${pair.bn} grows at small batches`,
      not_shown: `no detectable change of ${pair.bn}'s advantage between batch ${small} and batch ${large}`,
    },
    evidence: { metric: c.metric, small, large, seeds: c.paired.seeds, change: c.paired.differences, gap_small: c.gapAt, gap_large: c.gapAgainst },
  };
}

/** Deeper networks: bn's advantage grows from the shallowest to the deepest swept `depth`. */
function deeperNetworks(input: ClaimInput, pair: Pair): ClaimDraft | null {
  const depths = sweptValues(input.runs, 'depth').filter((v): v is number => typeof v === 'number');
  if (depths.length < 2) return null;
  const shallow = Math.min(...depths);
  const deep = Math.max(...depths);
  const c = advantageChange(input, pair, 'depth', deep, shallow);
  return {
    claim: 'deeper_networks',
    ...c.draft(false),
    heads: {
      supported: `the advantage of ${pair.bn} grows with depth`,
      contradicted: `the advantage of ${pair.bn} shrinks with depth`,
      not_shown: `no detectable change of ${pair.bn}'s advantage between depth ${shallow} and depth ${deep}`,
    },
    evidence: { metric: c.metric, shallow, deep, seeds: c.paired.seeds, change: c.paired.differences, gap_deep: c.gapAt, gap_shallow: c.gapAgainst },
  };
}

/** Mean of the accuracy curve over [from, to] (trapezoids / span); a diverged run is at 0 from where it stopped. */
function meanAccuracyOver(run: RunResult, from: number, to: number): number | null {
  if (run.status !== 'completed' && run.status !== 'diverged') return null;
  const points: [number, number][] = [];
  for (const h of run.history) {
    if (h.step < from || h.step > to) continue;
    const v = h.val_accuracy;
    if (run.status === 'completed' && (v === null || !Number.isFinite(v))) return null;
    points.push([h.step, v !== null && Number.isFinite(v) ? v : 0]);
  }
  if (run.status === 'diverged') {
    const stopped = Math.max(points.at(-1)?.[0] ?? from, run.diverged_at_step ?? from);
    if (stopped < to) points.push([Math.max(stopped, from), 0], [to, 0]);
  }
  if (points.length < 2 || to <= from) return null;
  let area = 0;
  for (let i = 1; i < points.length; i++) area += ((points[i - 1]![1] + points[i]![1]) / 2) * (points[i]![0] - points[i - 1]![0]);
  return area / (points.at(-1)![0] - points[0]![0]);
}

function fasterConvergence(input: ClaimInput, pair: Pair): ClaimDraft | null {
  const runs = input.runs.filter((r) => r.variant === pair.baseline || r.variant === pair.bn);
  const finished = runs.filter((r) => r.status === 'completed');
  if (finished.length === 0) return null;
  const heads = {
    supported: `${pair.bn} converged faster`,
    contradicted: `${pair.bn} converged more slowly`,
    not_shown: 'no detectable difference in speed of convergence',
  };
  const fewest = Math.min(...finished.map((r) => r.history.length));
  const tooCoarse =
    fewest < MIN_EVALUATIONS_FOR_SPEED
      ? `some runs were evaluated only ${plural(fewest, 'time')}, too coarse to tell which got there first; set \`eval_every\` to a few hundred steps`
      : null;
  if (input.target) {
    const target = input.target;
    const level = `${metricLabel(target.metric, evaluationSplit(input.runs))} ${target.op} ${target.metric.includes('accuracy') ? fmtPct(target.value) : target.value}`;
    const points = new Map<string, { params: Record<string, SweepValue>; a: RunResult[]; b: RunResult[] }>();
    for (const r of runs) {
      const key = paramsKey(r.params);
      const p = points.get(key) ?? { params: r.params, a: [], b: [] };
      (r.variant === pair.baseline ? p.a : p.b).push(r);
      points.set(key, p);
    }
    const usable = [...points.values()].filter((p) => p.a.length > 0 && p.b.length > 0);
    const strata = usable.map((p) => {
      const end = budgetEndOf([...p.a, ...p.b]);
      return { a: survivalObservations(p.a, target, end), b: survivalObservations(p.b, target, end) };
    });
    const observed = usable
      .map((p, i) => {
        const kmB = kaplanMeier(strata[i]!.b);
        const kmA = kaplanMeier(strata[i]!.a);
        const where = Object.keys(p.params).length > 0 ? `at ${describeParams(p.params)}: ` : '';
        const d = (km: typeof kmA) => describeMedian({ median_steps: km.median, median_ci95: km.medianCi95, reached: km.reached, runs: km.runs });
        return `${where}${pair.bn} ${d(kmB)}, ${pair.baseline} ${d(kmA)}`;
      })
      .join('; ');
    const test = tooCoarse ? null : logRankTest(strata);
    const endpoint = `steps to the declared target ${level}, never-reached and diverged runs censored at their last evaluated step (Kaplan-Meier)`;
    const nSeeds = new Set(runs.map((r) => r.seed)).size;
    const base = {
      claim: 'faster_convergence' as const,
      endpoint,
      heads,
      observed,
      nSeeds,
      largeEnough: true,
      note: '',
      evidence: { target, strata: strata.length } as Record<string, unknown>,
    };
    if (!test) {
      return {
        ...base,
        test: 'none',
        pValue: null,
        smallestPossibleP: 1,
        direction: null,
        untested: tooCoarse ?? `no run reached ${level} within its budget`,
        testLabel: 'no test',
        testText: 'no test',
        detectable: null,
      };
    }
    // Schoenfeld: a log-rank test with information V detects log hazard ratios of (z(0.975) + z(power)) / sqrt(V).
    const hr = test.variance > 0 ? Math.exp((normalQuantile(1 - SIGNIFICANCE / 2) + normalQuantile(DETECTION_POWER)) / Math.sqrt(test.variance)) : null;
    base.evidence = {
      ...base.evidence,
      z: test.z,
      observed_minus_expected: test.observedMinusExpected,
      variance: test.variance,
      events: test.events,
      exact_p: test.exactPValue,
      asymptotic_p: test.asymptoticPValue,
    };
    return {
      ...base,
      test: test.test,
      pValue: test.pValue,
      smallestPossibleP: test.exactPValue !== null ? Math.min(1, 2 / test.relabellings) : 0,
      direction: test.z > 0 ? 'supports' : test.z < 0 ? 'contradicts' : null,
      untested: null,
      testLabel: describeLogRank(test, strata.length),
      testText: `${describeLogRank(test, strata.length)}, ${formatP(test.pValue)}`,
      detectable:
        hr !== null
          ? `it could have detected a variant reaching the target about ${hr.toFixed(1)} times as fast (hazard ratio, ${DETECTION_POWER * 100}% power)`
          : null,
    };
  }
  // No target declared: the fixed rule is the mean validation accuracy over the common step range (the area
  // under the curve divided by its span), which rewards getting high early; never a level read off the results.
  if (!runs.some((r) => r.history.some((h) => h.val_accuracy !== null))) return null;
  // The common step range of each sweep point (points may train for different numbers of steps, e.g. a
  // batch sweep with a budget in epochs): from the latest first evaluation to the earliest last one.
  const ranges = new Map<string, { from: number; to: number; evaluations: number }>();
  for (const r of finished) {
    const key = paramsKey(r.params);
    const first = r.history[0]?.step ?? Infinity;
    const last = r.history.at(-1)?.step ?? -Infinity;
    const range = ranges.get(key) ?? { from: -Infinity, to: Infinity, evaluations: Infinity };
    range.from = Math.max(range.from, first);
    range.to = Math.min(range.to, last);
    ranges.set(key, range);
  }
  for (const r of finished) {
    const range = ranges.get(paramsKey(r.params))!;
    range.evaluations = Math.min(range.evaluations, r.history.filter((h) => h.step >= range.from && h.step <= range.to).length);
  }
  const evaluations = Math.min(...[...ranges.values()].map((x) => x.evaluations));
  const only = ranges.size === 1 ? [...ranges.values()][0]! : null;
  const span = only ? `steps ${only.from}-${only.to}` : "each sweep point's common step range";
  const accuracyLabel = metricLabel('val_accuracy', evaluationSplit(input.runs));
  const endpoint = `mean ${accuracyLabel} over ${span} (area under the curve divided by its span; a diverged run counts as 0 from where it stopped), per seed averaged over sweep points`;
  const areas = (variant: string) =>
    meansBySeed(
      runs
        .filter((r) => r.variant === variant)
        .map((r) => {
          const range = ranges.get(paramsKey(r.params));
          return { seed: r.seed, group: paramsKey(r.params), value: range ? meanAccuracyOver(r, range.from, range.to) : null };
        }),
    );
  const paired = pairBySeed(areas(pair.baseline), areas(pair.bn));
  const pts = (x: number) => formatMetricValue('val_accuracy', x, true);
  const observed = `mean ${accuracyLabel} over ${span}: ${pair.baseline} ${paired.baseline.length > 0 ? fmtPct(mean(paired.baseline)) : 'n/a'}, ${pair.bn} ${paired.bn.length > 0 ? fmtPct(mean(paired.bn)) : 'n/a'}`;
  const coarse = tooCoarse ?? (evaluations < MIN_EVALUATIONS_FOR_SPEED ? `only ${plural(evaluations, 'evaluation')} in the common step range` : null);
  const drafted = pairedDraft(paired, false, pts, ' points');
  return {
    claim: 'faster_convergence',
    endpoint,
    ...drafted,
    ...(coarse ? { test: 'none' as const, pValue: null, smallestPossibleP: 1, direction: null, untested: coarse, detectable: null } : {}),
    largeEnough: true,
    heads,
    observed,
    note: '',
    evidence: {
      target: null,
      rule: 'val_accuracy_auc',
      ranges: Object.fromEntries(ranges),
      seeds: paired.seeds,
      mean_accuracy: { [pair.baseline]: paired.baseline, [pair.bn]: paired.bn },
    },
  };
}

function activationStability(input: ClaimInput, pair: Pair): ClaimDraft | null {
  const drifts = (variant: string) =>
    meansBySeed(
      input.runs
        .filter((r) => r.variant === variant && (r.probes.activations?.length ?? 0) > 0)
        .map((r) => ({ seed: r.seed, group: paramsKey(r.params), value: activationDrift(r.probes.activations![0]!)?.relativeDrift ?? null })),
    );
  const a = drifts(pair.baseline);
  const b = drifts(pair.bn);
  if (a.size === 0 || b.size === 0) return null;
  const paired = pairBySeed(a, b);
  const ma = paired.baseline.length > 0 ? mean(paired.baseline) : null;
  const mb = paired.bn.length > 0 ? mean(paired.bn) : null;
  const ratio = ma !== null && mb !== null && ma > 0 ? mb / ma : null;
  const drafted = pairedDraft(paired, true, (x) => signed(x, 3), '');
  // A detectable but small change is not the stability the claim is about (Ioffe & Szegedy's Figure 1 shows
  // the baseline's percentiles wandering several times further): require MIN_DRIFT_REDUCTION either way.
  const largeEnough =
    ratio === null
      ? false
      : drafted.direction === 'supports'
        ? ratio <= 1 - MIN_DRIFT_REDUCTION
        : drafted.direction === 'contradicts'
          ? ratio >= 1 / (1 - MIN_DRIFT_REDUCTION)
          : true;
  return {
    claim: 'activation_stability',
    endpoint: 'per seed, the relative drift of the tracked activation percentiles (range over training / distribution width), averaged over sweep points',
    ...drafted,
    largeEnough,
    heads: {
      supported: `${pair.bn}'s activations were more stable`,
      contradicted: `${pair.bn}'s activations drifted more`,
      not_shown: 'no detectable difference in activation stability',
    },
    observed: `relative drift: ${pair.baseline} ${ma === null ? 'n/a' : ma.toFixed(2)}, ${pair.bn} ${mb === null ? 'n/a' : mb.toFixed(2)}${ratio !== null ? ` (${pair.bn} ${ratio < 1 ? `${((1 - ratio) * 100).toFixed(0)}% less` : `${((ratio - 1) * 100).toFixed(0)}% more`})` : ''}`,
    note: largeEnough ? '' : ` The change is under the ${MIN_DRIFT_REDUCTION * 100}% that counts as a change of stability.`,
    shortOfThreshold: largeEnough ? null : `, but by less than the ${MIN_DRIFT_REDUCTION * 100}% that counts as a change of stability`,
    evidence: { seeds: paired.seeds, drift: { [pair.baseline]: paired.baseline, [pair.bn]: paired.bn }, ratio },
  };
}

/** Decides every draft on its Holm-adjusted p (the claims of one experiment are one family). */
function decide(drafts: readonly ClaimDraft[]): ClaimVerdict[] {
  const adjusted = holmAdjust(drafts.map((d) => (d.untested ? null : d.pValue)));
  const m = drafts.length;
  return drafts.map((d, i) => {
    const pAdj = d.untested || d.pValue === null ? null : adjusted[i]!;
    let status: ClaimStatus;
    let text: string;
    const pText = pAdj === null ? '' : m > 1 ? `; Holm-adjusted over ${m} claims ${formatP(pAdj)}` : '';
    if (d.untested || d.pValue === null) {
      status = 'inconclusive';
      text = `inconclusive: ${d.untested ?? 'no test'}. Observed ${d.observed}${d.note}.`;
    } else if (d.smallestPossibleP >= SIGNIFICANCE) {
      status = 'inconclusive';
      text = `inconclusive: the ${d.testLabel} cannot give p below ${d.smallestPossibleP.toFixed(3)}, so nothing can be shown with this many seeds. Observed ${d.observed}; ${d.testText}${d.note}.`;
    } else if (pAdj! < SIGNIFICANCE && d.direction !== null && d.largeEnough) {
      status = d.direction === 'supports' ? 'supported' : 'contradicted';
      text = `${d.direction === 'supports' ? d.heads.supported : d.heads.contradicted}: ${d.observed}; ${d.testText}${pText}${d.note}.`;
    } else {
      status = 'not_shown';
      const detectable = d.detectable ? `; ${d.detectable}` : '';
      text = `${d.heads.not_shown}: ${d.observed}; ${d.testText}${pText}${detectable}${d.note}.`;
    }
    // A significant change below the practical threshold is found in its direction, but short of the claim.
    const significantButSmall = status === 'not_shown' && pAdj! < SIGNIFICANCE && d.direction !== null && d.shortOfThreshold;
    const finding =
      status === 'supported'
        ? d.heads.supported
        : status === 'contradicted'
          ? d.heads.contradicted
          : significantButSmall
            ? `${d.direction === 'supports' ? d.heads.supported : d.heads.contradicted}${d.shortOfThreshold}`
            : status === 'not_shown'
              ? d.heads.not_shown
              : undefined;
    return {
      claim: d.claim,
      title: CLAIMS[d.claim].title,
      status,
      verdict: text,
      endpoint: d.endpoint,
      test: d.test,
      p_value: d.pValue,
      p_adjusted: pAdj,
      ...(finding !== undefined ? { finding } : {}),
      // Divergence counts (a clause) belong with the numbers; the threshold sentence is in the finding instead.
      observed: `${d.observed}${d.note.startsWith(';') ? d.note : ''}`,
      untested_reason: d.untested,
      n_seeds: d.nSeeds,
      smallest_possible_p: d.smallestPossibleP,
      // What the test could have detected matters only where it found nothing.
      detectable_effect: pAdj !== null && pAdj >= SIGNIFICANCE ? d.detectable : null,
      evidence: d.evidence,
    };
  });
}

type ClaimRule = (input: ClaimInput, pair: Pair) => ClaimDraft | null;

/** Every claim's decision rule; a claim in the catalogue without one does not compile. */
const RULES: Record<ClaimId, ClaimRule> = {
  higher_learning_rates: higherLearningRates,
  init_sensitivity: initSensitivity,
  small_batch_degradation: smallBatchDegradation,
  deeper_networks: deeperNetworks,
  faster_convergence: fasterConvergence,
  activation_stability: activationStability,
  regularization,
  smoother_optimization: smootherOptimization,
  train_inference_gap: trainInferenceGap,
  step_cost: stepCost,
};

/** A declared claim the runs cannot speak to: it stays in the family, untested (p = 1 for Holm). */
function untestedDraft(claim: ClaimId, why: string): ClaimDraft {
  return {
    claim,
    endpoint: 'see docs/statistics.md, section 4',
    test: 'none',
    pValue: null,
    smallestPossibleP: 1,
    direction: null,
    largeEnough: true,
    untested: why,
    nSeeds: 0,
    heads: { supported: '', contradicted: '', not_shown: '' },
    observed: 'nothing',
    testLabel: 'no test',
    testText: 'no test',
    detectable: null,
    note: '',
    evidence: {},
  };
}

/**
 * The experiment's claims, in catalogue order, decided as one family: the declared ones (`input.claims`), each
 * reported even when the runs cannot decide it; without a declaration, every claim tested by default whose
 * instrument the runs have.
 */
export function evaluateClaims(input: ClaimInput): ClaimVerdict[] {
  if (input.runs.length === 0) return [];
  const declared = input.claims ?? null;
  const ids = CLAIM_IDS.filter((id) => (declared ? declared.includes(id) : CLAIMS[id].byDefault));
  const pair = pickPair(input);
  const drafts = ids.map((id) => {
    const draft = pair ? RULES[id](input, pair) : null;
    if (draft || !declared) return draft;
    return untestedDraft(
      id,
      pair
        ? `the runs have no values for it${CLAIMS[id].needs ? ` (it needs ${CLAIMS[id].needs})` : ''}`
        : 'it needs a variant with batch normalization and one without',
    );
  });
  return decide(drafts.filter((d): d is ClaimDraft => d !== null));
}
