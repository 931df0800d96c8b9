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
  if (welch.se === 0 && welch.difference !== 0) return compareWithoutSpread(welch.difference, nA, nB, opts);
  const { difference, ci95, pValue } = welch;
  const detail = `${formatMetricValue(opts.metric, difference, true)}${unitSuffix(opts.metric)}, 95% CI [${formatMetricValue(opts.metric, ci95[0])}, ${formatMetricValue(opts.metric, ci95[1])}], ${seedsPhrase(nA, nB, opts.unit)}`;
  const detected = ci95[0] > 0 || ci95[1] < 0;
  if (!detected) {
    return { difference, ci95, pValue, rankPValue: rank?.pValue ?? null, nA, nB, outcome: 'no_difference', verdict: `no detectable difference in ${info.label}${where} (${detail})` };
  }
  const higher = difference > 0;
  const phrase = directionPhrase(opts, higher);
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

/**
 * Every seed gave the same value on each side, and the two values differ. Welch's test degenerates (p = 0,
 * a zero-width interval), yet the values may be as coarse as the evaluation interval (steps to target are
 * counted in evaluations), so the evidence is only that one side came first every time: the exact
 * permutation p of two completely separated samples, 2 / C(nA + nB, nA), which needs 4 seeds a side to get
 * under 0.05 (the rank test's normal approximation for tied values would overstate it: 0.19 at 2 seeds).
 */
function compareWithoutSpread(difference: number, nA: number, nB: number, opts: CompareOptions): SampleComparison {
  const info = metricInfo(opts.metric);
  const where = opts.where ? ` ${opts.where}` : '';
  let arrangements = 1;
  for (let k = 1; k <= nA; k++) arrangements = (arrangements * (nB + k)) / k;
  const rankP: number | null = Math.min(1, 2 / arrangements);
  const detail = `${formatMetricValue(opts.metric, difference, true)}${unitSuffix(opts.metric)} in every ${opts.unit ?? 'seed'} (${seedsPhrase(nA, nB, opts.unit)})`;
  const base = { difference, ci95: null, pValue: rankP, rankPValue: rankP, nA, nB };
  if (rankP >= SIGNIFICANCE) {
    const p = ` (rank test p = ${rankP.toFixed(2)})`;
    return { ...base, outcome: 'inconclusive', verdict: `inconclusive${where}: ${info.label} was ${detail}, with no spread to test; too few ${opts.unit ?? 'seed'}s for the rank test to tell${p}` };
  }
  const higher = difference > 0;
  const phrase = directionPhrase(opts, higher);
  return { ...base, outcome: higher ? 'b_higher' : 'b_lower', verdict: `${phrase}${where}: ${detail}, rank test ${formatP(rankP)}` };
}

/** "bn reached higher validation accuracy than baseline", "bn reached the target sooner than baseline". */
function directionPhrase(opts: CompareOptions, higher: boolean): string {
  const info = metricInfo(opts.metric);
  if (info.higherIsBetter === null) return `${opts.b} had ${higher ? 'higher' : 'lower'} ${info.label} than ${opts.a}`;
  if (opts.metric === 'steps_to_target' || opts.metric === 'seconds_to_target') return `${opts.b} reached the target ${higher ? 'later' : 'sooner'} than ${opts.a}`;
  return `${opts.b} reached ${higher ? 'higher' : 'lower'} ${info.label} than ${opts.a}`;
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
