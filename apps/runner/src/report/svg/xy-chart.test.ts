import { describe, expect, it } from 'vitest';
import { niceTicks, logScale, linearScale } from './scale.js';
import { chartCsv, linePath, renderXYChart } from './xy-chart.js';

describe('scales', () => {
  it('picks round ticks', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 930, 5)).toEqual([0, 200, 400, 600, 800]);
  });
  it('maps linear and log domains onto the range', () => {
    const s = linearScale([0, 10], [100, 200]);
    expect(s(5)).toBe(150);
    const l = logScale([0.01, 1], [0, 100]);
    expect(l(0.1)).toBeCloseTo(50, 10);
    expect(l.ticks).toEqual([0.01, 0.1, 1]);
  });
});

describe('linePath', () => {
  it('breaks the line at missing values', () => {
    const id = (v: number) => v;
    expect(
      linePath(
        [
          { x: 0, y: 1 },
          { x: 1, y: 2 },
          { x: 2, y: null },
          { x: 3, y: 4 },
        ],
        id,
        id,
      ),
    ).toBe('M0.0,1.0L1.0,2.0M3.0,4.0');
  });
});

describe('renderXYChart', () => {
  const series = [
    { name: 'baseline', band: true, points: [0, 1, 2].map((x) => ({ x, y: 0.5 + x * 0.1, lo: 0.45 + x * 0.1, hi: 0.55 + x * 0.1 })) },
    { name: '<b>bn</b>', band: true, points: [0, 1, 2].map((x) => ({ x, y: 0.6 + x * 0.1, lo: 0.55 + x * 0.1, hi: 0.65 + x * 0.1 })) },
  ];
  const svg = renderXYChart({ title: 'val accuracy', xLabel: 'step', yLabel: 'accuracy', series });
  it('draws one line and one band per series', () => {
    expect(svg.match(/class="series"/g)).toHaveLength(2);
    expect(svg.match(/class="band"/g)).toHaveLength(2);
  });
  it('tells series apart without colour: dash patterns and marker shapes differ', () => {
    expect(svg).toContain('stroke-dasharray="6 3"');
    expect(svg).toMatch(/<circle/);
    expect(svg).toMatch(/<rect x=/);
  });
  it('escapes names', () => {
    expect(svg).toContain('&lt;b&gt;bn&lt;/b&gt;');
    expect(svg).not.toContain('<b>');
  });
  it('draws error bars on categorical axes', () => {
    const bars = renderXYChart({
      title: 't',
      xLabel: 'batch',
      yLabel: 'acc',
      xScale: 'category',
      xCategories: ['32', '128'],
      series: [
        {
          name: 'a',
          errorBars: true,
          points: [
            { x: 0, y: 1, lo: 0.9, hi: 1.1 },
            { x: 1, y: 2, lo: 1.9, hi: 2.1 },
          ],
        },
      ],
    });
    expect(bars.match(/class="error-bar"/g)).toHaveLength(2);
    expect(bars).toContain('>128</text>');
  });
  it('puts ticks at the given values on a log axis', () => {
    const svg = renderXYChart({
      title: 't',
      xLabel: 'batch',
      yLabel: 'acc',
      xScale: 'log',
      xTicks: [2, 4, 16, 64],
      series: [{ name: 'a', points: [2, 4, 16, 64].map((x) => ({ x, y: 1 / x })) }],
    });
    for (const t of ['2', '4', '16', '64']) expect(svg).toContain(`>${t}</text>`);
    expect(svg).toContain('batch (log scale)');
  });
  it('says so when there is nothing to plot', () => {
    expect(renderXYChart({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 'a', points: [{ x: 0, y: null }] }] })).toContain('no data to plot');
  });

  it("draws a long run's curve (hundreds of thousands of points) without overflowing the stack", () => {
    const points = Array.from({ length: 300_000 }, (_, i) => ({ x: i + 1, y: 1 / (i + 1) }));
    const svg = renderXYChart({ title: 'train loss', xLabel: 'step', yLabel: 'loss', series: [{ name: 'baseline', points }] });
    expect(svg).toContain('<path');
    expect(svg).not.toContain('no data to plot');
  });
});

describe('chartCsv', () => {
  it('writes a series name that a spreadsheet would run as a formula as text', () => {
    const csv = chartCsv({
      xLabel: 'step',
      yLabel: 'error rate',
      quantity: 'error_rate',
      series: [{ name: "=cmd|' /C calc'!A0", points: [{ x: 5, y: 0.1, lo: 0.05, hi: 0.15 }] }],
    });
    const row = csv.split('\n')[1]!;
    expect(row.startsWith(`"'=cmd|' /C calc'!A0",5,`)).toBe(true);
    expect(csv).not.toMatch(/(^|\n|,)=/);
  });
  it('clips the interval to what the quantity can be, as the figure draws it', () => {
    const csv = chartCsv({
      xLabel: 'step',
      yLabel: 'error rate',
      quantity: 'error_rate',
      series: [{ name: 'baseline', band: true, points: [{ x: 5, y: 0.02, lo: -0.2, hi: 1.3 }] }],
    });
    expect(csv.split('\n')[1]).toBe('baseline,5,0.02,0,1');
    const loss = chartCsv({ xLabel: 'step', yLabel: 'loss', quantity: 'statistic', series: [{ name: 'b', points: [{ x: 1, y: 0.1, lo: -0.5, hi: 0.7 }] }] });
    expect(loss.split('\n')[1]).toBe('b,1,0.1,-0.5,0.7');
  });
});
