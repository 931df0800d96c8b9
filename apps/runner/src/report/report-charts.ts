// The report's charts, built from results.json with the SVG renderer in svg/.
import { aggregateCurve, describeParams, groupRuns, summarize, variantNames, type CurveMetric, type ResultsFile, type RunResult, type SweepValue } from '@bnx/metrics';
import { renderXYChart, type ChartSeries } from './svg/xy-chart.js';

export interface ReportChart {
  /** Anchor id within the report. */
  id: string;
  svg: string;
}

/** Caps how many per-run charts one section draws, so a big grid stays a readable page. */
const MAX_CHARTS_PER_SECTION = 12;

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'all';
}

function curveSeries(runs: RunResult[], metric: CurveMetric, name: string, styleIndex: number): ChartSeries {
  return {
    name,
    band: true,
    styleIndex,
    points: aggregateCurve(runs, metric).map((p) => ({ x: p.step, y: p.mean, lo: p.ci95?.[0] ?? null, hi: p.ci95?.[1] ?? null })),
  };
}

/** Sweep points whose learning curves are drawn; the rest are in the tables and sweep charts. */
export const CURVE_POINTS = MAX_CHARTS_PER_SECTION / 2;

/** Loss and accuracy against steps, train and validation, one band (mean ± 95% CI) per variant. */
export function curveCharts(results: ResultsFile): ReportChart[] {
  const variants = variantNames(results.runs);
  const charts: ReportChart[] = [];
  for (const point of groupRuns(results.runs).slice(0, CURVE_POINTS)) {
    const where = describeParams(point.params);
    for (const kind of ['loss', 'accuracy'] as const) {
      const series: ChartSeries[] = [];
      for (const [variant, runs] of point.byVariant) {
        const v = variants.indexOf(variant);
        // Without a validation split the driver evaluates on the test split; say which.
        const evalName = runs.every((r) => r.eval_split === 'test') ? 'test' : 'validation';
        series.push(curveSeries(runs, `train_${kind}`, `${variant} (train)`, 2 * v));
        series.push(curveSeries(runs, `val_${kind}`, `${variant} (${evalName})`, 2 * v + 1));
      }
      charts.push({
        id: `curve-${kind}-${slug(where)}`,
        svg: renderXYChart({
          title: `${kind === 'loss' ? 'Loss' : 'Accuracy'}${where ? ` at ${where}` : ''}`,
          xLabel: 'training step',
          yLabel: kind,
          series,
          yDomain: kind === 'accuracy' ? [0, 1] : undefined,
          description: `Mean ${kind} across seeds with a shaded 95% confidence band, for each variant, training and validation.`,
        }),
      });
    }
  }
  return charts;
}

function sortValues(values: SweepValue[]): SweepValue[] {
  return values.every((v) => typeof v === 'number') ? [...values].sort((a, b) => (a as number) - (b as number)) : values;
}

/** For each swept key: final metrics against its values, error bars = 95% CI across seeds. */
export function sweepCharts(results: ResultsFile): ReportChart[] {
  const keys = [...new Set(results.runs.flatMap((r) => Object.keys(r.params)))];
  const variants = variantNames(results.runs);
  const accuracy = results.runs.some((r) => r.history.some((h) => h.val_accuracy !== null)) ? 'val_accuracy' : 'test_accuracy';
  const charts: ReportChart[] = [];
  for (const key of keys) {
    const values = sortValues([...new Set(results.runs.map((r) => r.params[key]).filter((v): v is SweepValue => v !== undefined))]);
    if (values.length < 2) continue;
    const numeric = values.every((v) => typeof v === 'number' && v > 0);
    const spread = numeric ? (Math.max(...(values as number[])) / Math.min(...(values as number[]))) : 1;
    const xScale = numeric && spread >= 20 ? 'log' : 'category';
    for (const metric of [accuracy, 'val_loss', 'steps_to_target'] as const) {
      const series: ChartSeries[] = [];
      for (const entry of results.summary) {
        // One series per variant and combination of the other swept settings.
        const others = Object.fromEntries(Object.entries(entry.params).filter(([k]) => k !== key));
        const name = `${entry.variant}${Object.keys(others).length > 0 ? ` (${describeParams(others)})` : ''}`;
        let s = series.find((x) => x.name === name);
        if (!s) {
          s = { name, errorBars: true, styleIndex: variants.indexOf(entry.variant) * 2 + series.filter((x) => x.name.startsWith(entry.variant)).length, points: [] };
          series.push(s);
        }
        const stat = entry.metrics[metric];
        const v = entry.params[key];
        if (!stat || v === undefined) continue;
        const x = xScale === 'log' ? (v as number) : values.indexOf(v);
        s.points.push({ x, y: stat.mean, lo: stat.ci95?.[0] ?? null, hi: stat.ci95?.[1] ?? null });
      }
      if (!series.some((s) => s.points.some((p) => p.y !== null))) continue;
      charts.push({
        id: `sweep-${slug(key)}-${metric}`,
        svg: renderXYChart({
          title: `${metric === 'steps_to_target' ? 'Steps to reach the target' : `Final ${metric.replace(/_/g, ' ')}`} by ${key}`,
          xLabel: key,
          yLabel: metric.replace(/_/g, ' '),
          xScale,
          xCategories: values.map(String),
          xTicks: xScale === 'log' ? (values as number[]) : undefined,
          series,
          description: `Mean final ${metric} across seeds at each ${key}, error bars showing the 95% confidence interval.`,
        }),
      });
    }
  }
  return charts;
}

/** Ioffe & Szegedy Fig. 1 (b, c): tracked percentiles of one layer's inputs over training, per variant. */
export function activationCharts(results: ResultsFile): ReportChart[] {
  const charts: ReportChart[] = [];
  for (const point of groupRuns(results.runs)) {
    for (const [variant, runs] of point.byVariant) {
      const run = runs.find((r) => (r.probes.activations?.length ?? 0) > 0);
      if (!run) continue;
      for (const trace of run.probes.activations!) {
        if (charts.length >= MAX_CHARTS_PER_SECTION) return charts;
        const where = describeParams(point.params);
        charts.push({
          id: `activations-${slug(variant)}-${slug(trace.layer)}-${slug(where)}`,
          svg: renderXYChart({
            title: `${variant}: ${trace.layer}${trace.resolved_layer && trace.resolved_layer !== trace.layer ? ` (${trace.resolved_layer})` : ''} ${trace.point.replace('_', '-')} percentiles (seed ${run.seed})${where ? ` at ${where}` : ''}`,
            xLabel: 'training step',
            yLabel: 'activation value',
            series: trace.percentiles.map((p, j) => ({ name: `p${p}`, styleIndex: j, points: trace.steps.map((step, i) => ({ x: step, y: trace.values[i]?.[j] ?? null })) })),
            description: `The ${trace.percentiles.join(', ')}th percentiles of ${trace.layer}'s ${trace.point.replace('_', ' ')} values over training.`,
          }),
        });
      }
    }
  }
  return charts;
}

/** Gradient (and weight) L2 norm per layer over training: mean across seeds, one chart per variant. */
export function layerNormCharts(results: ResultsFile, probe: 'grad_norm' | 'weight_norm'): ReportChart[] {
  const charts: ReportChart[] = [];
  for (const point of groupRuns(results.runs)) {
    for (const [variant, runs] of point.byVariant) {
      const probed = runs.filter((r) => r.probes[probe]);
      if (probed.length === 0) continue;
      if (charts.length >= MAX_CHARTS_PER_SECTION) return charts;
      const names = Object.keys(probed[0]!.probes[probe]!.norms);
      // Weight matrices only when there are any: biases and BN scale/shift would crowd the chart.
      const layers = names.some((n) => n.endsWith('.weight')) ? names.filter((n) => n.endsWith('.weight')) : names;
      const series: ChartSeries[] = layers.map((layer, j) => {
        const byStep = new Map<number, (number | null)[]>();
        for (const r of probed) {
          const s = r.probes[probe]!;
          s.steps.forEach((step, i) => byStep.set(step, [...(byStep.get(step) ?? []), s.norms[layer]?.[i] ?? null]));
        }
        return { name: layer, styleIndex: j, points: [...byStep.entries()].sort((a, b) => a[0] - b[0]).map(([step, vs]) => ({ x: step, y: summarize(vs).mean })) };
      });
      const where = describeParams(point.params);
      charts.push({
        id: `${probe}-${slug(variant)}-${slug(where)}`,
        svg: renderXYChart({
          title: `${variant}: ${probe === 'grad_norm' ? 'gradient' : 'weight'} L2 norm per layer${where ? ` at ${where}` : ''}`,
          xLabel: 'training step',
          yLabel: probe === 'grad_norm' ? 'gradient norm' : 'weight norm',
          series,
          description: `Mean across ${probed.length} seed(s) of each layer's ${probe === 'grad_norm' ? 'gradient' : 'weight'} norm.`,
        }),
      });
    }
  }
  return charts;
}

/** Throughput per variant at each sweep point, with 95% CI error bars across seeds. */
export function stepTimeChart(results: ResultsFile): ReportChart | null {
  const points = groupRuns(results.runs);
  const variants = variantNames(results.runs);
  const categories = points.map((p) => describeParams(p.params) || 'all runs');
  const series: ChartSeries[] = variants.map((variant, v) => ({
    name: variant,
    errorBars: true,
    styleIndex: 2 * v,
    points: points.map((p, i) => {
      const stat = summarize((p.byVariant.get(variant) ?? []).map((r) => r.samples_per_second));
      return { x: i, y: stat.mean, lo: stat.ci95?.[0] ?? null, hi: stat.ci95?.[1] ?? null };
    }),
  }));
  if (!series.some((s) => s.points.some((p) => p.y !== null))) return null;
  return {
    id: 'step-time-chart',
    svg: renderXYChart({
      title: 'Training throughput (samples per second)',
      xLabel: 'sweep point',
      yLabel: 'samples / s',
      xScale: 'category',
      xCategories: categories,
      series,
      description: 'Mean training samples per second across seeds for each variant; higher is faster.',
    }),
  };
}

interface BnStatsSeries {
  steps: number[];
  layers: Record<string, { running_mean_mean?: (number | null)[]; running_var_mean?: (number | null)[] }>;
}

/** The running statistics batch normalization uses at inference: mean over channels of each BN layer's running variance and mean. */
export function bnStatsCharts(results: ResultsFile): ReportChart[] {
  const charts: ReportChart[] = [];
  for (const point of groupRuns(results.runs)) {
    for (const [variant, runs] of point.byVariant) {
      const run = runs.find((r) => r.probes.bn_stats);
      if (!run) continue;
      if (charts.length >= MAX_CHARTS_PER_SECTION) return charts;
      const stats = run.probes.bn_stats as BnStatsSeries;
      if (!Array.isArray(stats.steps) || typeof stats.layers !== 'object' || stats.layers === null) continue;
      const series: ChartSeries[] = Object.entries(stats.layers).flatMap(([layer, s], j) => [
        { name: `${layer} running_var`, styleIndex: 2 * j, points: stats.steps.map((step, i) => ({ x: step, y: s.running_var_mean?.[i] ?? null })) },
        { name: `${layer} running_mean`, styleIndex: 2 * j + 1, points: stats.steps.map((step, i) => ({ x: step, y: s.running_mean_mean?.[i] ?? null })) },
      ]);
      const where = describeParams(point.params);
      charts.push({
        id: `bn-stats-${slug(variant)}-${slug(where)}`,
        svg: renderXYChart({
          title: `${variant}: batch-norm running statistics (seed ${run.seed})${where ? ` at ${where}` : ''}`,
          xLabel: 'training step',
          yLabel: 'mean over channels',
          series,
          description: 'Mean over channels of each batch-normalization layer\'s running mean and running variance: the statistics used at inference.',
        }),
      });
    }
  }
  return charts;
}
