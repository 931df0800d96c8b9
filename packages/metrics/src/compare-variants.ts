// The comparison table: every other variant against the reference one, at each sweep point, on each compared
// metric. It is exploratory (many metrics × points × variants), so differences are called on
// Benjamini-Hochberg q-values over the whole table, and both the raw p and q are kept.
import { describeComparison, formatP, testSamples, type SampleTest } from './compare-samples.js';
import { describeParams, groupRuns, variantNames } from './group-runs.js';
import { finalMetrics } from './final-metrics.js';
import { COMPARED_METRICS, evaluationSplit, metricLabel } from './metric-catalogue.js';
import { benjaminiHochberg } from './multiplicity.js';
import type { Comparison, RunResult, SweepValue, TargetSpec, VariantInfo } from './results-types.js';
import { compareTimeToTarget } from './time-to-target.js';

/**
 * The reference variant: the first one without batch normalization (the baseline), else the first one.
 * Without variant info, a name containing "bn" or "batchnorm" marks a normalized variant.
 */
export function referenceVariant(names: readonly string[], variants?: readonly VariantInfo[]): string | undefined {
  const isBn = (name: string) => variants?.find((v) => v.name === name)?.batchnorm ?? /(^|[^a-z])bn|batch_?norm/i.test(name);
  return names.find((n) => !isBn(n)) ?? names[0];
}

interface Row {
  params: Record<string, SweepValue>;
  a: string;
  b: string;
  metric: string;
  where: string;
  pValue: number | null;
  /** Builds the row once the q-value is known. */
  finish: (q: number | null) => Comparison;
}

export function compareVariants(
  runs: readonly RunResult[],
  target: TargetSpec | null,
  variants?: readonly VariantInfo[],
  metrics: readonly string[] = COMPARED_METRICS,
): Comparison[] {
  const names = variantNames(runs);
  const split = evaluationSplit(runs);
  const reference = referenceVariant(names, variants);
  if (reference === undefined) return [];
  const rows: Row[] = [];
  for (const point of groupRuns(runs)) {
    const refRuns = point.byVariant.get(reference);
    if (!refRuns) continue;
    const refFinals = refRuns.map((r) => finalMetrics(r, null));
    const where = Object.keys(point.params).length > 0 ? `at ${describeParams(point.params)}` : '';
    for (const [variant, list] of point.byVariant) {
      if (variant === reference) continue;
      const finals = list.map((r) => finalMetrics(r, null));
      const divergedA = refRuns.filter((r) => r.status === 'diverged').length;
      const divergedB = list.filter((r) => r.status === 'diverged').length;
      const divergence = divergedA + divergedB > 0 ? `; diverged: ${variant} ${divergedB}/${list.length}, ${reference} ${divergedA}/${refRuns.length}` : '';
      for (const metric of metrics) {
        // What names a row, in the pending row and in the comparison it becomes.
        const pair = { params: point.params, a: reference, b: variant, metric };
        if (metric === 'steps_to_target') {
          // Time to target only against a declared target, as survival data (never-reached runs censored).
          if (!target) continue;
          const names = { a: reference, b: variant, where };
          const raw = compareTimeToTarget(refRuns, list, target, names);
          rows.push({
            ...pair,
            where,
            pValue: raw.pValue,
            finish: (q) => {
              const c = q === null ? raw : compareTimeToTarget(refRuns, list, target, names, () => ({ p: q, label: formatQ(q) }));
              return {
                ...pair,
                difference: c.difference,
                ci95: null,
                p_value: c.pValue,
                rank_p_value: null,
                q_value: q,
                test: c.test,
                n_pairs: 0,
                smallest_possible_p: c.smallestPossibleP,
                n_a: c.nA,
                n_b: c.nB,
                outcome: c.outcome,
                verdict: c.verdict + divergence,
              };
            },
          });
          continue;
        }
        const a = refFinals.map((f) => f[metric] ?? null);
        const b = finals.map((f) => f[metric] ?? null);
        // A metric nobody measured (no test split) is left out rather than called inconclusive.
        if (a.every((v) => v === null) && b.every((v) => v === null)) continue;
        const opts = {
          a: reference,
          b: variant,
          metric,
          label: metricLabel(metric, split),
          where,
          seeds: { a: refRuns.map((r) => r.seed), b: list.map((r) => r.seed) },
        };
        const t: SampleTest = testSamples(a, b, opts);
        rows.push({
          ...pair,
          where,
          pValue: t.pValue,
          finish: (q) => {
            const c = describeComparison(t, opts, q ?? t.pValue, q === null ? undefined : formatQ(q));
            return {
              ...pair,
              difference: c.difference,
              ci95: c.ci95,
              p_value: c.pValue,
              rank_p_value: c.rankPValue,
              q_value: q,
              test: c.test,
              n_pairs: c.nPairs,
              smallest_possible_p: c.smallestPossibleP,
              n_a: c.nA,
              n_b: c.nB,
              outcome: c.outcome,
              verdict: c.verdict + divergence,
            };
          },
        });
      }
    }
  }
  // One family: every tested row of the table (untested rows have no p and do not count).
  const q = benjaminiHochberg(rows.map((r) => r.pValue));
  return rows.map((r, i) => r.finish(q[i] ?? null));
}

/** "BH q = 0.031" or "BH q < 0.001". */
function formatQ(q: number): string {
  return formatP(q).replace(/^p/, 'BH q');
}
