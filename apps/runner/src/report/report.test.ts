import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANALYSIS_PLAN_URL } from '@bnx/metrics';
import { describe, expect, it } from 'vitest';
import { syntheticResults } from '../results/testing/synthetic-results.js';
import { escapeHtml, escapeMarkdown } from './escape.js';
import { renderHtmlReport } from './html-report.js';
import { renderMarkdownReport } from './markdown-report.js';
import { buildLead } from './lead-section.js';
import { writeReports } from './write-reports.js';

const results = syntheticResults({ divergeBaselineAtLargestBatch: true });
const html = renderHtmlReport(results);

describe('report.html', () => {
  it('puts the findings first, then the claims, the figures and the tables', () => {
    const order = [
      'id="findings"',
      'id="claims"',
      'id="figure-1"',
      'id="curves"',
      'id="sweeps"',
      'id="summary"',
      'id="comparisons"',
      'id="step-time"',
      'id="gradients"',
      'id="bn-stats"',
      'id="divergence"',
      'id="what-bn-does"',
      'id="runs"',
    ];
    const positions = order.map((id) => html.indexOf(id));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });
  it('draws curves with seed bands, sweep error bars, Figure 1 panels and gradient charts', () => {
    // 3 sweep points x (error rate, loss) + Figure 1 (accuracy, 2 panels) + 2 sweep panels + step time + 6 gradient + 3 BN statistics.
    expect((html.match(/<svg /g) ?? []).length).toBeGreaterThanOrEqual(6 + 3 + 2 + 1 + 6 + 3);
    expect(html).toMatch(/class="band"/);
    expect(html).toMatch(/class="error-bar"/);
    expect(html).toContain('baseline: dense_3 pre-activation');
    expect(html).toContain('batchnorm: dense_3 pre-activation');
    expect(html).toContain('gradient norm per layer');
    expect(html).toContain('running statistics (seed 1)');
    expect(html).toContain('bn_1 running variance');
  });
  it('gives every element a unique id, and every in-page link a target', () => {
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    const links = [...html.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
    expect(links.filter((id) => !ids.includes(id))).toEqual([]);
  });
  it('is self-contained: no scripts, no external resources', () => {
    expect(html).not.toMatch(/<script|<link |src="http|url\(/i);
    // The one link that leaves the page is the analysis plan (navigation, not a resource the page loads).
    const external = [...html.matchAll(/href="([a-z]+:[^"]*)"/gi)].map((m) => m[1]);
    expect(external.length).toBeGreaterThan(0);
    expect(new Set(external)).toEqual(new Set([ANALYSIS_PLAN_URL]));
    expect(html).toMatch(/Content-Security-Policy/);
  });
  it('links each statement about batch normalization to a measurement or says none exists', () => {
    const section = html.slice(html.indexOf('id="what-bn-does"'));
    expect(section).toContain('mean and variance of the current mini-batch');
    expect(section).toContain('learnable scale (gamma) and shift (beta)');
    expect(section).toContain('running averages');
    expect(section).toContain('href="#figure-1"');
  });
  it('says when "validation" numbers come from the test split', () => {
    const noValidation = syntheticResults({ seeds: [1, 2], batches: [64] });
    for (const r of noValidation.runs) r.eval_split = 'test';
    const page = renderHtmlReport(noValidation);
    expect(page).toContain('measured on the test split');
    expect(page).toContain('baseline, test');
    expect(renderMarkdownReport(noValidation)).toContain('measured on the test split');
    expect(html).not.toContain('measured on the test split');
  });
  it('says how long the runs took, not the hours a resumed experiment lay stopped', () => {
    const base = syntheticResults({ seeds: [1, 2], batches: [64] });
    const timed = (finishedAt: string, runSeconds: number) => ({
      ...base,
      started_at: '2026-12-06T06:00:00.000Z',
      finished_at: finishedAt,
      runs: base.runs.map((r) => ({ ...r, seconds: runSeconds })),
    });
    // Four runs of 30 s, resumed two hours later: 2 min, not 120.
    expect(renderHtmlReport(timed('2026-12-06T08:00:00.000Z', 30))).toContain('took 2 min');
    // Four runs of 60 s trained two at a time (--jobs 2) in two minutes: the span, not their 4 min.
    expect(renderHtmlReport(timed('2026-12-06T06:02:00.000Z', 60))).toContain('took 2 min');
    expect(renderHtmlReport(timed('2026-12-06T06:05:00.000Z', 300))).toContain('took 5 min');
  });
  it('renders an experiment stopped before any run finished', () => {
    const empty = { ...syntheticResults({ seeds: [1] }), runs: [], summary: [], comparisons: [], claims: [] };
    expect(renderHtmlReport(empty)).toContain('No comparison between variants is possible');
    expect(renderMarkdownReport(empty)).toContain('## Runs');
  });
  it('escapes user-provided names', () => {
    const hostile = syntheticResults({ experiment: '<script>alert(1)</script>', variants: ['base"line', 'bn<i>'], seeds: [1, 2] });
    const page = renderHtmlReport(hostile);
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('bn<i>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(renderMarkdownReport(hostile)).not.toContain('<script>');
  });
});

describe('report.md', () => {
  const md = renderMarkdownReport(results);
  it('carries the same findings and tables', () => {
    const lead = buildLead(results);
    for (const item of [...lead.decided, ...lead.comparisons]) expect(md).toContain(escapeMarkdown(item.text));
    expect(md).toContain('| Variant | Batch size (batch) | Validation accuracy (%) |');
    expect(md).toContain('## Claims about batch normalization');
    expect(md).toContain('## Divergence');
  });
});

describe('escaping', () => {
  it('escapes HTML and Markdown metacharacters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(escapeMarkdown('a|b *c*\nd')).toBe('a\\|b \\*c\\* d');
  });
});

describe('writeReports', () => {
  it('writes results.json, metrics.csv, report.html and report.md', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bnx-report-'));
    writeReports(dir, results);
    expect(readdirSync(dir).sort()).toEqual(['figures', 'metrics.csv', 'report.html', 'report.md', 'results.json']);
    expect(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(results)));
  });
});
