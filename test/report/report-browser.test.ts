// The HTML report in a real browser: headless Chromium (Debian package `chromium`) driven by playwright-core.
// Loads a report built from a synthetic results.json from disk at phone and desktop widths and checks what a
// reader would see: no sideways scrolling, chart text large enough to read, no "NaN" or "undefined", every
// decided claim stated in the first section, and every chart's y range inside what its metric can be.
// Keeps screenshots in test-artifacts/ to look at.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { ResultsFile } from '@bnx/metrics';
import { syntheticResults } from '../../apps/runner/src/results/testing/synthetic-results.js';
import { writeReports } from '../../apps/runner/src/report/write-reports.js';

const CHROMIUM = process.env.BNX_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const available = existsSync(CHROMIUM);
const WIDTHS = [360, 420, 1400];
/** Smallest chart text, in CSS pixels as displayed, at any of WIDTHS. */
const MIN_CHART_TEXT_PX = 10;

/** What each quantity a chart declares can be, written here independently of the chart code. */
const VALID: Record<string, [number, number]> = {
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

// CI installs Chromium (.ci/run), so there a missing browser is a failure, never a silent skip.
const required = process.env.CI === 'true';
if (!available && !required) {
  console.warn(`report browser test skipped: ${CHROMIUM} not found (install it with \`apt-get install -y chromium\`, or set BNX_CHROMIUM)`);
}

describe.runIf(required && !available)('report.html in headless Chromium (CI)', () => {
  it('has a browser to run in', () => {
    expect.fail(`${CHROMIUM} not found: CI must install Chromium (apt-get install -y chromium) so the report is checked in a real browser`);
  });
});

/**
 * A batch sweep with probes and a diverged run; and two seeds far apart, whose 95% intervals reach past 100%
 * accuracy and below zero loss, so the clipping to valid ranges is exercised.
 */
const FIXTURES: { name: string; results: ResultsFile }[] = [
  { name: 'report', results: syntheticResults({ divergeBaselineAtLargestBatch: true }) },
  { name: 'report-noisy', results: syntheticResults({ seeds: [1, 2], batches: [64], spread: 0.09 }) },
];

describe.skipIf(!available)('report.html in headless Chromium', () => {
  let browser: Browser;
  const dir = join(ARTIFACTS, 'report');
  const results = FIXTURES[0]!.results;
  const url = (name = 'report') => pathToFileURL(join(ARTIFACTS, name, 'report.html')).href;

  beforeAll(async () => {
    for (const f of FIXTURES) {
      const out = join(ARTIFACTS, f.name);
      rmSync(out, { recursive: true, force: true });
      mkdirSync(out, { recursive: true });
      writeReports(out, f.results);
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      headless: true,
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(width: number, name = 'report'): Promise<{ page: Page; problems: string[]; requests: string[] }> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    await page.goto(url(name), { waitUntil: 'load' });
    return { page, problems, requests };
  }

  it('renders every chart without console errors or network requests', async () => {
    const { page, problems, requests } = await open(1280);
    const svgCount = await page.locator('svg.chart').count();
    expect(svgCount).toBeGreaterThanOrEqual(20);
    // Every chart has drawn at least one data path or dot with a real, non-empty box (it laid out and painted).
    const drawn = await page.evaluate(() =>
      [...document.querySelectorAll('svg.chart')].map((svg) => {
        const marks = [...svg.querySelectorAll('path.series, g.series')] as SVGGraphicsElement[];
        return marks.length > 0 && marks.every((p) => p.getBBox().width > 0 || p.getBBox().height > 0);
      }),
    );
    expect(drawn.every(Boolean)).toBe(true);
    expect(await page.locator('svg path.band').count()).toBeGreaterThan(0);
    expect(await page.locator('svg path.error-bar').count()).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  for (const fixture of FIXTURES)
    for (const width of WIDTHS) {
      describe(`${fixture.name} at ${width} px`, () => {
        let page: Page;
        const results = fixture.results;
        beforeAll(async () => {
          ({ page } = await open(width, fixture.name));
          await page.screenshot({ path: join(ARTIFACTS, `${fixture.name}-${width}.png`), fullPage: true });
        });
        afterAll(async () => {
          await page?.close();
        });

        it('does not scroll sideways', async () => {
          const overflow = await page.evaluate(() => {
            const viewport = document.documentElement.clientWidth;
            // Tables may scroll inside their own box; nothing else may stick out of the page.
            const outside = [...document.body.querySelectorAll('*')]
              .filter((e) => !e.closest('.table-wrap') && e.getBoundingClientRect().right > viewport + 0.5)
              .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.className && typeof e.className === 'string' ? `.${e.className}` : ''}`);
            return { scrollWidth: document.documentElement.scrollWidth, viewport, outside: outside.slice(0, 5) };
          });
          expect(overflow.outside).toEqual([]);
          expect(overflow.scrollWidth).toBeLessThanOrEqual(overflow.viewport);
        });

        it(`draws chart text at ${MIN_CHART_TEXT_PX} px or more`, async () => {
          const sizes = await page.evaluate(() =>
            [...document.querySelectorAll('svg.chart text')].map((t) => {
              const svg = (t as SVGTextElement).ownerSVGElement!;
              const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
              return { text: t.textContent ?? '', px: parseFloat(getComputedStyle(t).fontSize) * scale };
            }),
          );
          expect(sizes.length).toBeGreaterThan(100);
          const small = sizes.filter((s) => s.px < MIN_CHART_TEXT_PX);
          expect(small.slice(0, 5)).toEqual([]);
        });

        it('shows no "NaN" or "undefined"', async () => {
          const text = await page.evaluate(() => document.body.textContent ?? '');
          // The one legitimate NaN is in the words explaining divergence.
          expect(text.replace(/became NaN or infinite/g, '')).not.toMatch(/\bNaN\b/);
          expect(text).not.toMatch(/\bundefined\b/);
          expect(text).not.toContain('`');
        });

        it('states every decided claim, with numbers, in the first section', async () => {
          const lead = await page.evaluate(() => {
            const first = document.querySelector('h2')!;
            const section = first.closest('section');
            return {
              firstHeading: first.textContent,
              sectionId: section?.id ?? null,
              items: [...(section?.querySelectorAll('li[data-claim]') ?? [])].map((li) => ({
                claim: li.getAttribute('data-claim'),
                text: (li as HTMLElement).innerText,
                visible: (li as HTMLElement).offsetHeight > 0,
              })),
              links: [...(section?.querySelectorAll('a[href^="#"]') ?? [])].map((a) => a.getAttribute('href')!.slice(1)),
            };
          });
          expect(lead.sectionId).toBe('findings');
          const decided = (results.claims ?? []).filter((c) => c.status === 'supported' || c.status === 'contradicted');
          if (fixture.name === 'report') expect(decided.length).toBeGreaterThan(0);
          for (const c of decided) {
            const item = lead.items.find((i) => i.claim === c.claim);
            expect(item, c.claim).toBeDefined();
            expect(item!.visible).toBe(true);
            expect(item!.text).toContain(c.title);
            expect(item!.text).toMatch(c.status === 'supported' ? /^Supported/ : /^Contradicted/);
            expect(item!.text).toMatch(/\d/);
          }
          // The main comparison is stated there too, and every link points at something on the page.
          const comparison = await page.locator('#findings #main-comparison + ul li').first().innerText();
          expect(comparison).toMatch(
            /validation accuracy was \d+\.\d% for batchnorm and \d+\.\d% for baseline: (batchnorm higher|batchnorm lower|no detectable difference|cannot tell)/,
          );
          for (const id of lead.links) expect(await page.locator(`[id="${id}"]`).count(), id).toBe(1);
        });

        it("keeps each chart's y range, bands and error bars inside the metric's valid range", async () => {
          const charts = await page.evaluate(() =>
            [...document.querySelectorAll('svg.chart[data-y-domain]')].map((svg) => {
              const [x, y, w, h] = svg.getAttribute('data-plot')!.split(' ').map(Number) as [number, number, number, number];
              const marks = [...svg.querySelectorAll('path.band, path.series, path.error-bar, g.series, g.markers')] as SVGGraphicsElement[];
              const outside = marks.filter((m) => {
                const b = m.getBBox();
                // Markers are drawn centred on their point and may reach a few units past the plot edge.
                return b.y < y - 7 || b.y + b.height > y + h + 7 || b.x < x - 12 || b.x + b.width > x + w + 12;
              }).length;
              return {
                title: svg.querySelector('title')?.textContent,
                quantity: svg.getAttribute('data-quantity')!,
                domain: svg.getAttribute('data-y-domain')!.split(' ').map(Number),
                outside,
              };
            }),
          );
          expect(charts.length).toBeGreaterThanOrEqual(fixture.name === 'report' ? 20 : 5);
          for (const c of charts) {
            const valid = VALID[c.quantity];
            expect(valid, `${c.title}: unknown quantity ${c.quantity}`).toBeDefined();
            expect(c.domain[0], `${c.title}`).toBeGreaterThanOrEqual(valid![0]);
            expect(c.domain[1], `${c.title}`).toBeLessThanOrEqual(valid![1]);
            expect(c.domain[0], `${c.title}`).toBeLessThan(c.domain[1]!);
            expect(c.outside, `${c.title}: marks outside the plot`).toBe(0);
          }
          expect(charts.filter((c) => c.quantity === 'error_rate').length).toBeGreaterThan(0);
        });
      });
    }

  it('writes each figure beside the report as a standalone SVG and a CSV', async () => {
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    const files = [...html.matchAll(/href="(figures\/[^"]+)"/g)].map((m) => m[1]!);
    expect(files.length).toBeGreaterThanOrEqual(40);
    for (const f of files) expect(existsSync(join(dir, f)), f).toBe(true);
    const svgFile = files.find((f) => f.includes('curve-error') && f.endsWith('.svg'))!;
    const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
    await page.goto(pathToFileURL(join(dir, svgFile)).href, { waitUntil: 'load' });
    expect(await page.evaluate(() => document.documentElement.tagName.toLowerCase())).toBe('svg');
    expect(await page.locator('path.series').count()).toBeGreaterThan(0);
    await page.close();
    const csv = readFileSync(join(dir, svgFile.replace(/\.svg$/, '.csv')), 'utf8')
      .trim()
      .split('\n');
    expect(csv[0]).toBe('series,training step,error rate,ci95_low,ci95_high');
    expect(csv.length).toBeGreaterThan(10);
  });
});
