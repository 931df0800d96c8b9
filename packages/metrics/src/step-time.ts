// What batch normalization costs per step: throughput of each variant against the reference at the same
// sweep point (same batch), so the ratio of samples/s is the ratio of step times.
import { groupRuns } from './group-runs.js';
import type { RunResult, SweepValue } from './results-types.js';
import { finiteValues, mean } from './sample-summary.js';

export interface StepTimeOverhead {
  params: Record<string, SweepValue>;
  variant: string;
  reference: string;
  /** Mean samples/s of each. */
  samplesPerSecond: number;
  referenceSamplesPerSecond: number;
  /** Step time of `variant` divided by that of `reference`: 1.4 means 40% slower per step. */
  ratio: number;
}

export function stepTimeOverhead(runs: readonly RunResult[], reference: string): StepTimeOverhead[] {
  const out: StepTimeOverhead[] = [];
  for (const point of groupRuns(runs)) {
    const ref = finiteValues((point.byVariant.get(reference) ?? []).map((r) => r.samples_per_second)).filter((v) => v > 0);
    if (ref.length === 0) continue;
    const refMean = mean(ref);
    for (const [variant, list] of point.byVariant) {
      if (variant === reference) continue;
      const sps = finiteValues(list.map((r) => r.samples_per_second)).filter((v) => v > 0);
      if (sps.length === 0) continue;
      const m = mean(sps);
      out.push({ params: point.params, variant, reference, samplesPerSecond: m, referenceSamplesPerSecond: refMean, ratio: refMean / m });
    }
  }
  return out;
}
