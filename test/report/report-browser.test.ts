// The HTML report in a real browser: headless Chromium (Debian package `chromium`) driven by playwright-core.
// Loads a report built from a synthetic results.json from disk, checks that the SVG charts rendered and that
// the page logged no errors, and keeps a full-page screenshot in test-artifacts/.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { syntheticResults } from '../../apps/runner/src/results/testing/synthetic-results.js';
import { writeReports } from '../../apps/runner/src/report/write-reports.js';

const CHROMIUM = process.env.BNX_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const available = existsSync(CHROMIUM);

if (!available) {
  console.warn(`report browser test skipped: ${CHROMIUM} not found (install it with \`apt-get install -y chromium\`, or set BNX_CHROMIUM)`);
}

describe.skipIf(!available)('report.html in headless Chromium', () => {
  let browser: Browser;
  const dir = join(ARTIFACTS, 'report');

  beforeAll(async () => {
    mkdirSync(dir, { recursive: true });
    writeReports(dir, syntheticResults({ divergeBaselineAtLargestBatch: true }));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders every chart without console errors or network requests', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    await page.goto(pathToFileURL(join(dir, 'report.html')).href, { waitUntil: 'load' });

    const svgCount = await page.locator('svg.chart').count();
    expect(svgCount).toBeGreaterThanOrEqual(20);
    // Every chart has drawn at least one data path with a real, non-empty box (it laid out and painted).
    const drawn = await page.evaluate(() =>
      [...document.querySelectorAll('svg.chart')].map((svg) => {
        const paths = [...svg.querySelectorAll('path.series')] as SVGPathElement[];
        return paths.length > 0 && paths.every((p) => p.getTotalLength() > 0 && p.getBBox().width > 0);
      }),
    );
    expect(drawn.every(Boolean)).toBe(true);
    expect(await page.locator('svg path.band').count()).toBeGreaterThan(0);
    expect(await page.locator('svg path.error-bar').count()).toBeGreaterThan(0);
    await expect(page.locator('h2#verdicts').isVisible()).resolves.toBe(true);

    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
    expect(existsSync(join(ARTIFACTS, 'report.png'))).toBe(true);
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });
});
