// Stability of an activation distribution over training (Ioffe & Szegedy 2015, Figure 1): how far the
// tracked percentiles move while the network trains, relative to the width of the distribution.
import type { ActivationTrace } from './results-types.js';
import { finiteValues, mean } from './sample-summary.js';

export interface ActivationDrift {
  layer: string;
  point: ActivationTrace['point'];
  /** Per tracked percentile, max minus min of its value over training. */
  ranges: number[];
  /** Mean over training of the distance between the outer tracked percentiles (e.g. p85 - p15). */
  meanSpread: number;
  /**
   * Mean percentile range divided by the mean spread: 0 means the distribution never moved; 1 means the
   * percentiles wandered as far as the distribution is wide. Scale-free, so a normalized and an
   * unnormalized layer can be compared.
   */
  relativeDrift: number;
}

export function activationDrift(trace: ActivationTrace): ActivationDrift | null {
  const k = trace.percentiles.length;
  if (k < 2 || trace.values.length < 2) return null;
  const ranges: number[] = [];
  for (let j = 0; j < k; j++) {
    const column = finiteValues(trace.values.map((row) => row[j] ?? null));
    if (column.length < 2) return null;
    // A loop, not Math.max(...column): a long run's trace has more points than a call takes arguments.
    let low = Infinity;
    let high = -Infinity;
    for (const v of column) {
      if (v < low) low = v;
      if (v > high) high = v;
    }
    ranges.push(high - low);
  }
  const lo = trace.percentiles.indexOf(Math.min(...trace.percentiles));
  const hi = trace.percentiles.indexOf(Math.max(...trace.percentiles));
  const spreads = finiteValues(trace.values.map((row) => (row[hi] ?? NaN) - (row[lo] ?? NaN)));
  if (spreads.length === 0) return null;
  const meanSpread = mean(spreads);
  if (!(meanSpread > 0)) return null;
  return { layer: trace.layer, point: trace.point, ranges, meanSpread, relativeDrift: mean(ranges) / meanSpread };
}
