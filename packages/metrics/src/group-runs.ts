// Runs grouped by sweep point and variant, in the order the plan lists them.
import type { RunResult, SweepValue } from './results-types.js';

/** A stable key for a params object, independent of key order. */
export function paramsKey(params: Record<string, SweepValue>): string {
  return JSON.stringify(
    Object.keys(params)
      .sort()
      .map((k) => [k, params[k]]),
  );
}

/** "batch 128, lr 0.1"; empty params give "". */
export function describeParams(params: Record<string, SweepValue>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k.replace(/_/g, ' ')} ${String(v)}`)
    .join(', ');
}

export interface SweepPoint {
  params: Record<string, SweepValue>;
  /** Runs of each variant at this point, seeds ascending. */
  byVariant: Map<string, RunResult[]>;
}

/** Sweep points in first-seen order; within each, variants in first-seen order. */
export function groupRuns(runs: readonly RunResult[]): SweepPoint[] {
  const points = new Map<string, SweepPoint>();
  for (const run of runs) {
    const key = paramsKey(run.params);
    let point = points.get(key);
    if (!point) {
      point = { params: run.params, byVariant: new Map() };
      points.set(key, point);
    }
    const list = point.byVariant.get(run.variant) ?? [];
    list.push(run);
    point.byVariant.set(run.variant, list);
  }
  for (const point of points.values()) {
    for (const list of point.byVariant.values()) list.sort((a, b) => a.seed - b.seed);
  }
  return [...points.values()];
}

/** Variant names in first-seen order. */
export function variantNames(runs: readonly RunResult[]): string[] {
  return [...new Set(runs.map((r) => r.variant))];
}
