import { describe, expect, it } from 'vitest';
import { syntheticResults } from '../results/testing/synthetic-results.js';
import { curveCharts, figureOne, stepTimeChart, sweepCharts } from './report-charts.js';
import { variantStyle } from './svg/series-styles.js';

const results = syntheticResults({ divergeBaselineAtLargestBatch: true });

/** The stroke of each drawn line, by series name. */
function strokes(svg: string): Record<string, { color: string; dashed: boolean }> {
  return Object.fromEntries(
    [...svg.matchAll(/<path class="series" data-series="([^"]+)" d="[^"]*" fill="none" stroke="([^"]+)"[^>]*?( stroke-dasharray="[^"]+")?\/>/g)].map((m) => [
      m[1],
      { color: m[2]!, dashed: m[3] !== undefined },
    ]),
  );
}

describe('learning curves', () => {
  const [error, loss] = curveCharts(results);
  it('give each variant one colour, solid for training and dashed for validation', () => {
    const s = strokes(error!.svg);
    expect(s['baseline, training']).toEqual({ color: variantStyle(0).color, dashed: false });
    expect(s['baseline, validation']).toEqual({ color: variantStyle(0).color, dashed: true });
    expect(s['batchnorm, training']).toEqual({ color: variantStyle(1).color, dashed: false });
    expect(s['batchnorm, validation']).toEqual({ color: variantStyle(1).color, dashed: true });
    expect(variantStyle(0).color).not.toBe(variantStyle(1).color);
  });
  it('draw accuracy as error rate on a log axis with the declared target, and loss from zero', () => {
    expect(error!.svg).toContain('error rate (log scale)');
    expect(error!.svg).toContain('class="reference"');
    expect(error!.svg).toContain('target (validation 90% accuracy)');
    const [lo, hi] = error!.svg
      .match(/data-y-domain="([^"]+)"/)![1]!
      .split(' ')
      .map(Number);
    expect(lo).toBeGreaterThan(0);
    expect(hi).toBeLessThanOrEqual(1);
    expect(loss!.svg).toMatch(/data-y-domain="0 /);
    // The CSV holds the plotted numbers: error rates, the complement of the accuracies.
    const row = error!.csv.split('\n').find((l) => l.startsWith('"batchnorm, validation"') || l.startsWith('batchnorm, validation'))!;
    const rate = Number(row.split(',')[3]);
    expect(rate).toBeGreaterThan(0);
    expect(rate).toBeLessThan(1);
  });
});

describe('sweeps', () => {
  it('are small multiples: one panel per value of the other swept setting, one line per variant', () => {
    const grid = syntheticResults({ seeds: [1, 2], batches: [32, 128, 512], lrs: [0.01, 0.1] });
    const byKey = Object.fromEntries(sweepCharts(grid).map((f) => [f.key, f.charts]));
    expect(Object.keys(byKey)).toEqual(['batch', 'lr']);
    const batchError = byKey.batch!.filter((c) => c.id.startsWith('sweep-batch-error'));
    expect(batchError.map((c) => c.title)).toEqual([
      'Final validation error rate by batch size (lr 0.01)',
      'Final validation error rate by batch size (lr 0.1)',
    ]);
    for (const c of batchError) {
      expect(Object.keys(strokes(c.svg))).toEqual(['baseline', 'batchnorm']);
      expect(c.svg.match(/class="error-bar"/g)?.length).toBe(6);
    }
    expect(byKey.lr!.filter((c) => c.id.startsWith('sweep-lr-error'))).toHaveLength(3);
    // Panels share one y range, so they compare at a glance.
    const domains = new Set(batchError.map((c) => c.svg.match(/data-y-domain="([^"]+)"/)![1]));
    expect(domains.size).toBe(1);
  });
});

describe('step time', () => {
  it('compares variants as dots with intervals on an axis from zero', () => {
    const single = stepTimeChart(syntheticResults({ batches: [64] }))!;
    expect(single.svg).toMatch(/data-y-domain="0 /);
    expect(single.svg).not.toContain('<path class="series"');
    expect(single.svg.match(/<g class="series dots"/g)).toHaveLength(2);
    expect(single.svg).toContain('>baseline</text>');
    expect(stepTimeChart(results)!.svg).toContain('>512</text>');
  });
});

describe('Figure 1', () => {
  it('puts accuracy above the percentile panels of both variants, on one y scale', () => {
    const fig = figureOne(results)!;
    expect(fig.accuracy.title).toBe('Validation accuracy at batch 32');
    expect(fig.rows).toHaveLength(1);
    const panels = fig.rows[0]!.panels;
    expect(panels.map((p) => p.title)).toEqual(['baseline: dense_3 pre-activation', 'batchnorm: dense_3 pre-activation']);
    const domains = panels.map((p) => p.svg.match(/data-y-domain="([^"]+)"/)![1]);
    expect(domains[0]).toBe(domains[1]);
  });
  it('draws a pooled probe and a one-unit probe of the same layer as separate rows', () => {
    // Regression: rows were keyed by layer alone, so the unit probe of a layer already probed pooled vanished.
    const both = syntheticResults({ batches: [64] });
    for (const r of both.runs) {
      const pooled = r.probes.activations![0]!;
      r.probes.activations!.push({ ...pooled, unit: 0, values: pooled.values.map((v) => v.map((x) => (x === null ? null : x * 2))) });
    }
    const fig = figureOne(both)!;
    expect(fig.rows.map((row) => row.layer)).toEqual(['dense_3', 'dense_3 unit 0']);
    expect(fig.rows[1]!.panels.map((p) => p.title)).toEqual(['baseline: dense_3 unit 0 pre-activation', 'batchnorm: dense_3 unit 0 pre-activation']);
    expect(fig.rows[1]!.panels[0]!.id).not.toBe(fig.rows[0]!.panels[0]!.id);
  });
  it('is absent without an activation probe', () => {
    const bare = syntheticResults({ batches: [64] });
    for (const r of bare.runs) delete r.probes.activations;
    expect(figureOne(bare)).toBeNull();
  });
});
