// What each final metric means, which direction is better, and how to say its numbers in words.

export interface MetricInfo {
  name: string;
  /** Words for a verdict: "validation accuracy". */
  label: string;
  /** Whether a larger value is better; null when neither is (step time is reported, not judged). */
  higherIsBetter: boolean | null;
  /** 'points': a fraction shown as percentage points; 'plain': the number itself; 'seconds'; 'steps'. */
  unit: 'points' | 'plain' | 'seconds' | 'steps' | 'samples_per_second';
}

export const METRICS: Record<string, MetricInfo> = {
  val_accuracy: { name: 'val_accuracy', label: 'validation accuracy', higherIsBetter: true, unit: 'points' },
  val_loss: { name: 'val_loss', label: 'validation loss', higherIsBetter: false, unit: 'plain' },
  train_accuracy: { name: 'train_accuracy', label: 'training accuracy', higherIsBetter: true, unit: 'points' },
  train_loss: { name: 'train_loss', label: 'training loss', higherIsBetter: false, unit: 'plain' },
  test_accuracy: { name: 'test_accuracy', label: 'test accuracy', higherIsBetter: true, unit: 'points' },
  test_loss: { name: 'test_loss', label: 'test loss', higherIsBetter: false, unit: 'plain' },
  generalization_gap: { name: 'generalization_gap', label: 'generalization gap (train minus validation accuracy)', higherIsBetter: false, unit: 'points' },
  val_loss_auc: { name: 'val_loss_auc', label: 'mean validation loss over training (area under the curve per step)', higherIsBetter: false, unit: 'plain' },
  steps_to_target: { name: 'steps_to_target', label: 'steps to reach the target', higherIsBetter: false, unit: 'steps' },
  seconds_to_target: { name: 'seconds_to_target', label: 'seconds to reach the target', higherIsBetter: false, unit: 'seconds' },
  samples_per_second: { name: 'samples_per_second', label: 'training throughput', higherIsBetter: null, unit: 'samples_per_second' },
};

/** The metrics compared between variants at every sweep point, in report order. */
export const COMPARED_METRICS = ['val_accuracy', 'val_loss', 'test_accuracy', 'steps_to_target'] as const;

export function metricInfo(name: string): MetricInfo {
  return METRICS[name] ?? { name, label: name.replace(/_/g, ' '), higherIsBetter: null, unit: 'plain' };
}

/** The split the val_* metrics were measured on: the test split when no run had a validation split (`validation: 0`). */
export type EvaluationSplit = 'validation' | 'test';

export function evaluationSplit(runs: readonly { eval_split?: EvaluationSplit }[]): EvaluationSplit {
  return runs.length > 0 && runs.every((r) => r.eval_split === 'test') ? 'test' : 'validation';
}

/** A metric's words for the split it was measured on: val_accuracy of runs without a validation split is "test-split accuracy". */
export function metricLabel(name: string, split: EvaluationSplit = 'validation'): string {
  const label = metricInfo(name).label;
  return split === 'test' && name.startsWith('val_') ? label.replace('validation', 'test-split') : label;
}

/** A value in the metric's reporting unit: accuracy as percentage points, others as they are. */
export function formatMetricValue(name: string, value: number | null, signed = false): string {
  if (value === null || !Number.isFinite(value)) return 'n/a';
  const info = metricInfo(name);
  const sign = signed && value > 0 ? '+' : '';
  switch (info.unit) {
    case 'points':
      return `${sign}${(value * 100).toFixed(1)}`;
    case 'steps':
      return `${sign}${Math.round(value)}`;
    case 'seconds':
      return `${sign}${value.toFixed(2)}`;
    case 'samples_per_second':
      return `${sign}${Math.round(value)}`;
    default:
      return `${sign}${formatPlain(value)}`;
  }
}

/**
 * A number in plain decimals, never in exponent notation (a table that reads "0.0038 ± 0.0084" beside
 * "1.16e-4 ± 8.21e-5" makes the reader convert): three decimals from 0.1, four below, two significant
 * digits below 0.00005 (0.000082), whole numbers from 100,000.
 */
export function formatPlain(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e5) return value.toLocaleString('en-US', { maximumFractionDigits: 0, useGrouping: false });
  if (abs !== 0 && abs < 5e-5) return value.toLocaleString('en-US', { maximumSignificantDigits: 2, useGrouping: false });
  return value.toFixed(abs < 0.1 ? 4 : 3);
}

/** The unit word after a number: "points", "s", "steps" or nothing. */
export function unitSuffix(name: string): string {
  switch (metricInfo(name).unit) {
    case 'points':
      return ' points';
    case 'seconds':
      return ' s';
    case 'steps':
      return ' steps';
    case 'samples_per_second':
      return ' samples/s';
    default:
      return '';
  }
}
