// One run's final numbers: the last evaluation, the test result and the derived measures.
import type { HistoryPoint, RunResult, TargetSpec } from './results-types.js';
import { timeToTarget } from './target.js';

function finite(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * Area under the validation-loss curve (trapezoids over steps) divided by the steps it spans: the mean
 * validation loss over training, comparable between runs of different lengths. null with under 2 points
 * or a non-finite loss (a diverged run has no meaningful area).
 */
export function valLossAuc(history: readonly HistoryPoint[]): number | null {
  const points = history.filter((p) => p.val_loss !== null);
  if (points.length < 2) return null;
  let area = 0;
  for (let i = 1; i < points.length; i++) {
    const prev = points[i - 1]!;
    const cur = points[i]!;
    const a = finite(prev.val_loss);
    const b = finite(cur.val_loss);
    if (a === null || b === null) return null;
    area += ((a + b) / 2) * (cur.step - prev.step);
  }
  const span = points[points.length - 1]!.step - points[0]!.step;
  return span > 0 ? area / span : null;
}

/**
 * Final metrics of a run, keyed as in the metric catalogue. A diverged or failed run keeps what it measured
 * before it stopped for time-to-target, but its final losses and accuracies are null: numbers from a run
 * that blew up are not comparable with finished ones, and divergence is counted separately.
 */
export function finalMetrics(run: RunResult, target: TargetSpec | null): Record<string, number | null> {
  const finished = run.status === 'completed';
  const last = run.history.length > 0 ? run.history[run.history.length - 1]! : null;
  const take = (v: number | null | undefined) => (finished ? finite(v) : null);
  const trainAcc = take(last?.train_accuracy);
  const valAcc = take(last?.val_accuracy);
  const reached = target ? timeToTarget(run, target) : null;
  return {
    val_accuracy: valAcc,
    val_loss: take(last?.val_loss),
    train_accuracy: trainAcc,
    train_loss: take(last?.train_loss),
    test_accuracy: take(run.test?.accuracy),
    test_loss: take(run.test?.loss),
    generalization_gap: trainAcc !== null && valAcc !== null ? trainAcc - valAcc : null,
    val_loss_auc: finished ? valLossAuc(run.history) : null,
    steps_to_target: reached ? reached.step : null,
    seconds_to_target: reached ? reached.seconds : null,
    samples_per_second: finite(run.samples_per_second),
  };
}
