// Time to a target as survival data (the "event" is reaching the target). A run that never reaches it, or
// diverges first, is right-censored at its last evaluated step: all we know is that it took longer. Dropping
// such runs (as averaging the steps of the runs that got there does) throws away exactly the slow runs.
// Kaplan-Meier estimates with Greenwood's variance and the log-log ("exponential Greenwood") band as in
// scipy.stats.ecdf; the log-rank test as in scipy.stats.logrank, stratified by sweep point, with its exact
// permutation form when the relabellings can be enumerated.
import { logChoose, normalQuantile, normalTwoSidedP } from './distributions.js';

export interface SurvivalObservation {
  /** Step at which the target was first met (event) or the last step the run was evaluated (censored). */
  time: number;
  /** true: the target was reached at `time`; false: censored at `time`. */
  event: boolean;
}

export interface KaplanMeierPoint {
  time: number;
  atRisk: number;
  events: number;
  /** Estimated probability of not having reached the target by `time`. */
  survival: number;
  /** Pointwise 95% log-log band of `survival` (NaN where the formula is undefined, as in scipy). */
  low: number;
  high: number;
}

export interface KaplanMeierResult {
  points: KaplanMeierPoint[];
  /** First step at which the estimate is at or below one half; null when it never gets there. */
  median: number | null;
  /** 95% interval of the median from the band (Brookmeyer-Crowley style); an end is null when not reached. */
  medianCi95: [number | null, number | null];
  /** Share of runs that reached the target (events / runs). */
  fractionReached: number;
  runs: number;
  reached: number;
}

/** Survival levels are products of ratios, so "at or below 0.5" allows for rounding. */
const HALF = 0.5 + 1e-12;

export function kaplanMeier(observations: readonly SurvivalObservation[]): KaplanMeierResult {
  const sorted = [...observations].sort((x, y) => x.time - y.time);
  const z = normalQuantile(0.975);
  const points: KaplanMeierPoint[] = [];
  let atRisk = sorted.length;
  let survival = 1;
  let greenwood = 0;
  for (let i = 0; i < sorted.length;) {
    const time = sorted[i]!.time;
    let events = 0;
    let leaving = 0;
    while (i < sorted.length && sorted[i]!.time === time) {
      if (sorted[i]!.event) events++;
      leaving++;
      i++;
    }
    survival *= (atRisk - events) / atRisk;
    greenwood += events / (atRisk * (atRisk - events));
    const se = Math.sqrt((1 / Math.log(survival) ** 2) * greenwood);
    const centre = Math.log(-Math.log(survival));
    const low = Math.exp(-Math.exp(centre + z * se));
    const high = Math.exp(-Math.exp(centre - z * se));
    points.push({ time, atRisk, events, survival, low: clip01(low), high: clip01(high) });
    atRisk -= leaving;
  }
  // Where the band is undefined (survival 1 before any event, 0 after the last), it collapses to the estimate.
  const band = (p: KaplanMeierPoint, v: number) => (Number.isNaN(v) ? p.survival : v);
  const firstAtOrBelowHalf = (value: (p: KaplanMeierPoint) => number) => points.find((p) => value(p) <= HALF)?.time ?? null;
  const reached = observations.filter((o) => o.event).length;
  return {
    points,
    median: firstAtOrBelowHalf((p) => p.survival),
    medianCi95: [firstAtOrBelowHalf((p) => band(p, p.low)), firstAtOrBelowHalf((p) => band(p, p.high))],
    fractionReached: observations.length > 0 ? reached / observations.length : 0,
    runs: observations.length,
    reached,
  };
}

function clip01(x: number): number {
  return Number.isNaN(x) ? x : Math.min(1, Math.max(0, x));
}

/** One stratum (sweep point) of a two-group comparison: group a is the reference, b the compared variant. */
export interface SurvivalStratum {
  a: readonly SurvivalObservation[];
  b: readonly SurvivalObservation[];
}

export interface LogRankResult {
  /** Events in group b minus those expected under the null, summed over strata. */
  observedMinusExpected: number;
  variance: number;
  /** (O - E) / sqrt(V) for group b: positive when b reaches the target sooner than a. */
  z: number;
  /** Two-sided p of the normal approximation. */
  asymptoticPValue: number;
  /** Exact two-sided permutation p (labels permuted within strata); null when there are too many relabellings. */
  exactPValue: number | null;
  test: 'log_rank' | 'log_rank_exact';
  pValue: number;
  /** Number of relabellings of the exact test (product over strata of C(n, n_b)). */
  relabellings: number;
  events: number;
}

/** The exact permutation form is used up to this many relabellings (5 a side: 252; 9 a side: 48,620). */
export const LOG_RANK_EXACT_LIMIT = 100_000;

interface Contribution {
  u: number;
  v: number;
}

/** O - E and the hypergeometric variance for group b in one stratum, as scipy.stats.logrank computes them. */
function stratumContribution(times: readonly number[], events: readonly boolean[], inB: readonly boolean[]): Contribution {
  const order = times.map((_, i) => i).sort((x, y) => times[x]! - times[y]!);
  let atRisk = times.length;
  let atRiskB = inB.filter(Boolean).length;
  let u = 0;
  let v = 0;
  for (let k = 0; k < order.length;) {
    const time = times[order[k]!]!;
    let deaths = 0;
    let deathsB = 0;
    let leaving = 0;
    let leavingB = 0;
    while (k < order.length && times[order[k]!] === time) {
      const i = order[k]!;
      if (events[i]) {
        deaths++;
        if (inB[i]) deathsB++;
      }
      leaving++;
      if (inB[i]) leavingB++;
      k++;
    }
    if (deaths > 0) {
      u += deathsB - (atRiskB * deaths) / atRisk;
      if (atRisk > 1) v += (atRiskB * (atRisk - atRiskB) * deaths * (atRisk - deaths)) / (atRisk ** 2 * (atRisk - 1));
    }
    atRisk -= leaving;
    atRiskB -= leavingB;
  }
  return { u, v };
}

function zOf(u: number, v: number): number {
  if (v > 0) return u / Math.sqrt(v);
  // No information (no event with both groups at risk): the statistic is 0, not 0 / 0.
  return 0;
}

/** Every way to choose k of n indices (as boolean masks), in lexicographic order. */
function* combinations(n: number, k: number): Generator<boolean[]> {
  const idx = Array.from({ length: k }, (_, i) => i);
  while (true) {
    const mask = new Array<boolean>(n).fill(false);
    for (const i of idx) mask[i] = true;
    yield mask;
    let j = k - 1;
    while (j >= 0 && idx[j] === n - k + j) j--;
    if (j < 0) return;
    idx[j]!++;
    for (let t = j + 1; t < k; t++) idx[t] = idx[t - 1]! + 1;
  }
}

/** Stratified log-rank test of group b against group a; null when no run reached the target. */
export function logRankTest(strata: readonly SurvivalStratum[]): LogRankResult | null {
  const pooled = strata
    .filter((s) => s.a.length > 0 && s.b.length > 0)
    .map((s) => {
      const all = [...s.a, ...s.b];
      return { times: all.map((o) => o.time), events: all.map((o) => o.event), inB: all.map((_, i) => i >= s.a.length), nB: s.b.length };
    });
  const events = pooled.reduce((sum, s) => sum + s.events.filter(Boolean).length, 0);
  if (pooled.length === 0 || events === 0) return null;
  const parts = pooled.map((s) => stratumContribution(s.times, s.events, s.inB));
  const u = parts.reduce((sum, p) => sum + p.u, 0);
  const v = parts.reduce((sum, p) => sum + p.v, 0);
  const z = zOf(u, v);
  const asymptoticPValue = v > 0 ? normalTwoSidedP(z) : 1;
  const logCount = pooled.reduce((sum, s) => sum + logChoose(s.times.length, s.nB), 0);
  const relabellings = pooled.reduce((product, s) => product * Math.round(Math.exp(logChoose(s.times.length, s.nB))), 1);
  let exactPValue: number | null = null;
  if (logCount <= Math.log(LOG_RANK_EXACT_LIMIT)) {
    // Per stratum, (U, V) of every relabelling; the permutation distribution of z is over their product.
    const perStratum = pooled.map((s) => [...combinations(s.times.length, s.nB)].map((mask) => stratumContribution(s.times, s.events, mask)));
    const gamma = Math.abs(z) * 100 * Number.EPSILON;
    let lessOrEqual = 0;
    let greaterOrEqual = 0;
    let total = 0;
    const walk = (level: number, su: number, sv: number) => {
      if (level === perStratum.length) {
        const zs = zOf(su, sv);
        if (zs <= z + gamma) lessOrEqual++;
        if (zs >= z - gamma) greaterOrEqual++;
        total++;
        return;
      }
      for (const c of perStratum[level]!) walk(level + 1, su + c.u, sv + c.v);
    };
    walk(0, 0, 0);
    exactPValue = Math.min(1, (2 * Math.min(lessOrEqual, greaterOrEqual)) / total);
  }
  return {
    observedMinusExpected: u,
    variance: v,
    z,
    asymptoticPValue,
    exactPValue,
    test: exactPValue === null ? 'log_rank' : 'log_rank_exact',
    pValue: exactPValue ?? asymptoticPValue,
    relabellings,
    events,
  };
}

/**
 * Smallest two-sided p the exact log-rank test can give for strata of these sizes: the most extreme
 * relabelling is one of at least two (all of b first, all of a first), so 2 / (number of relabellings).
 */
export function smallestExactLogRankP(sizes: readonly { a: number; b: number }[]): number {
  const logCount = sizes.reduce((sum, s) => sum + logChoose(s.a + s.b, s.b), 0);
  if (logCount > Math.log(LOG_RANK_EXACT_LIMIT)) return 0;
  const count = sizes.reduce((product, s) => product * Math.round(Math.exp(logChoose(s.a + s.b, s.b))), 1);
  return Math.min(1, 2 / count);
}
