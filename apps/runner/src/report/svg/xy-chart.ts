// The one chart bnx draws: series of (x, y) points as lines with markers, optionally a shaded band
// (mean ± CI across seeds) or error bars, on linear, logarithmic or categorical x axes. Pure string
// output, no DOM, so it renders the same in Node and in any browser.
import { escapeHtml } from '../escape.js';
import { formatTick, linearScale, logScale, niceTicks, type Scale } from './scale.js';
import { markerSvg, seriesStyle } from './series-styles.js';

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
  /** Style slot; defaults to the series index, so the same variant keeps its look across charts. */
  styleIndex?: number;
}

export interface XYChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
  width?: number;
  height?: number;
  /** 'category': x values are indices into xCategories. */
  xScale?: 'linear' | 'log' | 'category';
  xCategories?: string[];
  /** Tick positions on a linear or log x axis (e.g. the swept values); default: round numbers. */
  xTicks?: number[];
  /** Fixed y range (accuracy: [0, 1]); default fits the data and the bands. */
  yDomain?: [number, number];
  /** Longer text for screen readers. */
  description?: string;
}

const MARGIN = { top: 30, right: 16, bottom: 46, left: 58 };
const LEGEND_ROW = 18;
const MAX_MARKERS = 12;

const f1 = (n: number) => n.toFixed(1);

/** Squeezes a text wider than `available` pixels (estimated at `charWidth` each) into it, so long titles stay whole. */
function fitText(text: string, available: number, charWidth: number): string {
  return text.length * charWidth > available ? ` textLength="${available}" lengthAdjust="spacingAndGlyphs"` : '';
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

export function renderXYChart(o: XYChartOptions): string {
  const width = o.width ?? 560;
  const legendRows = Math.ceil(o.series.length / 3);
  const plotHeight = (o.height ?? 300) - MARGIN.top - MARGIN.bottom;
  const height = MARGIN.top + plotHeight + MARGIN.bottom + legendRows * LEGEND_ROW;
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const title = escapeHtml(o.title);
  const head = `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="11"><title>${title}</title>${o.description ? `<desc>${escapeHtml(o.description)}</desc>` : ''}<text x="${MARGIN.left}" y="18" font-size="13" font-weight="600"${fitText(o.title, width - MARGIN.left - 8, 7.4)}>${title}</text>`;

  const xs = o.series.flatMap((s) => s.points.map((p) => p.x)).filter(finite);
  const ys = o.series.flatMap((s) => s.points.flatMap((p) => [p.y, ...(s.band || s.errorBars ? [p.lo, p.hi] : [])])).filter(finite);
  if (xs.length === 0 || ys.length === 0) {
    return `${head}<text x="${width / 2}" y="${MARGIN.top + plotHeight / 2}" text-anchor="middle" fill="#555">no data to plot</text></svg>`;
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
  let [y0, y1] = o.yDomain ?? extent(ys);
  if (!o.yDomain) {
    const pad = (y1 - y0) * 0.05 || Math.abs(y0) * 0.05 || 1;
    y0 -= pad;
    y1 += pad;
  }
  const sy = linearScale([y0, y1], [MARGIN.top + plotHeight, MARGIN.top]);
  const clampY = (v: number) => sy(Math.min(y1, Math.max(y0, v)));

  const parts: string[] = [head];
  // Grid and axes.
  const yTicks = niceTicks(y0, y1, 5);
  for (const t of yTicks) {
    const y = f1(sy(t));
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${y}" y2="${y}" stroke="#e3e3e3"/><text x="${MARGIN.left - 6}" y="${y}" dy="0.32em" text-anchor="end" fill="#333">${formatTick(t)}</text>`);
  }
  for (const t of sx.ticks) {
    const x = f1(sx(t));
    const label = scaleKind === 'category' ? escapeHtml(o.xCategories?.[t] ?? String(t)) : formatTick(t);
    parts.push(`<line x1="${x}" x2="${x}" y1="${MARGIN.top + plotHeight}" y2="${MARGIN.top + plotHeight + 4}" stroke="#333"/><text x="${x}" y="${MARGIN.top + plotHeight + 16}" text-anchor="middle" fill="#333">${label}</text>`);
  }
  parts.push(
    `<path d="M${MARGIN.left},${MARGIN.top}V${MARGIN.top + plotHeight}H${MARGIN.left + plotWidth}" fill="none" stroke="#333"/>`,
    `<text x="${MARGIN.left + plotWidth / 2}" y="${MARGIN.top + plotHeight + 34}" text-anchor="middle">${escapeHtml(o.xLabel)}${sx.log ? ' (log scale)' : ''}</text>`,
    `<text transform="translate(14 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(o.yLabel)}</text>`,
  );

  // Series: bands under lines, then lines, error bars and markers.
  const nSeries = o.series.length;
  o.series.forEach((s, i) => {
    const style = seriesStyle(s.styleIndex ?? i);
    // Points of different series at the same x are nudged apart so error bars do not overlap.
    const nudge = s.errorBars ? (i - (nSeries - 1) / 2) * 6 : 0;
    const px = (x: number) => sx(x) + nudge;
    const points = [...s.points].filter((p) => finite(p.x)).sort((a, b) => a.x - b.x);
    if (s.band) for (const d of bandPaths(points, px, clampY)) parts.push(`<path class="band" d="${d}" fill="${style.color}" fill-opacity="0.15" stroke="none"/>`);
    const d = linePath(points, px, clampY);
    if (d) parts.push(`<path class="series" data-series="${escapeHtml(s.name)}" d="${d}" fill="none" stroke="${style.color}" stroke-width="1.8"${style.dash ? ` stroke-dasharray="${style.dash}"` : ''}/>`);
    if (s.errorBars) {
      for (const p of points) {
        if (!finite(p.lo) || !finite(p.hi)) continue;
        const x = f1(px(p.x));
        parts.push(`<path class="error-bar" d="M${x},${f1(clampY(p.lo))}V${f1(clampY(p.hi))}M${f1(px(p.x) - 4)},${f1(clampY(p.lo))}h8M${f1(px(p.x) - 4)},${f1(clampY(p.hi))}h8" stroke="${style.color}" stroke-width="1.2" fill="none"/>`);
      }
    }
    const withY = points.filter((p) => finite(p.y));
    const every = Math.max(1, Math.ceil(withY.length / MAX_MARKERS));
    withY.forEach((p, k) => {
      if (k % every === 0 || k === withY.length - 1) parts.push(markerSvg(style, px(p.x), clampY(p.y!)));
    });
  });

  // Legend: a line sample with its dash pattern and marker, and the name in text.
  o.series.forEach((s, i) => {
    const style = seriesStyle(s.styleIndex ?? i);
    const col = i % 3;
    const row = Math.floor(i / 3);
    const x = MARGIN.left + col * (plotWidth / 3);
    const y = MARGIN.top + plotHeight + MARGIN.bottom + row * LEGEND_ROW - 2;
    parts.push(
      `<g class="legend"><path d="M${f1(x)},${y}h24" stroke="${style.color}" stroke-width="1.8"${style.dash ? ` stroke-dasharray="${style.dash}"` : ''}/>${markerSvg(style, x + 12, y)}<text x="${f1(x + 30)}" y="${y}" dy="0.32em">${escapeHtml(s.name)}</text></g>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}
