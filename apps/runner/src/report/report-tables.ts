// The tables both reports show (HTML and Markdown), built once as plain text cells so the two never drift
// apart. Cells are unescaped here; each renderer escapes them for its own format.
import {
  ANALYSIS_PLAN_URL,
  describeParams,
  divergenceCounts,
  formatMetricValue,
  evaluationSplit,
  metricInfo,
  metricLabel,
  type EvaluationSplit,
  referenceVariant,
  stepTimeOverhead,
  variantNames,
  type Comparison,
  type MetricStat,
  type ResultsFile,
  unitSuffix,
} from '@bnx/metrics';
import { comparisonOutcomeText, pCell, qValue, sentenceCase, settingName, testMethod, tidy } from './wording.js';

export interface Table {
  headers: string[];
  rows: string[][];
  /** What the less obvious columns mean: [header, explanation]. */
  notes?: [string, string][];
  /** Columns (from this index on) that hold numbers, right-aligned. */
  numericFrom?: number;
  /** Columns that hold numbers, when they are not all the last ones. */
  numericColumns?: number[];
}

/** The number of seeds most cells are computed from, stated once instead of in every cell. */
export function typicalSeedCount(results: ResultsFile): number {
  const counts = results.summary.map((s) => s.seeds.length);
  return counts.length === 0 ? 0 : Math.max(...counts);
}

/**
 * "95.1 ± 0.4": mean and the half-width of the 95% interval, in the metric's unit. The number of seeds is
 * added only where it differs from `seeds` (a diverged run, a target some seeds never reached).
 */
export function formatStat(metric: string, stat: MetricStat | undefined, seeds = 0): string {
  if (!stat || stat.mean === null) return 'n/a';
  const mean = formatMetricValue(metric, stat.mean);
  const n = stat.n !== seeds ? ` (${stat.n} of ${seeds || stat.n} seeds)` : '';
  if (!stat.ci95) return `${mean}${n}`;
  const half = (stat.ci95[1] - stat.ci95[0]) / 2;
  return `${mean} ± ${formatMetricValue(metric, half)}${n}`;
}

/** Column headers for the final metrics, and what each means. */
export const METRIC_COLUMNS: Record<string, { header: string; explanation: string }> = {
  val_accuracy: { header: 'Validation accuracy (%)', explanation: 'Accuracy on the held-out validation split at the end of training.' },
  val_loss: { header: 'Validation loss', explanation: 'Cross-entropy on the validation split at the end of training.' },
  test_accuracy: { header: 'Test accuracy (%)', explanation: 'Accuracy on the test split after training.' },
  steps_to_target: {
    header: 'Steps to target',
    explanation:
      'Training steps until the declared target was first met, averaged over the seeds that met it; the time-to-target table also counts the runs that never did (Kaplan-Meier).',
  },
  generalization_gap: {
    header: 'Train − validation gap (points)',
    explanation: 'Final training accuracy minus validation accuracy; larger means more overfitting.',
  },
  val_loss_auc: {
    header: 'Mean validation loss',
    explanation: 'Validation loss averaged over the whole run (area under the curve per step); lower means it learned sooner.',
  },
  samples_per_second: { header: 'Samples/s', explanation: 'Training throughput: samples processed per second of training.' },
};

const SUMMARY_METRICS = ['val_accuracy', 'val_loss', 'test_accuracy', 'steps_to_target', 'generalization_gap', 'val_loss_auc', 'samples_per_second'];

function metricHeader(metric: string, split: EvaluationSplit): string {
  const header = METRIC_COLUMNS[metric]?.header ?? sentenceCase(metricInfo(metric).label);
  return split === 'test' && metric.startsWith('val_') ? header.replace('Validation', 'Test-split') : header;
}

function paramHeader(key: string): string {
  return sentenceCase(settingName(key));
}

/** One row per variant and sweep point: every final metric as mean ± 95% CI half-width. */
export function summaryTable(results: ResultsFile): Table {
  const paramKeys = [...new Set(results.summary.flatMap((s) => Object.keys(s.params)))];
  const shown = SUMMARY_METRICS.filter((m) => results.summary.some((s) => (s.metrics[m]?.n ?? 0) > 0));
  const seeds = typicalSeedCount(results);
  return {
    headers: ['Variant', ...paramKeys.map(paramHeader), ...shown.map((m) => metricHeader(m, evaluationSplit(results.runs))), 'Diverged'],
    rows: results.summary.map((s) => [
      s.variant,
      ...paramKeys.map((k) => (k in s.params ? String(s.params[k]) : '')),
      ...shown.map((m) => formatStat(m, s.metrics[m], seeds)),
      `${s.diverged} of ${s.runs}`,
    ]),
    notes: [
      ...shown.filter((m) => METRIC_COLUMNS[m]).map((m) => [METRIC_COLUMNS[m]!.header, METRIC_COLUMNS[m]!.explanation] as [string, string]),
      ['Diverged', 'Runs whose loss became NaN or infinite; they are left out of the means.'],
    ],
    numericFrom: 1 + paramKeys.length,
  };
}

export function comparisonTable(results: ResultsFile): Table {
  const q = results.comparisons.some((c) => qValue(c) !== null);
  const method = results.comparisons.some((c) => testMethod(c) !== null);
  // Mann-Whitney is reported beside unpaired tests only (docs/statistics.md, section 2); it decides nothing.
  const unpaired = (c: Comparison) => c.test === undefined || c.test === 'welch' || c.test === 'permutation_exact';
  const rank = results.comparisons.some((c) => unpaired(c) && c.rank_p_value !== null);
  // One pair of variants (the usual case) is named once, in the header.
  const pairs = new Set(results.comparisons.map((c) => `${c.b} − ${c.a}`));
  const pair = pairs.size === 1 ? [...pairs][0]! : null;
  const difference = pair ? `Difference (${pair})` : 'Difference';
  const headers = ['Where', 'Metric', difference, '95% CI', ...(method ? ['Test'] : []), 'p', ...(q ? ['q'] : []), ...(rank ? ['Rank test p'] : []), 'Finding'];
  const notes: [string, string][] = [
    [
      difference,
      "Mean per-seed difference (second variant minus first; unpaired: difference of means) in the metric's unit, accuracy in percentage points; for steps to target, the difference of Kaplan-Meier medians.",
    ],
  ];
  if (method)
    notes.push([
      'Test',
      'Paired t over the seeds both variants have; exact sign-flip below 5 seeds (it cannot go below p = 2 / 2^seeds); Welch only where seeds cannot be paired; log-rank for steps to target, with runs that never reached it censored.',
    ]);
  notes.push(['p', 'Two-sided p-value of that test, not adjusted.']);
  if (q)
    notes.push([
      'q',
      'Benjamini-Hochberg q-value over the whole table: the finding is called when q < 0.05. The table is exploratory; the claims above are the confirmatory tests.',
    ]);
  if (rank)
    notes.push([
      'Rank test p',
      'Mann-Whitney rank test beside an unpaired test, which does not assume normally distributed values; reported, not used to decide.',
    ]);
  const numeric = headers.map((h, i) => (['Where', 'Metric', 'Test', 'Finding'].includes(h) ? -1 : i)).filter((i) => i >= 0);
  return {
    headers,
    rows: results.comparisons.map((c) => [
      describeParams(c.params) || 'All runs',
      `${sentenceCase(metricLabel(c.metric, evaluationSplit(results.runs)).replace(/ \(.*\)$/, ''))}${pair ? '' : `: ${c.b} − ${c.a}`}`,
      c.difference === null ? 'n/a' : `${tidy(formatMetricValue(c.metric, c.difference, true)).replace(/\.$/, '')}${unitSuffix(c.metric)}`,
      c.ci95 ? tidy(`[${formatMetricValue(c.metric, c.ci95[0])}, ${formatMetricValue(c.metric, c.ci95[1])}]`).replace(/\.$/, '') : 'n/a',
      ...(method ? [testMethod(c) ?? '—'] : []),
      pCell(c.p_value),
      ...(q ? [pCell(qValue(c))] : []),
      ...(rank ? [unpaired(c) ? pCell(c.rank_p_value) : '—'] : []),
      sentenceCase(comparisonOutcomeText(c)),
    ]),
    notes,
    numericColumns: numeric,
  };
}

export function stepTimeTable(results: ResultsFile): Table | null {
  const reference = referenceVariant(variantNames(results.runs), results.variants);
  if (reference === undefined) return null;
  const overheads = stepTimeOverhead(results.runs, reference);
  if (overheads.length === 0) return null;
  return {
    headers: ['Where', 'Variant', 'Samples/s', `${reference} samples/s`, `Step time vs ${reference}`],
    rows: overheads.map((o) => [
      describeParams(o.params) || 'All runs',
      o.variant,
      Math.round(o.samplesPerSecond).toString(),
      Math.round(o.referenceSamplesPerSecond).toString(),
      `${o.ratio.toFixed(2)}× (${o.ratio >= 1 ? '+' : '−'}${Math.abs((o.ratio - 1) * 100).toFixed(0)}%)`,
    ]),
  };
}

export function divergenceTable(results: ResultsFile): Table | null {
  const counts = divergenceCounts(results.runs).filter((c) => c.diverged > 0);
  if (counts.length === 0) return null;
  return {
    headers: ['Where', 'Variant', 'Diverged', 'At steps'],
    rows: counts.map((c) => [describeParams(c.params) || 'All runs', c.variant, `${c.diverged} of ${c.runs}`, c.atSteps.join(', ')]),
  };
}

export function runsTable(results: ResultsFile): Table {
  return {
    headers: ['Run', 'Status', 'Steps', 'Final validation accuracy (%)', 'Test accuracy (%)', 'Samples/s'],
    numericFrom: 2,
    rows: results.runs.map((r) => {
      const last = r.history[r.history.length - 1];
      return [
        r.id,
        r.status + (r.error ? `: ${r.error}` : ''),
        String(last?.step ?? 0),
        formatMetricValue('val_accuracy', last?.val_accuracy ?? null),
        formatMetricValue('test_accuracy', r.test?.accuracy ?? null),
        r.samples_per_second === null ? 'n/a' : Math.round(r.samples_per_second).toString(),
      ];
    }),
  };
}

/** The comparisons a reader wants first: final validation (or test) accuracy at each sweep point. */
/** Kaplan-Meier time to the declared target (null without one, or in a /1 file). */
export function timeToTargetTable(results: ResultsFile): Table | null {
  const entries = results.time_to_target ?? [];
  if (entries.length === 0) return null;
  const end = (x: number | null) => (x === null ? 'not reached' : String(x));
  return {
    headers: ['Where', 'Variant', 'Reached the target', 'Median steps', '95% CI of the median'],
    numericColumns: [2, 3, 4],
    rows: entries.map((e) => [
      describeParams(e.params) || 'All runs',
      e.variant,
      `${e.reached} of ${e.runs}`,
      e.median_steps === null ? 'not reached' : String(e.median_steps),
      // Without a median there is no interval for it.
      e.median_steps === null ? '—' : `[${end(e.median_ci95[0])}, ${end(e.median_ci95[1])}]`,
    ]),
  };
}

/** Where the statistics are explained: the plan stored in results.json, else the current one. */
export function analysisPlanUrl(results: ResultsFile): string {
  return results.analysis_plan?.document ?? ANALYSIS_PLAN_URL;
}

export function headlineComparisons(results: ResultsFile): Comparison[] {
  const metric = results.comparisons.some((c) => c.metric === 'val_accuracy') ? 'val_accuracy' : 'test_accuracy';
  return results.comparisons.filter((c) => c.metric === metric);
}

/** When the dataset has no validation split, the val_* numbers are on the test split: say so. */
export function testSplitNote(results: ResultsFile): string | null {
  if (results.runs.length === 0 || !results.runs.every((r) => r.eval_split === 'test')) return null;
  return 'This dataset declares no validation split, so every "validation" number here (validation accuracy and loss, and the curves) was measured on the test split.';
}
