// Comparisons between variants at each sweep point: every other variant against the reference one.
import { compareSamples } from './compare-samples.js';
import { describeParams, groupRuns, variantNames } from './group-runs.js';
import { finalMetrics } from './final-metrics.js';
import { COMPARED_METRICS } from './metric-catalogue.js';
import type { Comparison, RunResult, TargetSpec, VariantInfo } from './results-types.js';

/**
 * The reference variant: the first one without batch normalization (the baseline), else the first one.
 * Without variant info, a name containing "bn" or "batchnorm" marks a normalized variant.
 */
export function referenceVariant(names: readonly string[], variants?: readonly VariantInfo[]): string | undefined {
  const isBn = (name: string) => variants?.find((v) => v.name === name)?.batchnorm ?? /(^|[^a-z])bn|batch_?norm/i.test(name);
  return names.find((n) => !isBn(n)) ?? names[0];
}

export function compareVariants(
  runs: readonly RunResult[],
  target: TargetSpec | null,
  variants?: readonly VariantInfo[],
  metrics: readonly string[] = COMPARED_METRICS,
): Comparison[] {
  const names = variantNames(runs);
  const reference = referenceVariant(names, variants);
  if (reference === undefined) return [];
  const comparisons: Comparison[] = [];
  for (const point of groupRuns(runs)) {
    const refRuns = point.byVariant.get(reference);
    if (!refRuns) continue;
    const refFinals = refRuns.map((r) => finalMetrics(r, target));
    const where = Object.keys(point.params).length > 0 ? `at ${describeParams(point.params)}` : '';
    for (const [variant, list] of point.byVariant) {
      if (variant === reference) continue;
      const finals = list.map((r) => finalMetrics(r, target));
      for (const metric of metrics) {
        const a = refFinals.map((f) => f[metric] ?? null);
        const b = finals.map((f) => f[metric] ?? null);
        // A metric nobody measured (no target, no test split) is left out rather than called inconclusive.
        if (a.every((v) => v === null) && b.every((v) => v === null)) continue;
        const c = compareSamples(a, b, { a: reference, b: variant, metric, where });
        let verdict = c.verdict;
        if (metric === 'steps_to_target' && (c.nA < a.length || c.nB < b.length)) {
          // Runs that never reached the target have no time; say how many did, or the means mislead.
          verdict += `; reached by ${c.nB}/${b.length} ${variant} and ${c.nA}/${a.length} ${reference} runs`;
        }
        const divergedA = refRuns.filter((r) => r.status === 'diverged').length;
        const divergedB = list.filter((r) => r.status === 'diverged').length;
        if (divergedA + divergedB > 0) verdict += `; diverged: ${variant} ${divergedB}/${list.length}, ${reference} ${divergedA}/${refRuns.length}`;
        comparisons.push({
          params: point.params,
          a: reference,
          b: variant,
          metric,
          difference: c.difference,
          ci95: c.ci95,
          p_value: c.pValue,
          rank_p_value: c.rankPValue,
          n_a: c.nA,
          n_b: c.nB,
          outcome: c.outcome,
          verdict,
        });
      }
    }
  }
  return comparisons;
}
