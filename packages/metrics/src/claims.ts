// Verdicts on the claims made for batch normalization, each decided by a stated rule on this experiment's
// runs. A claim applies only when the experiment has what it needs (a sweep of `lr`, of `init_scale`, of
// `batch`, a target, an activation probe) and both a normalized and an unnormalized variant.
import { activationDrift } from './activation-drift.js';
import { compareSamples, formatP } from './compare-samples.js';
import { referenceVariant } from './compare-variants.js';
import { finalMetrics } from './final-metrics.js';
import { describeParams, groupRuns, paramsKey, variantNames } from './group-runs.js';
import { interactionTest } from './interaction.js';
import { formatMetricValue } from './metric-catalogue.js';
import type { ClaimVerdict, RunResult, SweepValue, TargetSpec, VariantInfo } from './results-types.js';
import { finiteValues, mean } from './sample-summary.js';
import { bestCommonTarget, timeToTarget } from './target.js';

/** Fewer evaluation points than this cannot say which run reached a level first. */
export const MIN_EVALUATIONS_FOR_SPEED = 3;

/** Least relative reduction of activation drift that counts as "more stable". */
export const MIN_DRIFT_REDUCTION = 0.25;

/** A learning rate (or other setting) "works" when no seed diverged and its mean accuracy is within this of the best. */
export const TOLERANCE_POINTS = 0.05;

export interface ClaimInput {
  runs: readonly RunResult[];
  variants?: readonly VariantInfo[];
  target?: TargetSpec | null;
}

interface Pair {
  baseline: string;
  bn: string;
}

function pickPair(input: ClaimInput): Pair | null {
  const names = variantNames(input.runs);
  const baseline = referenceVariant(names, input.variants);
  const isBn = (n: string) => input.variants?.find((v) => v.name === n)?.batchnorm ?? /(^|[^a-z])bn|batch_?norm/i.test(n);
  const bn = names.find((n) => n !== baseline && isBn(n));
  if (!baseline || !bn || isBn(baseline)) return null;
  return { baseline, bn };
}

/** The accuracy a claim judges by: validation accuracy when the runs have it, else test accuracy. */
function accuracyMetric(runs: readonly RunResult[]): 'val_accuracy' | 'test_accuracy' {
  return runs.some((r) => r.history.some((h) => h.val_accuracy !== null)) ? 'val_accuracy' : 'test_accuracy';
}

function sweptValues(runs: readonly RunResult[], key: string): SweepValue[] {
  const values = new Set<SweepValue>();
  for (const r of runs) if (key in r.params) values.add(r.params[key]!);
  return [...values];
}

function seedCount(runs: readonly RunResult[]): number {
  return new Set(runs.map((r) => r.seed)).size;
}

function fmtPct(x: number | null): string {
  return x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`;
}

// ----------------------------------------------------------------------------------------------------------

function higherLearningRates(input: ClaimInput, pair: Pair): ClaimVerdict | null {
  const lrs = sweptValues(input.runs, 'lr').filter((v): v is number => typeof v === 'number');
  if (lrs.length < 2) return null;
  const metric = accuracyMetric(input.runs);
  const points = groupRuns(input.runs);
  const cell = (variant: string, lr: number) => {
    const runs = points.filter((p) => p.params.lr === lr).flatMap((p) => p.byVariant.get(variant) ?? []);
    const values = runs.map((r) => finalMetrics(r, null)[metric] ?? null);
    const f = finiteValues(values);
    return { runs, diverged: runs.filter((r) => r.status === 'diverged').length, mean: f.length > 0 ? mean(f) : null };
  };
  const cells = new Map<string, ReturnType<typeof cell>>();
  for (const v of [pair.baseline, pair.bn]) for (const lr of lrs) cells.set(`${v}@${lr}`, cell(v, lr));
  // Each variant against its own best rate: a variant that is simply less accurate everywhere still
  // tolerates a rate at which it trains as well as it ever does (comparing with the other variant's best
  // would call that "none tolerated" and support the claim without any evidence about learning rates).
  const bestOf = (v: string) => Math.max(...lrs.map((lr) => cells.get(`${v}@${lr}`)!.mean ?? -Infinity));
  const best = { [pair.baseline]: bestOf(pair.baseline), [pair.bn]: bestOf(pair.bn) };
  const tolerated = (v: string) =>
    lrs.filter((lr) => {
      const c = cells.get(`${v}@${lr}`)!;
      return c.runs.length > 0 && c.diverged === 0 && c.mean !== null && c.mean >= best[v]! - TOLERANCE_POINTS;
    });
  const maxOf = (xs: number[]) => (xs.length > 0 ? Math.max(...xs) : null);
  const bnMax = maxOf(tolerated(pair.bn));
  const baseMax = maxOf(tolerated(pair.baseline));
  const seeds = seedCount(input.runs);
  const table = lrs
    .map((lr) => `lr ${lr}: ${pair.baseline} ${fmtPct(cells.get(`${pair.baseline}@${lr}`)!.mean)} (${cells.get(`${pair.baseline}@${lr}`)!.diverged} diverged), ${pair.bn} ${fmtPct(cells.get(`${pair.bn}@${lr}`)!.mean)} (${cells.get(`${pair.bn}@${lr}`)!.diverged} diverged)`)
    .join('; ');
  const rule = `a learning rate counts as tolerated when no seed diverged and mean ${metric.replace('_', ' ')} is within ${TOLERANCE_POINTS * 100} points of the variant's own best (${pair.baseline} ${fmtPct(best[pair.baseline]!)}, ${pair.bn} ${fmtPct(best[pair.bn]!)})`;
  let status: ClaimVerdict['status'];
  let head: string;
  if ((bnMax ?? -Infinity) > (baseMax ?? -Infinity)) {
    status = 'supported';
    head = `${pair.bn} tolerated learning rates up to ${bnMax}, ${pair.baseline} ${baseMax === null ? 'none of the swept ones' : `only up to ${baseMax}`}`;
  } else if ((bnMax ?? -Infinity) < (baseMax ?? -Infinity)) {
    status = 'contradicted';
    head = `${pair.baseline} tolerated learning rates up to ${baseMax}, ${pair.bn} ${bnMax === null ? 'none of the swept ones' : `only up to ${bnMax}`}`;
  } else {
    status = 'not_shown';
    head = `both variants tolerated the same largest learning rate (${bnMax ?? 'none'})`;
  }
  if (seeds < 2 && status !== 'not_shown') status = 'inconclusive';
  return {
    claim: 'higher_learning_rates',
    title: 'Batch normalization tolerates higher learning rates',
    status,
    verdict: `${head}; ${rule}; ${seeds} seed${seeds === 1 ? '' : 's'}. ${table}.`,
    evidence: { metric, best, tolerated: { [pair.baseline]: tolerated(pair.baseline), [pair.bn]: tolerated(pair.bn) } },
  };
}

function initSensitivity(input: ClaimInput, pair: Pair): ClaimVerdict | null {
  const scales = sweptValues(input.runs, 'init_scale');
  if (scales.length < 2) return null;
  const metric = accuracyMetric(input.runs);
  // Per seed: the range of final accuracy across the init scales. A diverged run failed to train, so it
  // counts as accuracy 0 here; leaving it out would hide exactly the sensitivity being measured.
  const ranges = (variant: string) => {
    const bySeed = new Map<number, number[]>();
    for (const r of input.runs) {
      if (r.variant !== variant || !('init_scale' in r.params)) continue;
      const value = r.status === 'diverged' ? 0 : finalMetrics(r, null)[metric];
      if (value === null || value === undefined) continue;
      const list = bySeed.get(r.seed) ?? [];
      list.push(value);
      bySeed.set(r.seed, list);
    }
    return [...bySeed.values()].filter((l) => l.length === scales.length).map((l) => Math.max(...l) - Math.min(...l));
  };
  const a = ranges(pair.baseline);
  const b = ranges(pair.bn);
  const c = compareSamples(a, b, { a: pair.baseline, b: pair.bn, metric, where: `across init_scale ${scales.join(', ')}` });
  const status: ClaimVerdict['status'] = c.outcome === 'b_lower' ? 'supported' : c.outcome === 'b_higher' ? 'contradicted' : c.outcome === 'no_difference' ? 'not_shown' : 'inconclusive';
  const ma = a.length > 0 ? mean(a) : null;
  const mb = b.length > 0 ? mean(b) : null;
  return {
    claim: 'init_sensitivity',
    title: 'Batch normalization makes training less sensitive to initialization',
    status,
    verdict: `spread of final ${metric.replace('_', ' ')} across initial weight scales (max minus min, per seed): ${pair.baseline} ${formatMetricValue(metric, ma)} points, ${pair.bn} ${formatMetricValue(metric, mb)} points. Difference of spreads: ${c.verdict.replace(/^.*?: /, '')}.`,
    evidence: { metric, ranges: { [pair.baseline]: a, [pair.bn]: b }, p_value: c.pValue, ci95: c.ci95 },
  };
}

function smallBatchDegradation(input: ClaimInput, pair: Pair): ClaimVerdict | null {
  const batches = sweptValues(input.runs, 'batch').filter((v): v is number => typeof v === 'number');
  if (batches.length < 2) return null;
  const metric = accuracyMetric(input.runs);
  const small = Math.min(...batches);
  const large = Math.max(...batches);
  // With other sweeps in the grid, compare within the first combination of the other settings.
  const others = (p: Record<string, SweepValue>) => paramsKey(Object.fromEntries(Object.entries(p).filter(([k]) => k !== 'batch')));
  const firstOthers = others(input.runs[0]!.params);
  const values = (variant: string, batch: number) =>
    input.runs
      .filter((r) => r.variant === variant && r.params.batch === batch && others(r.params) === firstOthers)
      .map((r) => finalMetrics(r, null)[metric] ?? null);
  const groups = [values(pair.baseline, large), values(pair.bn, large), values(pair.baseline, small), values(pair.bn, small)] as const;
  const gap = (x: (number | null)[], y: (number | null)[]) => {
    const fx = finiteValues(x);
    const fy = finiteValues(y);
    return fx.length > 0 && fy.length > 0 ? mean(fy) - mean(fx) : null;
  };
  const gapLarge = gap(groups[0], groups[1]);
  const gapSmall = gap(groups[2], groups[3]);
  const test = interactionTest(groups);
  const describe = `${pair.bn} minus ${pair.baseline} ${metric.replace('_', ' ')}: ${formatMetricValue(metric, gapSmall, true)} points at batch ${small}, ${formatMetricValue(metric, gapLarge, true)} points at batch ${large}`;
  if (!test) {
    return {
      claim: 'small_batch_degradation',
      title: 'Batch normalization degrades at small batch sizes',
      status: 'inconclusive',
      verdict: `inconclusive: fewer than 2 finished seeds in some group. Observed ${describe}.`,
      evidence: { metric, small, large, gap_small: gapSmall, gap_large: gapLarge },
    };
  }
  const ci = `${formatMetricValue(metric, test.estimate, true)} points, 95% CI [${formatMetricValue(metric, test.ci95[0])}, ${formatMetricValue(metric, test.ci95[1])}]`;
  const status: ClaimVerdict['status'] = test.ci95[1] < 0 ? 'supported' : test.ci95[0] > 0 ? 'contradicted' : 'not_shown';
  const head =
    status === 'supported'
      ? `the advantage of ${pair.bn} shrinks at small batches`
      : status === 'contradicted'
        ? `the advantage of ${pair.bn} grows at small batches`
        : `no detectable change of ${pair.bn}'s advantage between batch ${small} and batch ${large}`;
  return {
    claim: 'small_batch_degradation',
    title: 'Batch normalization degrades at small batch sizes',
    status,
    verdict: `${head}: ${describe}; change ${ci}, ${formatP(test.pValue)}.`,
    evidence: { metric, small, large, gap_small: gapSmall, gap_large: gapLarge, change: test.estimate, ci95: test.ci95, p_value: test.pValue },
  };
}

function fasterConvergence(input: ClaimInput, pair: Pair): ClaimVerdict | null {
  let target = input.target ?? bestCommonTarget(input.runs);
  let fallbackNote = input.target ? '' : ' (no target declared: the best level every finished run reached)';
  if (input.target && !input.runs.some((r) => timeToTarget(r, input.target!) !== null)) {
    // Nobody reached the declared target: compare at the best level every finished run reached instead.
    target = bestCommonTarget(input.runs);
    fallbackNote = ` (no run reached the declared target ${input.target.metric} ${input.target.op} ${input.target.value}; measured at the best level every finished run reached instead)`;
  }
  if (!target) return null;
  // Diverged runs may stop before their first evaluation; only finished runs say how often runs were evaluated.
  const finished = input.runs.filter((r) => r.status === 'completed');
  if (finished.length === 0) return null;
  if (fallbackNote !== '') {
    // The best level every run reached is the worse variant's best. When that stayed below where every run of
    // the other variant already was at its first evaluation (a variant that never left chance), timing both at
    // it says nothing about speed: measure at the level every run of the other variant reached, which the
    // worse one then reaches in no seed.
    const ofVariant = (v: string) => finished.filter((r) => r.variant === v);
    const firstLevel = (v: string) => Math.min(...ofVariant(v).map((r) => r.history[0]?.val_accuracy ?? -Infinity));
    for (const [better, worse] of [[pair.bn, pair.baseline], [pair.baseline, pair.bn]] as const) {
      const worseBest = bestCommonTarget(ofVariant(worse));
      const betterLevel = bestCommonTarget(ofVariant(better));
      if (!worseBest || !betterLevel || !(worseBest.value < firstLevel(better))) continue;
      const why = input.target ? `no run reached the declared target ${input.target.metric} ${input.target.op} ${input.target.value}` : 'no target declared';
      fallbackNote = ` (${why}: ${worse} never got past ${fmtPct(worseBest.value)}, below where every ${better} run was at its first evaluation (${fmtPct(firstLevel(better))}), so speed is measured at the best level every ${better} run reached)`;
      target = betterLevel;
      break;
    }
  }
  const fewestEvaluations = Math.min(...finished.map((r) => r.history.length));
  if (fewestEvaluations < MIN_EVALUATIONS_FOR_SPEED) {
    return {
      claim: 'faster_convergence',
      title: 'Batch normalization makes training converge faster',
      status: 'inconclusive',
      verdict: `inconclusive: some runs were evaluated only ${fewestEvaluations} time${fewestEvaluations === 1 ? '' : 's'}, too coarse to tell which reached a level first; set \`eval_every\` to a few hundred steps.`,
      evidence: { target, fewest_evaluations: fewestEvaluations },
    };
  }
  const level = `${target.metric.replace('_', ' ')} ${target.op} ${target.metric.includes('accuracy') ? fmtPct(target.value) : target.value}`;
  const outcomes: string[] = [];
  const notes: string[] = [];
  for (const point of groupRuns(input.runs)) {
    const a = point.byVariant.get(pair.baseline) ?? [];
    const b = point.byVariant.get(pair.bn) ?? [];
    if (a.length === 0 || b.length === 0) continue;
    const steps = (runs: RunResult[]) => runs.map((r) => timeToTarget(r, target)?.step ?? null);
    const sa = steps(a);
    const sb = steps(b);
    const reachedA = finiteValues(sa).length;
    const reachedB = finiteValues(sb).length;
    const where = Object.keys(point.params).length > 0 ? `at ${describeParams(point.params)}` : '';
    if (reachedB === b.length && reachedA === 0 && a.length >= 2 && b.length >= 2) {
      outcomes.push('b_lower');
      notes.push(`${where ? `${where}: ` : ''}${pair.bn} reached it in ${reachedB}/${b.length} seeds (mean step ${Math.round(mean(finiteValues(sb)))}), ${pair.baseline} in none`);
      continue;
    }
    const c = compareSamples(sa, sb, { a: pair.baseline, b: pair.bn, metric: 'steps_to_target', where });
    outcomes.push(c.outcome);
    const mA = reachedA > 0 ? Math.round(mean(finiteValues(sa))) : null;
    const mB = reachedB > 0 ? Math.round(mean(finiteValues(sb))) : null;
    notes.push(`${where ? `${where}: ` : ''}${pair.bn} ${mB === null ? 'never reached it' : `at step ${mB}`} (${reachedB}/${b.length} seeds), ${pair.baseline} ${mA === null ? 'never reached it' : `at step ${mA}`} (${reachedA}/${a.length} seeds)${c.outcome === 'inconclusive' ? '' : `; ${c.verdict}`}`);
  }
  if (outcomes.length === 0) return null;
  const sooner = outcomes.filter((o) => o === 'b_lower').length;
  const later = outcomes.filter((o) => o === 'b_higher').length;
  const same = outcomes.filter((o) => o === 'no_difference').length;
  // A direction must hold at most of the testable sweep points, not at one of many.
  let status: ClaimVerdict['status'];
  if (sooner > 0 && later === 0 && sooner >= same) status = 'supported';
  else if (later > 0 && sooner === 0 && later >= same) status = 'contradicted';
  else if (outcomes.every((o) => o === 'inconclusive')) status = 'inconclusive';
  else status = 'not_shown';
  const head = {
    supported: `${pair.bn} reached ${level} sooner`,
    contradicted: `${pair.bn} reached ${level} later`,
    inconclusive: `inconclusive (too few seeds to test) for reaching ${level}`,
    not_shown: `no consistent difference in steps to reach ${level}`,
    not_applicable: '',
  }[status];
  return {
    claim: 'faster_convergence',
    title: 'Batch normalization makes training converge faster',
    status,
    verdict: `${head}${fallbackNote}. ${notes.join('. ')}.`,
    evidence: { target, outcomes },
  };
}

function activationStability(input: ClaimInput, pair: Pair): ClaimVerdict | null {
  const drifts = (variant: string) =>
    input.runs
      .filter((r) => r.variant === variant && (r.probes.activations?.length ?? 0) > 0)
      .map((r) => activationDrift(r.probes.activations![0]!)?.relativeDrift ?? null);
  const a = drifts(pair.baseline);
  const b = drifts(pair.bn);
  if (finiteValues(a).length === 0 || finiteValues(b).length === 0) return null;
  // Runs from every sweep point are pooled: each run is one value.
  const c = compareSamples(a, b, { a: pair.baseline, b: pair.bn, metric: 'activation_drift', where: '', unit: 'run' });
  const ma = mean(finiteValues(a));
  const mb = mean(finiteValues(b));
  // A detectable but small reduction is not the stability the claim is about (Ioffe & Szegedy's Figure 1
  // shows the baseline's percentiles wandering several times further): require at least MIN_DRIFT_REDUCTION.
  const reduction = ma > 0 ? 1 - mb / ma : 0;
  const small = c.outcome === 'b_lower' && reduction < MIN_DRIFT_REDUCTION;
  const status: ClaimVerdict['status'] = small ? 'not_shown' : c.outcome === 'b_lower' ? 'supported' : c.outcome === 'b_higher' ? 'contradicted' : c.outcome === 'no_difference' ? 'not_shown' : 'inconclusive';
  const observed = `relative drift of the tracked percentiles over training (percentile range over training / distribution width): ${pair.baseline} ${ma.toFixed(2)}, ${pair.bn} ${mb.toFixed(2)}`;
  const verdict =
    status === 'inconclusive'
      ? `inconclusive: ${Math.min(finiteValues(a).length, finiteValues(b).length)} run${Math.min(finiteValues(a).length, finiteValues(b).length) === 1 ? '' : 's'}, so no test; observed ${observed} (${mb < ma ? `${pair.bn} moved less` : `${pair.bn} did not move less`})`
      : `${status === 'supported' ? `${pair.bn}'s activations were more stable` : status === 'contradicted' ? `${pair.bn}'s activations drifted more` : small ? `${pair.bn}'s activations drifted detectably but only ${(reduction * 100).toFixed(0)}% less (under the ${MIN_DRIFT_REDUCTION * 100}% that counts as more stable)` : 'no detectable difference in stability'}: ${observed}; difference ${c.verdict.replace(/^.*?: /, '')}`;
  return {
    claim: 'activation_stability',
    title: 'Batch normalization keeps activation distributions stable during training',
    status,
    verdict: `${verdict}.`,
    evidence: { drift: { [pair.baseline]: a, [pair.bn]: b } },
  };
}

/** Every claim this experiment can speak to, in a fixed order. */
export function evaluateClaims(input: ClaimInput): ClaimVerdict[] {
  if (input.runs.length === 0) return [];
  const pair = pickPair(input);
  if (!pair) return [];
  const claims = [higherLearningRates, initSensitivity, smallBatchDegradation, fasterConvergence, activationStability];
  return claims.map((claim) => claim(input, pair)).filter((v): v is ClaimVerdict => v !== null);
}
