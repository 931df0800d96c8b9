// What every claim rule shares: the draft a rule returns before the family's Holm adjustment decides it, the
// pair of variants it compares, and per-seed pairing (one value per seed, averaged over its sweep points,
// because runs sharing a seed share its split and data order and are not independent).
import { DETECTION_POWER, describeTest, formatP, SIGNIFICANCE, smallestDetectableEffect } from './compare-samples.js';
import { referenceVariant } from './compare-variants.js';
import { finalMetrics } from './final-metrics.js';
import { paramsKey, variantNames } from './group-runs.js';
import { pairedTest, type PairedTestResult } from './paired-test.js';
import type { ClaimId } from '@bnx/ir';
import type { RunResult, SweepValue, TargetSpec, TestName, VariantInfo } from './results-types.js';
import { mean } from './sample-summary.js';

export interface ClaimInput {
  runs: readonly RunResult[];
  variants?: readonly VariantInfo[];
  /** The declared target (the file's `target:`), or null. Never a level taken from the results. */
  target?: TargetSpec | null;
  /**
   * The file's `claims: [...]`: the whole family, each claim tested (or reported untested) even where the data
   * cannot decide it. Absent or null: every claim tested by default whose instrument the runs have.
   */
  claims?: readonly ClaimId[] | null;
}

export interface Pair {
  baseline: string;
  bn: string;
}

/** A claim's test before the family's adjustment decides its status. */
export interface ClaimDraft {
  claim: ClaimId;
  endpoint: string;
  test: TestName;
  pValue: number | null;
  smallestPossibleP: number;
  /** Which way the estimate points, relative to the claim; null for no difference at all. */
  direction: 'supports' | 'contradicts' | null;
  /** false when the effect is below the claim's practical threshold (activation stability). */
  largeEnough: boolean;
  /** Why nothing was tested; null when a test ran. */
  untested: string | null;
  /** Seeds the test used: pairs, or for log-rank the seeds of the runs. */
  nSeeds: number;
  heads: { supported: string; contradicted: string; not_shown: string };
  observed: string;
  /** "exact sign-flip test over 3 seeds". */
  testLabel: string;
  testText: string;
  /** "it could have detected about ..."; null when the test cannot say. */
  detectable: string | null;
  /** Sentence appended to the verdict (divergence counts, a change below the practical threshold). */
  note: string;
  /** For an effect below the claim's practical threshold: ", but by less than ..." after the direction it points. */
  shortOfThreshold?: string | null;
  evidence: Record<string, unknown>;
}

export function pickPair(input: ClaimInput): Pair | null {
  const names = variantNames(input.runs);
  const baseline = referenceVariant(names, input.variants);
  const isBn = (n: string) => input.variants?.find((v) => v.name === n)?.batchnorm ?? /(^|[^a-z])bn|batch_?norm/i.test(n);
  const bn = names.find((n) => n !== baseline && isBn(n));
  if (!baseline || !bn || isBn(baseline)) return null;
  return { baseline, bn };
}

/** The accuracy a claim judges by: validation accuracy when the runs have it, else test accuracy. */
export function accuracyMetric(runs: readonly RunResult[]): 'val_accuracy' | 'test_accuracy' {
  return runs.some((r) => r.history.some((h) => h.val_accuracy !== null)) ? 'val_accuracy' : 'test_accuracy';
}

/**
 * A run's final accuracy as a claim endpoint: a diverged run produced no usable model and counts as 0
 * (leaving it out would hide exactly the failures being measured); a failed or interrupted run is missing.
 */
export function finalAccuracy(run: RunResult, metric: 'val_accuracy' | 'test_accuracy'): number | null {
  if (run.status === 'diverged') return 0;
  if (run.status !== 'completed') return null;
  return finalMetrics(run, null)[metric] ?? null;
}

export function sweptValues(runs: readonly RunResult[], key: string): SweepValue[] {
  const values = new Set<SweepValue>();
  for (const r of runs) if (key in r.params) values.add(r.params[key]!);
  return [...values];
}

/** The sweep point without `key`: runs that differ only in `key` share it. */
export function othersKey(params: Record<string, SweepValue>, key?: string): string {
  return paramsKey(Object.fromEntries(Object.entries(params).filter(([k]) => k !== key)));
}

export function fmtPct(x: number | null): string {
  return x === null || !Number.isFinite(x) ? 'n/a' : `${(x * 100).toFixed(1)}%`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Per-seed values of one variant: the mean over the seed's groups (sweep points, or combinations of the other
 * settings) of a per-run or per-group value. Averaging within a seed first keeps one value per seed, because
 * runs sharing a seed share its split and data order and are not independent.
 */
export function meansBySeed(entries: readonly { seed: number; group: string; value: number | null }[]): Map<number, Map<string, number>> {
  const out = new Map<number, Map<string, number>>();
  for (const e of entries) {
    if (e.value === null || !Number.isFinite(e.value)) continue;
    const groups = out.get(e.seed) ?? new Map<string, number>();
    groups.set(e.group, e.value);
    out.set(e.seed, groups);
  }
  return out;
}

export interface PairedBySeed {
  seeds: number[];
  /** Per seed, mean over the groups both variants have of (bn - baseline). */
  differences: number[];
  baseline: number[];
  bn: number[];
  test: PairedTestResult | null;
}

export function pairBySeed(base: Map<number, Map<string, number>>, bn: Map<number, Map<string, number>>): PairedBySeed {
  const seeds: number[] = [];
  const differences: number[] = [];
  const baseline: number[] = [];
  const bnValues: number[] = [];
  for (const [seed, groupsA] of [...base].sort((x, y) => x[0] - y[0])) {
    const groupsB = bn.get(seed);
    if (!groupsB) continue;
    const shared = [...groupsA.keys()].filter((g) => groupsB.has(g));
    if (shared.length === 0) continue;
    const a = mean(shared.map((g) => groupsA.get(g)!));
    const b = mean(shared.map((g) => groupsB.get(g)!));
    seeds.push(seed);
    baseline.push(a);
    bnValues.push(b);
    differences.push(b - a);
  }
  return { seeds, differences, baseline, bn: bnValues, test: pairedTest(differences) };
}

/** The parts of a draft that come from a paired test on per-seed values; `lowerSupports` when smaller values favour the claim. */
export function pairedDraft(
  p: PairedBySeed,
  lowerSupports: boolean,
  format: (x: number) => string,
  unit: string,
): Pick<ClaimDraft, 'test' | 'pValue' | 'smallestPossibleP' | 'direction' | 'untested' | 'nSeeds' | 'testLabel' | 'testText' | 'detectable'> {
  const t = p.test;
  if (!t) {
    return {
      test: 'none',
      pValue: null,
      smallestPossibleP: 1,
      direction: null,
      untested: `${plural(p.seeds.length, 'seed')} with values for both variants, so nothing was tested`,
      nSeeds: p.seeds.length,
      testLabel: 'no test',
      testText: 'no test',
      detectable: null,
    };
  }
  const label = describeTest({ test: t.test, nA: t.n, nB: t.n, nPairs: t.n });
  const zero = t.difference === 0 || (t.sd === 0 && t.signFlipPValue === 1);
  const favours = t.difference < 0 === lowerSupports;
  const ci = t.ci95 ? `, 95% CI [${format(t.ci95[0])}, ${format(t.ci95[1])}]` : '';
  const detectable =
    t.test === 'paired_t'
      ? `it could have detected a mean per-seed difference of about ${format(smallestDetectableEffect(t.sd / Math.sqrt(t.n), t.n - 1))}${unit} (${DETECTION_POWER * 100}% power, p < ${SIGNIFICANCE})`
      : null;
  return {
    test: t.test,
    pValue: t.pValue,
    smallestPossibleP: t.smallestPossibleP,
    direction: zero ? null : favours ? 'supports' : 'contradicts',
    untested: null,
    nSeeds: t.n,
    testLabel: label,
    testText: `mean per-seed difference ${format(t.difference)}${unit}${ci}; ${label}, ${formatP(t.pValue)}`,
    detectable,
  };
}

export function signed(x: number, digits: number, scale = 1): string {
  const v = x * scale;
  return `${v > 0 ? '+' : ''}${v.toFixed(digits)}`;
}
