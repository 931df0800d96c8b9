// The report's figures, built from results.json with the SVG renderer in svg/. Every variant keeps one
// colour and marker in every figure (solid line for training, dashed for validation); each figure is
// also written beside the report as a standalone SVG and the CSV of the numbers it draws.
import { aggregateCurve, describeParams, groupRuns, summarize, type CurveMetric, type ResultsFile, type RunResult, type SweepValue } from '@bnx/metrics';
import { seriesStyle, variantStyle, type SeriesStyle } from './svg/series-styles.js';
import { settingName } from './wording.js';
import { chartCsv, domainValues, renderXYChart, yDomainFor, type ChartPoint, type ChartSeries, type XYChartOptions } from './svg/xy-chart.js';

export interface ReportChart {
  /** Anchor id within the report, and the file name of its SVG and CSV. */
  id: string;
  title: string;
  svg: string;
  csv: string;
}

/** Caps how many per-run charts one section draws, so a big grid stays a readable page. */
const MAX_CHARTS_PER_SECTION = 12;

export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'all'
  );
}

function chart(id: string, options: XYChartOptions): ReportChart {
  return { id, title: options.title, svg: renderXYChart(options), csv: chartCsv(options) };
}

/** Variants in declaration order (the reference first), which fixes each one's colour. */
export function variantOrder(results: ResultsFile): string[] {
  const declared = (results.variants ?? []).map((v) => v.name);
  const seen = [...new Set(results.runs.map((r) => r.variant))];
  return [...declared.filter((v) => seen.includes(v) || seen.length === 0), ...seen.filter((v) => !declared.includes(v))];
}

function styleFor(results: ResultsFile, variant: string, split: 'train' | 'evaluation' = 'train'): SeriesStyle {
  return variantStyle(variantOrder(results).indexOf(variant), split);
}

/** "validation", or "test" when the dataset has no validation split and the driver evaluated on test. */
function evaluationName(runs: readonly RunResult[]): 'validation' | 'test' {
  return runs.length > 0 && runs.every((r) => r.eval_split === 'test') ? 'test' : 'validation';
}

/** Percent tick labels for fractions: 0.05 as 5%, 0.005 as 0.5%. */
export function percentTick(v: number): string {
  const pct = v * 100;
  return `${Number(pct.toPrecision(pct < 1 ? 1 : 3))}%`;
}

/** An accuracy point (mean, CI) as an error-rate point: 1 − accuracy, the interval turned over. */
function asErrorRate(p: ChartPoint): ChartPoint {
  const flip = (v: number | null | undefined) => (typeof v === 'number' && Number.isFinite(v) ? 1 - v : null);
  return { x: p.x, y: flip(p.y), lo: flip(p.hi), hi: flip(p.lo) };
}

function curvePoints(runs: RunResult[], metric: CurveMetric): ChartPoint[] {
  return aggregateCurve(runs, metric).map((p) => ({ x: p.step, y: p.mean, lo: p.ci95?.[0] ?? null, hi: p.ci95?.[1] ?? null }));
}

/** The declared target as a line on a chart of `kind`, when it is about that kind of metric. */
function targetLine(results: ResultsFile, kind: 'loss' | 'accuracy', errorRate: boolean) {
  const t = results.target;
  if (!t || !t.metric.endsWith(kind)) return [];
  const value = kind === 'accuracy' && errorRate ? 1 - t.value : t.value;
  const shown = kind === 'accuracy' ? `${Number((t.value * 100).toPrecision(4))}% accuracy` : String(t.value);
  return [{ y: value, label: `target (${t.metric.startsWith('val') ? 'validation' : 'training'} ${shown})` }];
}

/** Sweep points whose learning curves are drawn; the rest are in the tables and sweep charts. */
export const CURVE_POINTS = MAX_CHARTS_PER_SECTION / 2;

/**
 * Per sweep point: error rate (log axis, so the last points of accuracy are visible) and loss against
 * steps, training solid and validation dashed, a band of the 95% CI across seeds around each.
 */
export function curveCharts(results: ResultsFile): ReportChart[] {
  const charts: ReportChart[] = [];
  for (const point of groupRuns(results.runs).slice(0, CURVE_POINTS)) {
    const where = describeParams(point.params);
    for (const kind of ['accuracy', 'loss'] as const) {
      const series: ChartSeries[] = [];
      for (const variant of variantOrder(results)) {
        const runs = point.byVariant.get(variant);
        if (!runs) continue;
        const evalName = evaluationName(runs);
        const toY = (p: ChartPoint) => (kind === 'accuracy' ? asErrorRate(p) : p);
        series.push({
          name: `${variant}, training`,
          band: true,
          style: styleFor(results, variant, 'train'),
          points: curvePoints(runs, `train_${kind}`).map(toY),
        });
        series.push({
          name: `${variant}, ${evalName}`,
          band: true,
          style: styleFor(results, variant, 'evaluation'),
          points: curvePoints(runs, `val_${kind}`).map(toY),
        });
      }
      const accuracy = kind === 'accuracy';
      charts.push(
        chart(`curve-${accuracy ? 'error' : 'loss'}-${slug(where)}`, {
          title: `${accuracy ? 'Error rate (100% − accuracy)' : 'Loss'}${where ? ` at ${where}` : ''}`,
          xLabel: 'training step',
          yLabel: accuracy ? 'error rate' : 'cross-entropy loss',
          quantity: accuracy ? 'error_rate' : 'loss',
          yScale: accuracy ? 'log' : 'linear',
          yFormat: accuracy ? percentTick : undefined,
          yFromZero: !accuracy,
          series,
          referenceLines: targetLine(results, kind, true),
          description: `Mean ${accuracy ? 'error rate' : 'loss'} across seeds with a shaded 95% confidence band, for each variant: training solid, evaluation dashed.`,
        }),
      );
    }
  }
  return charts;
}

/** A setting in a title: its words alone ("batch size"). */
function settingTitle(key: string): string {
  return settingName(key).replace(/ \(.*\)$/, '');
}

function sortValues(values: SweepValue[]): SweepValue[] {
  return values.every((v) => typeof v === 'number') ? [...values].sort((a, b) => (a as number) - (b as number)) : values;
}

export interface SweepFigure {
  /** The swept setting. */
  key: string;
  charts: ReportChart[];
}

/**
 * Small multiples per swept setting: final error rate and steps to target against the swept value, one line
 * per variant with 95% CI error bars; one panel per combination of the other swept settings.
 */
export function sweepCharts(results: ResultsFile): SweepFigure[] {
  const keys = [...new Set(results.runs.flatMap((r) => Object.keys(r.params)))];
  const accuracy = results.runs.some((r) => r.history.some((h) => h.val_accuracy !== null)) ? 'val_accuracy' : 'test_accuracy';
  const evalName = accuracy === 'val_accuracy' ? evaluationName(results.runs) : 'test';
  const figures: SweepFigure[] = [];
  for (const key of keys) {
    const values = sortValues([...new Set(results.runs.map((r) => r.params[key]).filter((v): v is SweepValue => v !== undefined))]);
    if (values.length < 2) continue;
    const numeric = values.every((v) => typeof v === 'number' && v > 0);
    const spread = numeric ? Math.max(...(values as number[])) / Math.min(...(values as number[])) : 1;
    const xScale = numeric && spread >= 8 ? 'log' : 'category';
    const others = (params: Record<string, SweepValue>) => Object.fromEntries(Object.entries(params).filter(([k]) => k !== key));
    const panels = [...new Map(results.summary.map((s) => [JSON.stringify(others(s.params)), others(s.params)])).values()];
    const charts: ReportChart[] = [];
    for (const metric of [accuracy, 'steps_to_target'] as const) {
      const steps = metric === 'steps_to_target';
      const panelCharts: { id: string; options: XYChartOptions }[] = [];
      for (const panel of panels.slice(0, MAX_CHARTS_PER_SECTION / 2)) {
        const at = describeParams(panel);
        const series: ChartSeries[] = variantOrder(results).map((variant) => ({
          name: variant,
          errorBars: true,
          style: styleFor(results, variant),
          points: results.summary
            .filter((e) => e.variant === variant && JSON.stringify(others(e.params)) === JSON.stringify(panel) && e.params[key] !== undefined)
            .flatMap((e) => {
              const stat = e.metrics[metric];
              if (!stat) return [];
              const x = xScale === 'log' ? (e.params[key] as number) : values.indexOf(e.params[key]!);
              const p = { x, y: stat.mean, lo: stat.ci95?.[0] ?? null, hi: stat.ci95?.[1] ?? null };
              return [steps ? p : asErrorRate(p)];
            }),
        }));
        if (!series.some((s) => s.points.some((p) => p.y !== null))) continue;
        panelCharts.push({
          id: `sweep-${slug(key)}-${steps ? 'steps' : 'error'}${at ? `-${slug(at)}` : ''}`,
          options: {
            title: `${steps ? 'Steps to reach the target' : `Final ${evalName} error rate`} by ${settingTitle(key)}${at ? ` (${at})` : ''}`,
            xLabel: settingName(key),
            yLabel: steps ? 'steps' : 'error rate',
            quantity: steps ? 'steps' : 'error_rate',
            yScale: steps ? 'linear' : 'log',
            yFormat: steps ? undefined : percentTick,
            yFromZero: steps,
            xScale,
            xCategories: values.map(String),
            xTicks: xScale === 'log' ? (values as number[]) : undefined,
            series,
            referenceLines: steps ? [] : targetLine(results, 'accuracy', true),
            description: `Mean ${steps ? 'steps to reach the target' : `final ${evalName} error rate`} across seeds at each ${key}, one line per variant, error bars showing the 95% confidence interval.`,
          },
        });
      }
      // Small multiples share one y range, so panels compare at a glance.
      if (panelCharts.length > 1) {
        const shared = yDomainFor(
          panelCharts.flatMap((p) => [...domainValues(p.options), ...(p.options.referenceLines ?? []).map((r) => r.y)]),
          panelCharts[0]!.options,
        );
        for (const p of panelCharts) p.options.yDomain = shared;
      }
      charts.push(...panelCharts.map((p) => chart(p.id, p.options)));
    }
    if (charts.length > 0) figures.push({ key, charts });
  }
  return figures;
}

export interface FigureOne {
  /** Evaluation accuracy against steps, both variants (Figure 1a). */
  accuracy: ReportChart;
  /** Per tracked layer, one panel per variant on a common y scale (Figure 1b, c). */
  rows: { layer: string; panels: ReportChart[] }[];
}

/**
 * Ioffe & Szegedy (2015), Figure 1: accuracy against steps above, and below it the tracked percentiles of one
 * layer's inputs for the baseline and the normalized network side by side, on the same y scale.
 */
export function figureOne(results: ResultsFile): FigureOne | null {
  const point = groupRuns(results.runs).find((p) => [...p.byVariant.values()].some((runs) => runs.some((r) => (r.probes.activations?.length ?? 0) > 0)));
  if (!point) return null;
  const where = describeParams(point.params);
  const variants = variantOrder(results).filter((v) => point.byVariant.has(v));
  const all = variants.flatMap((v) => point.byVariant.get(v)!);
  const evalName = evaluationName(all);
  const accuracy = chart(`figure-1-accuracy${where ? `-${slug(where)}` : ''}`, {
    title: `${evalName === 'test' ? 'Test' : 'Validation'} accuracy${where ? ` at ${where}` : ''}`,
    xLabel: 'training step',
    yLabel: `${evalName} accuracy`,
    quantity: 'accuracy',
    yFormat: percentTick,
    series: variants.map((v) => ({
      name: v,
      band: true,
      style: styleFor(results, v, 'evaluation'),
      points: curvePoints(point.byVariant.get(v)!, 'val_accuracy'),
    })),
    referenceLines: targetLine(results, 'accuracy', false),
    description: `Mean ${evalName} accuracy across seeds against training steps for each variant, with a 95% confidence band; the axis is fitted to the data, as in the paper.`,
  });
  // One seed per variant, the same one where possible, so the panels differ only in batch normalization.
  const probed = (v: string) => point.byVariant.get(v)!.filter((r) => (r.probes.activations?.length ?? 0) > 0);
  const common = probed(variants[0]!)
    .map((r) => r.seed)
    .find((seed) => variants.every((v) => probed(v).some((r) => r.seed === seed)));
  const pick = (v: string) => probed(v).find((r) => r.seed === common) ?? probed(v)[0];
  // A probe is its layer, and its unit when it tracks one (the same layer can be probed pooled and per unit).
  const traceKey = (t: { layer: string; unit?: number }) => (t.unit === undefined ? t.layer : `${t.layer} unit ${t.unit}`);
  const layers = [...new Set(variants.flatMap((v) => pick(v)?.probes.activations?.map(traceKey) ?? []))].slice(0, MAX_CHARTS_PER_SECTION / 2);
  const rows = layers.map((layer) => {
    const traces = variants.flatMap((v) => {
      const run = pick(v);
      const trace = run?.probes.activations?.find((t) => traceKey(t) === layer);
      return run && trace ? [{ variant: v, run, trace }] : [];
    });
    const values = traces.flatMap((t) => t.trace.values.flat()).filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const pad = (hi - lo) * 0.05 || 1;
    const domain: [number, number] = [lo - pad, hi + pad];
    const panels = traces.map(({ variant, run, trace }) => {
      const base = styleFor(results, variant);
      const middle = Math.floor(trace.percentiles.length / 2);
      return chart(`figure-1-${slug(variant)}-${slug(layer)}${where ? `-${slug(where)}` : ''}`, {
        title: `${variant}: ${trace.resolved_layer ?? trace.layer}${trace.unit === undefined ? '' : ` unit ${trace.unit}`} ${trace.point.replace('_', '-')}`,
        xLabel: `training step (seed ${run.seed})`,
        yLabel: 'activation value',
        quantity: 'activation',
        yDomain: domain,
        series: trace.percentiles.map((p, j) => ({
          name: `${ordinal(p)} percentile`,
          style: { ...base, dash: j === middle ? '' : j < middle ? '2 3' : '7 3', marker: seriesStyle(j).marker },
          points: trace.steps.map((step, i) => ({ x: step, y: trace.values[i]?.[j] ?? null })),
        })),
        description: `The ${trace.percentiles.map(ordinal).join(', ')} percentiles of ${trace.unit === undefined ? `${trace.layer}'s (all units pooled)` : `${trace.layer}'s unit ${trace.unit}`} ${trace.point.replace('_', ' ')} values over training for ${variant} (seed ${run.seed}), on the same y scale as the other variant's panel.`,
      });
    });
    return { layer, panels };
  });
  return { accuracy, rows };
}

function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th');
  return `${n}${s}`;
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
        return {
          name: layer,
          styleIndex: j,
          points: [...byStep.entries()].sort((a, b) => a[0] - b[0]).map(([step, vs]) => ({ x: step, y: summarize(vs).mean })),
        };
      });
      const ys = series.flatMap((s) => s.points.map((p) => p.y)).filter((y): y is number => typeof y === 'number' && y > 0);
      const wide = ys.length > 0 && Math.max(...ys) / Math.min(...ys) > 30;
      const where = describeParams(point.params);
      charts.push(
        chart(`${probe.replace('_', '-')}-${slug(variant)}-${slug(where)}`, {
          title: `${variant}: ${probe === 'grad_norm' ? 'gradient' : 'weight'} norm per layer${where ? ` at ${where}` : ''}`,
          xLabel: 'training step',
          yLabel: probe === 'grad_norm' ? 'gradient L2 norm' : 'weight L2 norm',
          quantity: 'norm',
          yScale: wide ? 'log' : 'linear',
          yFromZero: !wide,
          series,
          description: `Mean across ${probed.length} seed(s) of each layer's ${probe === 'grad_norm' ? 'gradient' : 'weight'} norm.`,
        }),
      );
    }
  }
  return charts;
}

/**
 * Training throughput per variant, dots with 95% CI error bars on an axis from zero: one category per
 * variant when there is no sweep, else one per sweep point with a dot per variant.
 */
export function stepTimeChart(results: ResultsFile): ReportChart | null {
  const points = groupRuns(results.runs);
  const variants = variantOrder(results);
  const stat = (runs: RunResult[]) => summarize(runs.map((r) => r.samples_per_second));
  const toPoint = (x: number, runs: RunResult[]): ChartPoint => {
    const s = stat(runs);
    return { x, y: s.mean, lo: s.ci95?.[0] ?? null, hi: s.ci95?.[1] ?? null };
  };
  const single = points.length === 1;
  const categories = single ? variants : points.map((p) => describeParams(p.params) || 'all runs');
  const series: ChartSeries[] = variants.map((variant, v) => ({
    name: variant,
    errorBars: true,
    dotsOnly: true,
    // With one category per variant the axis already names them.
    hideInLegend: single,
    style: styleFor(results, variant),
    points: single ? [toPoint(v, points[0]!.byVariant.get(variant) ?? [])] : points.map((p, i) => toPoint(i, p.byVariant.get(variant) ?? [])),
  }));
  if (!series.some((s) => s.points.some((p) => p.y !== null))) return null;
  const keys = [...new Set(points.flatMap((p) => Object.keys(p.params)))];
  return chart('step-time-chart', {
    title: 'Training throughput',
    xLabel: single ? 'variant' : keys.map(settingName).join(', ') || 'sweep point',
    yLabel: 'samples per second',
    quantity: 'throughput',
    xScale: 'category',
    xCategories: single ? categories : points.map((p) => Object.values(p.params).map(String).join(', ') || 'all runs'),
    yFromZero: true,
    series,
    description: 'Mean training samples per second across seeds for each variant, with 95% confidence intervals; higher is faster.',
  });
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
        { name: `${layer} running variance`, styleIndex: 2 * j, points: stats.steps.map((step, i) => ({ x: step, y: s.running_var_mean?.[i] ?? null })) },
        { name: `${layer} running mean`, styleIndex: 2 * j + 1, points: stats.steps.map((step, i) => ({ x: step, y: s.running_mean_mean?.[i] ?? null })) },
      ]);
      const where = describeParams(point.params);
      charts.push(
        chart(`bn-stats-${slug(variant)}-${slug(where)}`, {
          title: `${variant}: running statistics (seed ${run.seed})${where ? ` at ${where}` : ''}`,
          xLabel: 'training step',
          yLabel: 'mean over channels',
          series,
          description: "Mean over channels of each batch-normalization layer's running mean and running variance: the statistics used at inference.",
        }),
      );
    }
  }
  return charts;
}

/** Every figure of the report, built once for the page and for the files beside it. */
export interface ReportFigures {
  curves: ReportChart[];
  figureOne: FigureOne | null;
  sweeps: SweepFigure[];
  gradients: ReportChart[];
  weights: ReportChart[];
  bnStats: ReportChart[];
  stepTime: ReportChart | null;
}

export function buildFigures(results: ResultsFile): ReportFigures {
  return {
    curves: curveCharts(results),
    figureOne: figureOne(results),
    sweeps: sweepCharts(results),
    gradients: layerNormCharts(results, 'grad_norm'),
    weights: layerNormCharts(results, 'weight_norm'),
    bnStats: bnStatsCharts(results),
    stepTime: stepTimeChart(results),
  };
}

/** The figures as one list, in report order. */
export function figureList(f: ReportFigures): ReportChart[] {
  return [
    ...(f.figureOne ? [f.figureOne.accuracy, ...f.figureOne.rows.flatMap((r) => r.panels)] : []),
    ...f.curves,
    ...f.sweeps.flatMap((s) => s.charts),
    ...(f.stepTime ? [f.stepTime] : []),
    ...f.gradients,
    ...f.weights,
    ...f.bnStats,
  ];
}
