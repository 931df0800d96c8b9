// Axis scales and tick values for the SVG charts.

export interface Scale {
  (value: number): number;
  ticks: number[];
  log: boolean;
}

/** Round tick values (1, 2, 5 times a power of ten) covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/** Maps [d0, d1] onto [r0, r1]; a degenerate domain maps to the middle of the range. */
export function linearScale(domain: [number, number], range: [number, number], tickCount = 5): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const f = ((v: number) => (d1 === d0 ? (r0 + r1) / 2 : r0 + ((v - d0) / (d1 - d0)) * (r1 - r0))) as Scale;
  f.ticks = niceTicks(d0, d1, tickCount);
  f.log = false;
  return f;
}

/** Base-10 logarithmic scale for positive domains (learning rates, batch sizes). */
export function logScale(domain: [number, number], range: [number, number]): Scale {
  const l0 = Math.log10(domain[0]);
  const l1 = Math.log10(domain[1]);
  const [r0, r1] = range;
  const f = ((v: number) => (l1 === l0 ? (r0 + r1) / 2 : r0 + ((Math.log10(v) - l0) / (l1 - l0)) * (r1 - r0))) as Scale;
  f.ticks = logTicks(domain);
  f.log = true;
  return f;
}

/** Powers of ten inside [min, max]; 1, 2, 5 times them when that gives too few (a domain within one decade). */
export function logTicks(domain: [number, number]): number[] {
  const [min, max] = domain;
  const inside = (t: number) => t >= min * (1 - 1e-9) && t <= max * (1 + 1e-9);
  const candidates = (multiples: number[]) => {
    const ticks: number[] = [];
    for (let p = Math.floor(Math.log10(min)); p <= Math.ceil(Math.log10(max)); p++) {
      for (const m of multiples) {
        const t = Number((m * 10 ** p).toPrecision(12));
        if (inside(t)) ticks.push(t);
      }
    }
    return ticks;
  };
  for (const multiples of [[1], [1, 2, 5], [1, 2, 3, 5, 7]]) {
    const ticks = candidates(multiples);
    if (ticks.length >= 3) return ticks;
  }
  const ticks = candidates([1, 2, 3, 5, 7]);
  return ticks.length >= 2 ? ticks : [min, max];
}

/** Short tick labels: 0.001, 1e-5, 12k. */
export function formatTick(v: number): string {
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1e4) return `${Number((v / 1000).toPrecision(3))}k`;
  if (a < 1e-3) return v.toExponential(0);
  return String(Number(v.toPrecision(4)));
}
