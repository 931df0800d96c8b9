// Comparing one metric between two variants: Welch's interval and test, a rank test, and a verdict that
// says no more than the numbers do.
import { mannWhitney } from './mann-whitney.js';
import { formatMetricValue, metricInfo, unitSuffix } from './metric-catalogue.js';
import type { ComparisonOutcome } from './results-types.js';
import { finiteValues } from './sample-summary.js';
import { welchTest } from './welch.js';

export const SIGNIFICANCE = 0.05;

export interface SampleComparison {
  difference: number | null;
  ci95: [number, number] | null;
  pValue: number | null;
  rankPValue: number | null;
  nA: number;
  nB: number;
  outcome: ComparisonOutcome;
  verdict: string;
}

export interface CompareOptions {
  a: string;
  b: string;
  metric: string;
  /** "at batch 128"; empty for an experiment without sweeps. */
  where: string;
  /** What one value is: a seed (default), or a run when runs from several sweep points are pooled. */
  unit?: 'seed' | 'run';
}

function seedsPhrase(nA: number, nB: number, unit: 'seed' | 'run' = 'seed'): string {
  if (nA === nB) return `${nA} ${unit}${nA === 1 ? '' : 's'} each`;
  return `${nA} and ${nB} ${unit}s`;
}

/**
 * Compares mean(b) - mean(a). A difference is reported only when Welch's 95% interval excludes zero; with
 * fewer than 2 finite values on either side nothing is tested and the verdict says so.
 */
export function compareSamples(a: readonly (number | null)[], b: readonly (number | null)[], opts: CompareOptions): SampleComparison {
  const nA = finiteValues(a).length;
  const nB = finiteValues(b).length;
  const info = metricInfo(opts.metric);
  const where = opts.where ? ` ${opts.where}` : '';
  const welch = welchTest(a, b);
  const rank = mannWhitney(a, b);
  if (!welch) {
    const fewest = Math.min(nA, nB);
    const reason =
      fewest === 0
        ? `no finite ${info.label} for ${nA === 0 ? opts.a : opts.b}`
        : `${fewest} ${opts.unit ?? 'seed'}${fewest === 1 ? '' : 's'}`;
    return {
      difference: nA >= 1 && nB >= 1 ? meanOf(b) - meanOf(a) : null,
      ci95: null,
      pValue: null,
      rankPValue: rank ? rank.pValue : null,
      nA,
      nB,
      outcome: 'inconclusive',
      verdict: `inconclusive${where}: ${reason}`,
    };
  }
  const { difference, ci95, pValue } = welch;
  const detail = `${formatMetricValue(opts.metric, difference, true)}${unitSuffix(opts.metric)}, 95% CI [${formatMetricValue(opts.metric, ci95[0])}, ${formatMetricValue(opts.metric, ci95[1])}], ${seedsPhrase(nA, nB, opts.unit)}`;
  const detected = ci95[0] > 0 || ci95[1] < 0;
  if (!detected) {
    return { difference, ci95, pValue, rankPValue: rank?.pValue ?? null, nA, nB, outcome: 'no_difference', verdict: `no detectable difference in ${info.label}${where} (${detail})` };
  }
  const higher = difference > 0;
  let phrase: string;
  if (info.higherIsBetter === null) phrase = `${opts.b} had ${higher ? 'higher' : 'lower'} ${info.label} than ${opts.a}`;
  else if (opts.metric === 'steps_to_target' || opts.metric === 'seconds_to_target') phrase = `${opts.b} reached the target ${higher ? 'later' : 'sooner'} than ${opts.a}`;
  else phrase = `${opts.b} reached ${higher ? 'higher' : 'lower'} ${info.label} than ${opts.a}`;
  const rankNote = rank && rank.pValue > SIGNIFICANCE ? `; the rank test cannot confirm it at this sample size (p = ${rank.pValue.toFixed(2)})` : '';
  return {
    difference,
    ci95,
    pValue,
    rankPValue: rank?.pValue ?? null,
    nA,
    nB,
    outcome: higher ? 'b_higher' : 'b_lower',
    verdict: `${phrase}${where}: ${detail}, ${formatP(pValue)}${rankNote}`,
  };
}

function meanOf(xs: readonly (number | null)[]): number {
  const f = finiteValues(xs);
  return f.reduce((s, x) => s + x, 0) / f.length;
}

/** "p = 0.021" or "p < 0.001". */
export function formatP(p: number): string {
  if (p < 0.001) return 'p < 0.001';
  return `p = ${p.toFixed(3)}`;
}
