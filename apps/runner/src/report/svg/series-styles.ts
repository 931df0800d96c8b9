// How series are told apart: a colour AND a dash pattern AND a marker shape, so charts stay readable in
// grey print and for readers who do not distinguish the colours (Okabe-Ito palette).

export interface SeriesStyle {
  color: string;
  /** stroke-dasharray; '' for a solid line. */
  dash: string;
  marker: 'circle' | 'square' | 'triangle' | 'diamond' | 'cross' | 'plus';
}

const COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];
const DASHES = ['', '6 3', '2 2', '8 3 2 3', '1 3', '10 4'];
const MARKERS: SeriesStyle['marker'][] = ['circle', 'square', 'triangle', 'diamond', 'cross', 'plus'];

/** The dash pattern of a validation (or test) curve; training curves are solid. */
export const EVALUATION_DASH = '6 3';

/** A style per series index, for charts whose series are not variants (layers, percentiles). */
export function seriesStyle(index: number): SeriesStyle {
  return { color: COLORS[index % COLORS.length]!, dash: DASHES[index % DASHES.length]!, marker: MARKERS[index % MARKERS.length]! };
}

/**
 * One colour and marker per variant, the same in every chart and in the text; `split` picks the line:
 * solid for training, dashed for validation or test.
 */
export function variantStyle(variantIndex: number, split: 'train' | 'evaluation' = 'train'): SeriesStyle {
  const i = Math.max(0, variantIndex);
  return { color: COLORS[i % COLORS.length]!, dash: split === 'train' ? '' : EVALUATION_DASH, marker: MARKERS[i % MARKERS.length]! };
}

/** The colour of a variant, for text that names it. */
export function variantColor(variantIndex: number): string {
  return variantStyle(variantIndex).color;
}

/** An SVG marker of the given shape centred on (x, y). */
export function markerSvg(style: SeriesStyle, x: number, y: number, r = 3.5): string {
  const c = style.color;
  const p = (n: number) => n.toFixed(1);
  switch (style.marker) {
    case 'circle':
      return `<circle cx="${p(x)}" cy="${p(y)}" r="${r}" fill="${c}"/>`;
    case 'square':
      return `<rect x="${p(x - r)}" y="${p(y - r)}" width="${2 * r}" height="${2 * r}" fill="${c}"/>`;
    case 'triangle':
      return `<path d="M${p(x)},${p(y - r - 1)}L${p(x + r + 1)},${p(y + r)}L${p(x - r - 1)},${p(y + r)}Z" fill="${c}"/>`;
    case 'diamond':
      return `<path d="M${p(x)},${p(y - r - 1)}L${p(x + r + 1)},${p(y)}L${p(x)},${p(y + r + 1)}L${p(x - r - 1)},${p(y)}Z" fill="${c}"/>`;
    case 'cross':
      return `<path d="M${p(x - r)},${p(y - r)}L${p(x + r)},${p(y + r)}M${p(x - r)},${p(y + r)}L${p(x + r)},${p(y - r)}" stroke="${c}" stroke-width="2"/>`;
    case 'plus':
      return `<path d="M${p(x - r)},${p(y)}L${p(x + r)},${p(y)}M${p(x)},${p(y - r)}L${p(x)},${p(y + r)}" stroke="${c}" stroke-width="2"/>`;
  }
}
