// The one chart bnx draws: series of (x, y) points as lines (or dots) with markers, optionally a shaded band
// (mean ± CI across seeds) or error bars, on linear, logarithmic or categorical x axes and linear or
// logarithmic y axes. Pure string output, no DOM, so it renders the same in Node and in any browser, and
// each chart is also a standalone SVG file.
import { escapeHtml } from '../escape.js';
import { csvField } from '../../results/metrics-csv.js';
import { formatTick, linearScale, logScale, niceTicks, type Scale } from './scale.js';
import { markerSvg, seriesStyle, type SeriesStyle } from './series-styles.js';

export interface ChartPoint {
  x: number;
  /** null leaves a gap (a diverged run, a missing evaluation). */
  y: number | null;
  lo?: number | null;
  hi?: number | null;
}

export interface ChartSeries {
  name: string;
  points: ChartPoint[];
  /** Shade lo..hi as a band around the line. */
  band?: boolean;
  /** Draw lo..hi as an error bar at each point. */
  errorBars?: boolean;
  /** Markers only, no connecting line (values at unrelated categories). */
  dotsOnly?: boolean;
  /** Explicit look (a variant's colour, dashed for validation); otherwise from styleIndex. */
  style?: SeriesStyle;
  /** Style slot when no style is given; defaults to the series index. */
  styleIndex?: number;
  /** Leave this series out of the legend (a second line of an already named variant). */
  hideInLegend?: boolean;
}

/** A horizontal reference line: the declared target. */
export interface ReferenceLine {
  y: number;
  label: string;
}

/** What the y axis measures, so a reader (and the browser test) can tell its valid range. */
export type Quantity = 'accuracy' | 'error_rate' | 'loss' | 'steps' | 'throughput' | 'norm' | 'variance' | 'activation' | 'statistic';

/** The values each quantity can take; bands and error bars are clipped to them. */
export const VALID_RANGE: Record<Quantity, [number, number]> = {
  accuracy: [0, 1],
  error_rate: [0, 1],
  loss: [0, Infinity],
  steps: [0, Infinity],
  throughput: [0, Infinity],
  norm: [0, Infinity],
  variance: [0, Infinity],
  activation: [-Infinity, Infinity],
  statistic: [-Infinity, Infinity],
};

export interface XYChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
  /** What y is; sets the valid range and so the clipping. Default 'statistic' (unbounded). */
  quantity?: Quantity;
  width?: number;
  height?: number;
  /** 'category': x values are indices into xCategories. */
  xScale?: 'linear' | 'log' | 'category';
  xCategories?: string[];
  /** Tick positions on a linear or log x axis (e.g. the swept values); default: round numbers. */
  xTicks?: number[];
  yScale?: 'linear' | 'log';
  /** Fixed y range (the same for panels compared side by side); default fits the data and the bands, inside the quantity's valid range. */
  yDomain?: [number, number];
  /** Start the y axis at zero (bars, throughput, steps). */
  yFromZero?: boolean;
  /** Tick label text, e.g. percentages for an error rate. */
  yFormat?: (v: number) => string;
  referenceLines?: ReferenceLine[];
  /** Longer text for screen readers. */
  description?: string;
}

/** Chart text in user units; the report shows charts at about their natural width, never under 80% of it. */
const FONT = { tick: 13, label: 13, title: 14, legend: 13 };
const CHAR_WIDTH = 0.56; // of the font size, for system-ui
const MARGIN = { top: 30, right: 24, bottom: 46, left: 62 };
const LEGEND_ROW = 20;
const MAX_MARKERS = 12;

const f1 = (n: number) => n.toFixed(1);

function textWidth(text: string, size: number): number {
  return text.length * size * CHAR_WIDTH;
}

/** Squeezes a text wider than `available` into it, so long titles stay whole. */
function fitText(text: string, available: number, size: number): string {
  return textWidth(text, size) > available ? ` textLength="${f1(available)}" lengthAdjust="spacingAndGlyphs"` : '';
}

function finite(n: number | null | undefined): n is number {
  return typeof n === 'number' && Number.isFinite(n);
}

/** Path data for a polyline that breaks at null values: "M x,y L x,y ... M ...". */
export function linePath(points: { x: number; y: number | null }[], sx: (v: number) => number, sy: (v: number) => number): string {
  let d = '';
  let pen = false;
  for (const p of points) {
    if (!finite(p.y)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${f1(sx(p.x))},${f1(sy(p.y))}`;
    pen = true;
  }
  return d;
}

function bandPaths(points: ChartPoint[], sx: (v: number) => number, sy: (v: number) => number): string[] {
  // One closed polygon per unbroken run of points that have both bounds.
  const paths: string[] = [];
  let run: ChartPoint[] = [];
  const flush = () => {
    if (run.length >= 2) {
      const top = run.map((p) => `${f1(sx(p.x))},${f1(sy(p.hi!))}`);
      const bottom = [...run].reverse().map((p) => `${f1(sx(p.x))},${f1(sy(p.lo!))}`);
      paths.push(`M${top.join('L')}L${bottom.join('L')}Z`);
    }
    run = [];
  };
  for (const p of points) {
    if (finite(p.lo) && finite(p.hi)) run.push(p);
    else flush();
  }
  flush();
  return paths;
}

/**
 * Smallest and largest value, in a loop: Math.min(...values) passes every value as an argument and overflows
 * the stack for a long run's curve (about 120k evaluation points did it).
 */
function extent(values: readonly number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/**
 * The y range drawn: the data, bands and reference lines, padded, and never outside what the quantity can
 * be (an accuracy band does not go above 100%, a loss band not below 0). A log axis needs a positive floor:
 * an interval reaching 0 error is cut at the axis bottom.
 */
export function yDomainFor(values: number[], o: Pick<XYChartOptions, 'quantity' | 'yScale' | 'yDomain' | 'yFromZero'>): [number, number] {
  const [validLo, validHi] = VALID_RANGE[o.quantity ?? 'statistic'];
  if (o.yDomain) return [Math.max(validLo, o.yDomain[0]), Math.min(validHi, o.yDomain[1])];
  if (o.yScale === 'log') {
    const positive = values.filter((v) => v > 0);
    if (positive.length === 0) return [0.01, 1];
    let [lo, hi] = extent(positive);
    lo = lo / 1.25;
    hi = Math.min(hi * 1.25, validHi);
    if (hi / lo < 2) {
      lo = hi / 2;
    }
    return [lo, hi];
  }
  let [lo, hi] = extent(values);
  if (o.yFromZero) lo = Math.min(0, lo);
  const pad = (hi - lo) * 0.05 || Math.abs(hi) * 0.05 || 1;
  if (!o.yFromZero) lo -= pad;
  hi += pad;
  return [Math.max(validLo, lo), Math.min(validHi, hi)];
}

/**
 * The y values a chart's range is fitted to: means, bands and error bars, clipped to the quantity's valid
 * range. On a log axis an interval reaching down to (nearly) zero would stretch the axis over decades nobody
 * reached, so values under a third of the lowest mean are left out (the band is cut at the axis instead).
 */
export function domainValues(o: Pick<XYChartOptions, 'series' | 'quantity' | 'yScale'>): number[] {
  const clip = VALID_RANGE[o.quantity ?? 'statistic'];
  const inValid = (v: number) => Math.min(clip[1], Math.max(clip[0], v));
  const ys = o.series
    .flatMap((s) => s.points.flatMap((p) => [p.y, ...(s.band || s.errorBars ? [p.lo, p.hi] : [])]))
    .filter(finite)
    .map(inValid);
  if (o.yScale !== 'log') return ys;
  const means = o.series
    .flatMap((s) => s.points.map((p) => p.y))
    .filter(finite)
    .filter((v) => v > 0);
  const floor = means.length > 0 ? extent(means)[0] / 3 : 0;
  return ys.filter((v) => v >= floor);
}

export interface LegendEntry {
  name: string;
  style: SeriesStyle;
  line: boolean;
  /** A reference line: drawn thin and dotted, no marker. */
  reference?: boolean;
}

const REFERENCE_STYLE: SeriesStyle = { color: '#555', dash: '2 3', marker: 'circle' };

/** Legend entries flowed left to right and wrapped to the chart width: positions and the rows used. */
function layoutLegend(entries: LegendEntry[], left: number, width: number): { x: number; row: number }[] {
  const out: { x: number; row: number }[] = [];
  let x = left;
  let row = 0;
  for (const e of entries) {
    const w = 32 + textWidth(e.name, FONT.legend) + 16;
    if (x > left && x + w > left + width) {
      row++;
      x = left;
    }
    out.push({ x, row });
    x += w;
  }
  return out;
}

function styleOf(s: ChartSeries, i: number): SeriesStyle {
  return s.style ?? seriesStyle(s.styleIndex ?? i);
}

export function renderXYChart(o: XYChartOptions): string {
  const width = o.width ?? 420;
  const quantity = o.quantity ?? 'statistic';
  const plotHeight = (o.height ?? 270) - MARGIN.top - MARGIN.bottom;
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const legendEntries: LegendEntry[] = [
    ...o.series.filter((s) => !s.hideInLegend).map((s) => ({ name: s.name, style: styleOf(s, o.series.indexOf(s)), line: !s.dotsOnly })),
    ...(o.referenceLines ?? []).map((r) => ({ name: r.label, style: REFERENCE_STYLE, line: true, reference: true })),
  ];
  const legendPos = layoutLegend(legendEntries, 8, width - 16);
  const legendRows = legendPos.length === 0 ? 0 : Math.max(...legendPos.map((p) => p.row)) + 1;
  const height = MARGIN.top + plotHeight + MARGIN.bottom + legendRows * LEGEND_ROW;
  const title = escapeHtml(o.title);
  const plotBox = `${MARGIN.left} ${MARGIN.top} ${plotWidth} ${plotHeight}`;
  const open = (domain: string) =>
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="${FONT.tick}" data-quantity="${quantity}" data-plot="${plotBox}"${domain}><title>${title}</title>${o.description ? `<desc>${escapeHtml(o.description)}</desc>` : ''}<rect width="${width}" height="${height}" fill="#fff"/><text x="8" y="19" font-size="${FONT.title}" font-weight="600"${fitText(o.title, width - 16, FONT.title)}>${title}</text>`;

  const xs = o.series.flatMap((s) => s.points.map((p) => p.x)).filter(finite);
  const ys = domainValues(o);
  if (xs.length === 0 || ys.length === 0) {
    return `${open('')}<text x="${width / 2}" y="${MARGIN.top + plotHeight / 2}" text-anchor="middle" fill="#555">no data to plot</text></svg>`;
  }

  const [xMin, xMax] = extent(xs);
  const xRange: [number, number] = [MARGIN.left, MARGIN.left + plotWidth];
  let sx: Scale;
  const scaleKind = o.xScale ?? 'linear';
  if (scaleKind === 'category') {
    const n = o.xCategories?.length ?? xMax + 1;
    const pad = plotWidth / (2 * n);
    sx = linearScale([0, Math.max(1, n - 1)], [xRange[0] + pad, xRange[1] - pad]);
    if (n === 1) sx = Object.assign((_: number) => (xRange[0] + xRange[1]) / 2, { ticks: [0], log: false });
    sx.ticks = Array.from({ length: n }, (_, i) => i);
  } else if (scaleKind === 'log' && xs.every((x) => x > 0)) {
    sx = logScale([xMin, xMax], xRange);
  } else {
    sx = linearScale([xMin, xMax], xRange);
  }
  if (o.xTicks && scaleKind !== 'category') sx.ticks = o.xTicks;

  const logY = o.yScale === 'log';
  const refYs = (o.referenceLines ?? []).map((r) => r.y).filter(finite);
  const [y0, y1] = yDomainFor([...ys, ...refYs], { ...o, quantity });
  const yRange: [number, number] = [MARGIN.top + plotHeight, MARGIN.top];
  const sy = logY ? logScale([y0, y1], yRange) : linearScale([y0, y1], yRange);
  const clampY = (v: number) => sy(Math.min(y1, Math.max(y0, v)));
  const yFormat = o.yFormat ?? formatTick;

  const parts: string[] = [open(` data-y-domain="${y0} ${y1}"`)];
  // Grid and axes.
  const yTicks = logY ? sy.ticks : niceTicks(y0, y1, 6);
  for (const t of yTicks) {
    const y = f1(sy(t));
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${y}" y2="${y}" stroke="#e6e6e6"/><text x="${MARGIN.left - 6}" y="${y}" dy="0.32em" text-anchor="end" fill="#333">${escapeHtml(yFormat(t))}</text>`,
    );
  }
  // Category labels that would overlap are thinned to every k-th one.
  const labelOf = (t: number) => (scaleKind === 'category' ? (o.xCategories?.[t] ?? String(t)) : formatTick(t));
  const widest = Math.max(...sx.ticks.map((t) => textWidth(labelOf(t), FONT.tick)));
  const every = Math.max(1, Math.ceil(((widest + 8) * sx.ticks.length) / plotWidth));
  sx.ticks.forEach((t, k) => {
    const x = f1(sx(t));
    parts.push(`<line x1="${x}" x2="${x}" y1="${MARGIN.top + plotHeight}" y2="${MARGIN.top + plotHeight + 4}" stroke="#333"/>`);
    if (k % every === 0) parts.push(`<text x="${x}" y="${MARGIN.top + plotHeight + 17}" text-anchor="middle" fill="#333">${escapeHtml(labelOf(t))}</text>`);
  });
  const xTitle = `${o.xLabel}${sx.log ? ' (log scale)' : ''}`;
  const yTitle = `${o.yLabel}${logY ? ' (log scale)' : ''}`;
  parts.push(
    `<path d="M${MARGIN.left},${MARGIN.top}V${MARGIN.top + plotHeight}H${MARGIN.left + plotWidth}" fill="none" stroke="#333"/>`,
    `<text x="${MARGIN.left + plotWidth / 2}" y="${MARGIN.top + plotHeight + 36}" text-anchor="middle" font-size="${FONT.label}"${fitText(xTitle, plotWidth, FONT.label)}>${escapeHtml(xTitle)}</text>`,
    `<text transform="translate(15 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle" font-size="${FONT.label}"${fitText(yTitle, plotHeight, FONT.label)}>${escapeHtml(yTitle)}</text>`,
  );

  for (const r of o.referenceLines ?? []) {
    if (!finite(r.y) || r.y < y0 || r.y > y1) continue;
    const y = f1(sy(r.y));
    parts.push(
      `<line class="reference" x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${y}" y2="${y}" stroke="${REFERENCE_STYLE.color}" stroke-width="1.4" stroke-dasharray="${REFERENCE_STYLE.dash}"><title>${escapeHtml(r.label)}</title></line>`,
    );
  }

  // Series: bands under lines, then lines, error bars and markers.
  const nudged = o.series.filter((s) => s.errorBars);
  o.series.forEach((s, i) => {
    const style = styleOf(s, i);
    // Points of different series at the same x are nudged apart so error bars do not overlap.
    const nudge = s.errorBars && scaleKind === 'category' ? (nudged.indexOf(s) - (nudged.length - 1) / 2) * 10 : 0;
    const px = (x: number) => sx(x) + nudge;
    const points = [...s.points].filter((p) => finite(p.x)).sort((a, b) => a.x - b.x);
    if (s.band)
      for (const d of bandPaths(points, px, clampY)) parts.push(`<path class="band" d="${d}" fill="${style.color}" fill-opacity="0.22" stroke="none"/>`);
    const d = s.dotsOnly ? '' : linePath(points, px, clampY);
    if (d)
      parts.push(
        `<path class="series" data-series="${escapeHtml(s.name)}" d="${d}" fill="none" stroke="${style.color}" stroke-width="2"${style.dash ? ` stroke-dasharray="${style.dash}"` : ''}/>`,
      );
    if (s.errorBars) {
      for (const p of points) {
        if (!finite(p.lo) || !finite(p.hi)) continue;
        const x = f1(px(p.x));
        parts.push(
          `<path class="error-bar" d="M${x},${f1(clampY(p.lo))}V${f1(clampY(p.hi))}M${f1(px(p.x) - 4)},${f1(clampY(p.lo))}h8M${f1(px(p.x) - 4)},${f1(clampY(p.hi))}h8" stroke="${style.color}" stroke-width="1.4" fill="none"/>`,
        );
      }
    }
    const withY = points.filter((p) => finite(p.y));
    const everyMarker = s.dotsOnly ? 1 : Math.max(1, Math.ceil(withY.length / MAX_MARKERS));
    const r = s.dotsOnly ? 5 : 3.5;
    const markers = withY.filter((_, k) => k % everyMarker === 0 || k === withY.length - 1).map((p) => markerSvg(style, px(p.x), clampY(p.y!), r));
    if (markers.length > 0) parts.push(`<g class="${s.dotsOnly ? 'series dots' : 'markers'}" data-series="${escapeHtml(s.name)}">${markers.join('')}</g>`);
  });

  // Legend: a line sample with its dash pattern and marker, and the name in text.
  legendEntries.forEach((e, i) => {
    const { x, row } = legendPos[i]!;
    const y = MARGIN.top + plotHeight + MARGIN.bottom + row * LEGEND_ROW + 4;
    const sample = e.line
      ? `<path d="M${f1(x)},${y}h26" stroke="${e.style.color}" stroke-width="${e.reference ? 1.4 : 2}"${e.style.dash ? ` stroke-dasharray="${e.style.dash}"` : ''}/>`
      : '';
    parts.push(
      `<g class="legend">${sample}${e.reference ? '' : markerSvg(e.style, x + 13, y)}<text x="${f1(x + 32)}" y="${y}" dy="0.32em" font-size="${FONT.legend}">${escapeHtml(e.name)}</text></g>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

/**
 * The numbers behind a chart as CSV: one row per series and point, in the chart's own units, with the
 * interval clipped to the quantity's valid range as the figure draws it (an error rate's CI never below 0).
 * Cells go through metrics.csv's quoting, so a series named from an edited results.json (`=cmd|…`) is text.
 */
export function chartCsv(o: Pick<XYChartOptions, 'series' | 'xLabel' | 'yLabel' | 'xScale' | 'xCategories' | 'quantity'>): string {
  const [validLo, validHi] = VALID_RANGE[o.quantity ?? 'statistic'];
  const cell = (v: string | number | null | undefined) => (typeof v === 'number' && !Number.isFinite(v) ? '' : csvField(v));
  const bound = (v: number | null | undefined) => (finite(v) ? Math.min(validHi, Math.max(validLo, v)) : v);
  const lines = [['series', o.xLabel, o.yLabel, 'ci95_low', 'ci95_high'].map(cell).join(',')];
  for (const s of o.series) {
    for (const p of s.points) {
      const x = o.xScale === 'category' ? (o.xCategories?.[p.x] ?? p.x) : p.x;
      lines.push([s.name, x, p.y, bound(p.lo), bound(p.hi)].map(cell).join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}
