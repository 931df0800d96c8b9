// Comparing one metric between two variants, per seed: paired wherever both variants have the seed (the
// same seed gives both the same split and data order), Welch's unequal-variance test only where pairing is
// impossible, and a verdict that says which test was used and no more than the numbers do.
import { studentTQuantile } from './distributions.js';
import { mannWhitney } from './mann-whitney.js';
import { formatMetricValue, metricInfo, unitSuffix } from './metric-catalogue.js';
import { MIN_PAIRS_FOR_T, pairedTest } from './paired-test.js';
import type { ComparisonOutcome, TestName } from './results-types.js';
import { finiteValues, mean, noSpread } from './sample-summary.js';
import { welchTest } from './welch.js';

/** The significance level of every decision (two-sided), before multiplicity adjustment. */
export const SIGNIFICANCE = 0.05;

/** Power at which the smallest detectable effect is stated. */
export const DETECTION_POWER = 0.8;

export interface SampleTest {
  /** mean(b) - mean(a) (paired: the mean per-seed difference). */
  difference: number | null;
  ci95: [number, number] | null;
  pValue: number | null;
  /** Mann-Whitney p, reported beside Welch for unpaired samples. */
  rankPValue: number | null;
  test: TestName;
  nA: number;
  nB: number;
  /** Seeds with a finite value on both sides. */
  nPairs: number;
  /** Whether seeds were given to pair by (an unpaired test then means the variants shared too few). */
  seedsGiven: boolean;
  /** Smallest p the test could give at this sample size (0 for t-tests). */
  smallestPossibleP: number;
  /** Smallest |difference| the test would detect with DETECTION_POWER at SIGNIFICANCE; null when not estimable. */
  smallestDetectable: number | null;
  /** Why no test ran (too few values); null when one did. */
  untested: string | null;
}

export interface SampleComparison extends SampleTest {
  outcome: ComparisonOutcome;
  verdict: string;
}

export interface CompareOptions {
  a: string;
  b: string;
  metric: string;
  /** "at batch 128"; empty for an experiment without sweeps. */
  where: string;
  /** What one value is: a seed (default), or a run. */
  unit?: 'seed' | 'run';
  /** The seed of each value of a and of b: values are then paired by seed. Without it the samples are unpaired. */
  seeds?: { a: readonly number[]; b: readonly number[] };
  /** The metric in words when not metricInfo's (metricLabel for runs without a validation split). */
  label?: string;
}

/** The smallest effect a t-based test detects with DETECTION_POWER: (t(0.975) + t(power)) × standard error. */
export function smallestDetectableEffect(se: number, df: number): number {
  return (studentTQuantile(1 - SIGNIFICANCE / 2, df) + studentTQuantile(DETECTION_POWER, df)) * se;
}

/** Runs the test that fits: paired by seed when at least 2 seeds have values on both sides, else Welch. */
export function testSamples(a: readonly (number | null)[], b: readonly (number | null)[], opts: CompareOptions): SampleTest {
  const nA = finiteValues(a).length;
  const nB = finiteValues(b).length;
  const rank = mannWhitney(a, b);
  const unit = opts.unit ?? 'seed';
  let pairs: number[] = [];
  if (opts.seeds) {
    const bySeed = new Map<number, number | null>();
    opts.seeds.b.forEach((seed, i) => bySeed.set(seed, b[i] ?? null));
    opts.seeds.a.forEach((seed, i) => {
      const va = a[i];
      const vb = bySeed.get(seed);
      if (typeof va === 'number' && Number.isFinite(va) && typeof vb === 'number' && Number.isFinite(vb)) pairs.push(vb - va);
    });
  }
  const base = { rankPValue: rank?.pValue ?? null, nA, nB, nPairs: pairs.length, seedsGiven: opts.seeds !== undefined };
  if (pairs.length >= 2) {
    const r = pairedTest(pairs)!;
    const se = r.sd / Math.sqrt(r.n);
    return {
      ...base,
      difference: r.difference,
      ci95: r.ci95,
      pValue: r.pValue,
      test: r.test,
      smallestPossibleP: r.smallestPossibleP,
      smallestDetectable: r.test === 'paired_t' ? smallestDetectableEffect(se, r.n - 1) : null,
      untested: null,
    };
  }
  pairs = [];
  const welch = welchTest(a, b);
  if (!welch) {
    const fewest = Math.min(nA, nB);
    return {
      ...base,
      difference: nA >= 1 && nB >= 1 ? mean(finiteValues(b)) - mean(finiteValues(a)) : null,
      ci95: null,
      pValue: null,
      test: 'none',
      smallestPossibleP: 1,
      smallestDetectable: null,
      untested:
        fewest === 0
          ? `no finite ${opts.label ?? metricInfo(opts.metric).label} for ${nA === 0 ? opts.a : opts.b}`
          : `${fewest} ${unit}${fewest === 1 ? '' : 's'}`,
    };
  }
  const xa = finiteValues(a);
  const xb = finiteValues(b);
  if (noSpread(xa) && noSpread(xb)) {
    // Every seed gave the same value on each side: Welch degenerates (zero standard error), and the values may
    // be as coarse as the evaluation interval. The evidence is only that the samples are separated: the exact
    // permutation p of two separated samples is 2 / C(nA + nB, nA).
    let arrangements = 1;
    for (let k = 1; k <= nA; k++) arrangements = (arrangements * (nB + k)) / k;
    const separated = !noSpread([...xa, ...xb]);
    const p = separated ? Math.min(1, 2 / arrangements) : 1;
    return {
      ...base,
      difference: welch.difference,
      ci95: null,
      pValue: p,
      test: 'permutation_exact',
      smallestPossibleP: Math.min(1, 2 / arrangements),
      smallestDetectable: null,
      untested: null,
    };
  }
  return {
    ...base,
    difference: welch.difference,
    ci95: welch.ci95,
    pValue: welch.pValue,
    test: 'welch',
    smallestPossibleP: 0,
    smallestDetectable: smallestDetectableEffect(welch.se, welch.df),
    untested: null,
  };
}

/** The words for a test: "paired t-test over 5 seeds". */
export function describeTest(t: Pick<SampleTest, 'test' | 'nA' | 'nB' | 'nPairs'> & { seedsGiven?: boolean }, unit: 'seed' | 'run' = 'seed'): string {
  const units = (n: number) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  switch (t.test) {
    case 'paired_t':
      return `paired t-test over ${units(t.nPairs)}`;
    case 'sign_flip_exact':
      // From MIN_PAIRS_FOR_T pairs on, the sign-flip test decides only when the differences have no spread.
      return `exact sign-flip test over ${units(t.nPairs)}${t.nPairs >= MIN_PAIRS_FOR_T ? ` (every ${unit} gave the same difference, so only its sign is evidence)` : ''}`;
    case 'welch':
      return `Welch's test, unpaired (${t.nA === t.nB ? `${units(t.nA)} each` : `${t.nA} and ${units(t.nB)}`}${t.seedsGiven ? `; fewer than 2 ${unit}s on both sides to pair` : ''})`;
    case 'permutation_exact':
      return `exact permutation test, unpaired (${t.nA} and ${units(t.nB)}, no spread)`;
    default:
      return 'no test';
  }
}

/**
 * Outcome and words for a test, decided at SIGNIFICANCE on `decisionP` (the raw p, or an adjusted one: a
 * q-value in the comparison table). `adjustment` names the adjustment for the verdict ("BH q = 0.031").
 */
export function describeComparison(t: SampleTest, opts: CompareOptions, decisionP: number | null = t.pValue, adjustment?: string): SampleComparison {
  const info = { ...metricInfo(opts.metric), label: opts.label ?? metricInfo(opts.metric).label };
  const where = opts.where ? ` ${opts.where}` : '';
  const unit = opts.unit ?? 'seed';
  if (t.untested !== null || t.pValue === null || decisionP === null) {
    return { ...t, outcome: 'inconclusive', verdict: `inconclusive${where}: ${t.untested ?? 'no test'}` };
  }
  const estimate =
    t.ci95 !== null
      ? `${formatMetricValue(opts.metric, t.difference, true)}${unitSuffix(opts.metric)}, 95% CI [${formatMetricValue(opts.metric, t.ci95[0])}, ${formatMetricValue(opts.metric, t.ci95[1])}]`
      : `${formatMetricValue(opts.metric, t.difference, true)}${unitSuffix(opts.metric)} in every ${unit}`;
  const pText = `${formatP(t.pValue)}${adjustment ? `, ${adjustment}` : ''}`;
  const detail = `${estimate}, ${describeTest(t, unit)}, ${pText}`;
  if (t.smallestPossibleP >= SIGNIFICANCE) {
    return {
      ...t,
      outcome: 'inconclusive',
      verdict: `inconclusive${where}: ${info.label} ${estimate}; the ${describeTest(t, unit)} cannot give p below ${t.smallestPossibleP.toFixed(3)}, so no difference can be shown with this many ${unit}s`,
    };
  }
  if (decisionP >= SIGNIFICANCE) {
    const detectable =
      t.smallestDetectable !== null
        ? `; it could have detected about ${formatMetricValue(opts.metric, t.smallestDetectable)}${unitSuffix(opts.metric)} (${DETECTION_POWER * 100}% power)`
        : '';
    return { ...t, outcome: 'no_difference', verdict: `no detectable difference in ${info.label}${where} (${detail}${detectable})` };
  }
  const higher = (t.difference ?? 0) > 0;
  return { ...t, outcome: higher ? 'b_higher' : 'b_lower', verdict: `${directionPhrase(opts, higher)}${where}: ${detail}` };
}

/**
 * Compares mean(b) - mean(a), paired by seed when `opts.seeds` is given. A difference is reported only when
 * the deciding test's two-sided p is below SIGNIFICANCE; with fewer than 2 finite values on either side
 * nothing is tested and the verdict says so.
 */
export function compareSamples(a: readonly (number | null)[], b: readonly (number | null)[], opts: CompareOptions): SampleComparison {
  return describeComparison(testSamples(a, b, opts), opts);
}

/** "bn reached higher validation accuracy than baseline", "bn reached the target sooner than baseline". */
function directionPhrase(opts: CompareOptions, higher: boolean): string {
  const info = { ...metricInfo(opts.metric), label: opts.label ?? metricInfo(opts.metric).label };
  if (info.higherIsBetter === null) return `${opts.b} had ${higher ? 'higher' : 'lower'} ${info.label} than ${opts.a}`;
  return `${opts.b} reached ${higher ? 'higher' : 'lower'} ${info.label} than ${opts.a}`;
}

/**
 * "p = 0.021" or "p < 0.001". A p that three decimals would round onto the threshold (0.0498, 0.0503) gets
 * as many more as it takes to show which side of SIGNIFICANCE it lies on: a "supported" claim beside
 * "p = 0.050" reads as a claim decided at p not below 0.05.
 */
export function formatP(p: number): string {
  if (p < 0.001) return 'p < 0.001';
  let decimals = 3;
  while (decimals < 6 && p !== SIGNIFICANCE && Number(p.toFixed(decimals)) === SIGNIFICANCE) decimals++;
  return `p = ${p.toFixed(decimals)}`;
}
