// Builders for RunResult fixtures in tests: a run whose curves rise towards a chosen final accuracy.
import type { HistoryPoint, RunResult, RunStatus, SweepValue } from '../results-types.js';

export interface FakeRunOptions {
  variant: string;
  seed: number;
  params?: Record<string, SweepValue>;
  finalAccuracy: number;
  /** Evaluations at steps stepEvery, 2*stepEvery, ... */
  evaluations?: number;
  stepEvery?: number;
  /** Steps per second, for the seconds column. */
  stepsPerSecond?: number;
  status?: RunStatus;
  samplesPerSecond?: number | null;
  /** Speed at which accuracy approaches its final value: larger is faster. */
  rate?: number;
}

export function fakeRun(o: FakeRunOptions): RunResult {
  const evaluations = o.evaluations ?? 5;
  const stepEvery = o.stepEvery ?? 100;
  const sps = o.stepsPerSecond ?? 1000;
  const rate = o.rate ?? 1;
  const history: HistoryPoint[] = [];
  for (let i = 1; i <= evaluations; i++) {
    const step = i * stepEvery;
    const progress = 1 - Math.exp((-rate * 3 * i) / evaluations);
    const acc = 0.1 + (o.finalAccuracy - 0.1) * (progress / (1 - Math.exp(-rate * 3)));
    history.push({
      step,
      epoch: i,
      train_loss: 2.3 * (1 - acc) + 0.01,
      train_accuracy: Math.min(1, acc + 0.01),
      val_loss: 2.3 * (1 - acc) + 0.02,
      val_accuracy: acc,
      seconds: step / sps,
    });
  }
  const status = o.status ?? 'completed';
  if (status === 'diverged') {
    const last = history[history.length - 1]!;
    last.train_loss = null;
    last.val_loss = null;
  }
  const params = o.params ?? {};
  const id = [o.variant, ...Object.entries(params).map(([k, v]) => `${k}=${String(v)}`), `seed=${o.seed}`].join('__');
  return {
    id,
    variant: o.variant,
    seed: o.seed,
    params,
    status,
    history,
    test: status === 'completed' ? { loss: 2.3 * (1 - o.finalAccuracy), accuracy: o.finalAccuracy } : null,
    probes: {},
    samples_per_second: o.samplesPerSecond === undefined ? 50_000 : o.samplesPerSecond,
    diverged_at_step: status === 'diverged' ? history[history.length - 1]!.step : null,
  };
}

export interface CurveRunOptions {
  variant: string;
  seed: number;
  params?: Record<string, SweepValue>;
  /** Validation accuracy at each evaluation (steps stepEvery, 2*stepEvery, ...). */
  valAccuracy: readonly number[];
  stepEvery?: number;
  status?: RunStatus;
  /** Relative drift pattern of an activations probe: the percentiles move by this much per evaluation. */
  activationDrift?: number;
}

/** A run with exactly the validation-accuracy curve given (and, optionally, an activations probe). */
export function curveRun(o: CurveRunOptions): RunResult {
  const stepEvery = o.stepEvery ?? 100;
  const history: HistoryPoint[] = o.valAccuracy.map((acc, i) => ({
    step: (i + 1) * stepEvery,
    epoch: i + 1,
    train_loss: 2.3 * (1 - acc),
    train_accuracy: Math.min(1, acc + 0.01),
    val_loss: 2.3 * (1 - acc) + 0.01,
    val_accuracy: acc,
    seconds: ((i + 1) * stepEvery) / 1000,
  }));
  const status = o.status ?? 'completed';
  const params = o.params ?? {};
  const last = o.valAccuracy[o.valAccuracy.length - 1] ?? null;
  const run: RunResult = {
    id: [o.variant, ...Object.entries(params).map(([k, v]) => `${k}=${String(v)}`), `seed=${o.seed}`].join('__'),
    variant: o.variant,
    seed: o.seed,
    params,
    status,
    history,
    test: status === 'completed' && last !== null ? { loss: 2.3 * (1 - last), accuracy: last } : null,
    probes: {},
    samples_per_second: 50_000,
    diverged_at_step: status === 'diverged' ? (history.at(-1)?.step ?? 0) : null,
  };
  if (o.activationDrift !== undefined) {
    const d = o.activationDrift;
    run.probes.activations = [
      {
        layer: 'last_hidden',
        point: 'pre_activation',
        percentiles: [15, 50, 85],
        steps: history.map((h) => h.step),
        values: history.map((_, i) => [-1 + d * i, d * i, 1 + d * i]),
      },
    ];
  }
  return run;
}
