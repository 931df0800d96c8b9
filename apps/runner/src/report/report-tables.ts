// The tables both reports show (HTML and Markdown), built once as plain text cells so the two never drift
// apart. Cells are unescaped here; each renderer escapes them for its own format.
import {
  ANALYSIS_PLAN_URL,
  describeParams,
  divergenceCounts,
  formatMetricValue,
  formatP,
  metricInfo,
  referenceVariant,
  stepTimeOverhead,
  variantNames,
  type MetricStat,
  type ResultsFile,
} from '@bnx/metrics';

export interface Table {
  headers: string[];
  rows: string[][];
}

/** "95.1 ± 0.4 (n=3)": mean and the half-width of the 95% interval, in the metric's unit. */
export function formatStat(metric: string, stat: MetricStat | undefined): string {
  if (!stat || stat.mean === null) return 'n/a';
  const mean = formatMetricValue(metric, stat.mean);
  if (!stat.ci95) return `${mean} (n=${stat.n})`;
  const half = (stat.ci95[1] - stat.ci95[0]) / 2;
  return `${mean} ± ${formatMetricValue(metric, half)} (n=${stat.n})`;
}

const SUMMARY_METRICS = ['val_accuracy', 'val_loss', 'test_accuracy', 'steps_to_target', 'generalization_gap', 'val_loss_auc', 'samples_per_second'];

function metricHeader(metric: string): string {
  const info = metricInfo(metric);
  const unit = info.unit === 'points' ? ' (%)' : '';
  return `${metric}${unit}`;
}

/** One row per variant and sweep point: every final metric as mean ± 95% CI half-width. */
export function summaryTable(results: ResultsFile): Table {
  const paramKeys = [...new Set(results.summary.flatMap((s) => Object.keys(s.params)))];
  const shown = SUMMARY_METRICS.filter((m) => results.summary.some((s) => (s.metrics[m]?.n ?? 0) > 0));
  return {
    headers: ['variant', ...paramKeys, ...shown.map(metricHeader), 'diverged'],
    rows: results.summary.map((s) => [
      s.variant,
      ...paramKeys.map((k) => (k in s.params ? String(s.params[k]) : '')),
      ...shown.map((m) => formatStat(m, s.metrics[m])),
      `${s.diverged}/${s.runs}`,
    ]),
  };
}

/** p-values without their "p = " prefix; results.json /1 files have no q-values or test names. */
const pCell = (p: number | null | undefined) => (p === null || p === undefined ? 'n/a' : formatP(p).replace(/^p = /, '').replace(/^p /, ''));

export function comparisonTable(results: ResultsFile): Table {
  return {
    headers: ['where', 'metric', 'difference (b − a)', '95% CI', 'test', 'p', 'BH q', 'rank p', 'verdict'],
    rows: results.comparisons.map((c) => [
      describeParams(c.params) || 'overall',
      `${c.metric}: ${c.b} − ${c.a}`,
      formatMetricValue(c.metric, c.difference, true),
      c.ci95 ? `[${formatMetricValue(c.metric, c.ci95[0])}, ${formatMetricValue(c.metric, c.ci95[1])}]` : 'n/a',
      c.test === undefined ? 'Welch' : c.test.replace(/_/g, ' '),
      pCell(c.p_value),
      pCell(c.q_value),
      pCell(c.rank_p_value),
      c.verdict,
    ]),
  };
}

export function stepTimeTable(results: ResultsFile): Table | null {
  const reference = referenceVariant(variantNames(results.runs), results.variants);
  if (reference === undefined) return null;
  const overheads = stepTimeOverhead(results.runs, reference);
  if (overheads.length === 0) return null;
  return {
    headers: ['where', 'variant', 'samples/s', `${reference} samples/s`, 'step time vs ' + reference],
    rows: overheads.map((o) => [
      describeParams(o.params) || 'overall',
      o.variant,
      Math.round(o.samplesPerSecond).toString(),
      Math.round(o.referenceSamplesPerSecond).toString(),
      `${o.ratio.toFixed(2)}× (${o.ratio >= 1 ? '+' : ''}${((o.ratio - 1) * 100).toFixed(0)}%)`,
    ]),
  };
}

export function divergenceTable(results: ResultsFile): Table | null {
  const counts = divergenceCounts(results.runs).filter((c) => c.diverged > 0);
  if (counts.length === 0) return null;
  return {
    headers: ['where', 'variant', 'diverged', 'at steps'],
    rows: counts.map((c) => [describeParams(c.params) || 'overall', c.variant, `${c.diverged}/${c.runs}`, c.atSteps.join(', ')]),
  };
}

export function runsTable(results: ResultsFile): Table {
  return {
    headers: ['run', 'status', 'steps', 'final val accuracy (%)', 'test accuracy (%)', 'samples/s'],
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
    headers: ['where', 'variant', 'reached', 'median steps', '95% CI'],
    rows: entries.map((e) => [
      describeParams(e.params) || 'overall',
      e.variant,
      `${e.reached}/${e.runs}`,
      e.median_steps === null ? 'not reached' : String(e.median_steps),
      `[${end(e.median_ci95[0])}, ${end(e.median_ci95[1])}]`,
    ]),
  };
}

/** Where the statistics are explained: the plan stored in results.json, else the current one. */
export function analysisPlanUrl(results: ResultsFile): string {
  return results.analysis_plan?.document ?? ANALYSIS_PLAN_URL;
}

export function headlineVerdicts(results: ResultsFile): string[] {
  const metric = results.comparisons.some((c) => c.metric === 'val_accuracy') ? 'val_accuracy' : 'test_accuracy';
  return results.comparisons.filter((c) => c.metric === metric).map((c) => c.verdict);
}

/** When the dataset has no validation split, the val_* numbers are on the test split: say so. */
export function testSplitNote(results: ResultsFile): string | null {
  if (results.runs.length === 0 || !results.runs.every((r) => r.eval_split === 'test')) return null;
  return 'This dataset declares no validation split, so every "validation" number here (val_accuracy, val_loss, the curves) was measured on the test split.';
}
