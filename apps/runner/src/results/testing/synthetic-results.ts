// A deterministic, realistic-looking results file for tests of the results and report code: a baseline
// and a batch-normalized variant over a batch sweep, three seeds, with activation and gradient probes and
// one diverged run. No training involved.
import { RESULTS_SCHEMA, type HistoryPoint, type ResultsFile, type RunResult } from '@bnx/metrics';
import { buildResults } from '../build-results.js';
import { seededRandom as prng } from '@bnx/test-support';

export interface SyntheticOptions {
  experiment?: string;
  variants?: [string, string];
  seeds?: number[];
  batches?: number[];
  evaluations?: number;
  /** A second swept setting, crossed with the batch sizes. */
  lrs?: number[];
  /** Spread of final accuracy across seeds (default 0.006); a large one with few seeds gives intervals past 0 and 1. */
  spread?: number;
  /** Mark this run (index into runs) as diverged. */
  divergeBaselineAtLargestBatch?: boolean;
}

export function syntheticResults(options: SyntheticOptions = {}): ResultsFile {
  const [baseline, bn] = options.variants ?? ['baseline', 'batchnorm'];
  const seeds = options.seeds ?? [1, 2, 3];
  const batches = options.batches ?? [32, 128, 512];
  const evaluations = options.evaluations ?? 10;
  const spread = options.spread ?? 0.006;
  const runs: RunResult[] = [];
  for (const batch of batches)
    for (const lr of options.lrs ?? [undefined]) {
      for (const variant of [baseline, bn]) {
        for (const seed of seeds) {
          const rand = prng(seed * 7919 + batch * 31 + (variant === bn ? 1 : 0) + Math.round((lr ?? 0) * 1000));
          const isBn = variant === bn;
          const final = Math.min(0.999, (isBn ? 0.965 : 0.94) - batch / 20000 + (rand() - 0.5) * spread);
          const speed = isBn ? 3 : 1.5;
          const history: HistoryPoint[] = [];
          const stepsPerEval = Math.round(60000 / batch / 2);
          for (let i = 1; i <= evaluations; i++) {
            const progress = (1 - Math.exp(((-speed * i) / evaluations) * 3)) / (1 - Math.exp(-speed * 3));
            const val = Math.min(0.999, 0.1 + (final - 0.1) * progress + (rand() - 0.5) * spread * (2 / 3));
            history.push({
              step: i * stepsPerEval,
              epoch: i / 2,
              train_loss: 2.3 * (1 - val) * 0.9,
              train_accuracy: Math.min(1, val + 0.01),
              val_loss: 2.3 * (1 - val),
              val_accuracy: val,
              seconds: (i * stepsPerEval * batch) / (isBn ? 40000 : 56000),
            });
          }
          const diverged = options.divergeBaselineAtLargestBatch === true && !isBn && batch === batches[batches.length - 1] && seed === seeds[0];
          if (diverged) {
            history.splice(3);
            history[2]!.train_loss = null;
            history[2]!.val_loss = null;
          }
          const steps = history.map((h) => h.step);
          const id = `${variant}__batch=${batch}${lr === undefined ? '' : `__lr=${lr}`}__seed=${seed}`;
          runs.push({
            id,
            variant,
            seed,
            params: lr === undefined ? { batch } : { batch, lr },
            status: diverged ? 'diverged' : 'completed',
            history,
            test: diverged ? null : { loss: 2.3 * (1 - final), accuracy: final },
            probes: {
              activations: [
                {
                  layer: 'dense_3',
                  point: 'pre_activation',
                  percentiles: [15, 50, 85],
                  steps,
                  values: steps.map((_, i) => {
                    const drift = isBn ? 0.02 * i : 0.3 * i;
                    return [-1 + drift * 0.5, drift, 1 + drift * 1.5];
                  }),
                },
              ],
              grad_norm: {
                steps,
                norms: Object.fromEntries(
                  ['dense_1.weight', 'dense_2.weight', 'dense_3.weight'].map((layer, j) => [
                    layer,
                    steps.map((_, i) => (isBn ? 0.5 : 0.2 / (j + 1)) * Math.exp(-i / 5) + rand() * 0.01),
                  ]),
                ),
              },
              ...(isBn
                ? {
                    bn_stats: {
                      steps,
                      layers: {
                        bn_1: {
                          running_mean_mean: steps.map((_, k) => 0.3 * (1 - Math.exp(-k / 3))),
                          running_mean_std: steps.map(() => 0.1),
                          running_var_mean: steps.map((_, k) => 1 + 2 * (1 - Math.exp(-k / 3))),
                          running_var_std: steps.map(() => 0.2),
                        },
                      },
                    },
                  }
                : {}),
            },
            samples_per_second: (isBn ? 40000 : 56000) * (1 + (rand() - 0.5) * 0.05),
            diverged_at_step: diverged ? history[2]!.step : null,
          });
        }
      }
    }
  return buildResults(
    {
      schema: RESULTS_SCHEMA,
      experiment: options.experiment ?? 'batch_sweep',
      source_file: 'examples/synthetic.bnx',
      backend: 'onnx',
      device: 'cpu',
      engine: null,
      started_at: '2026-01-01T00:00:00.000Z',
      finished_at: '2026-01-01T00:10:00.000Z',
      bnx_version: '0.1.0',
      variants: [
        { name: baseline, batchnorm: false, base: 'mlp' },
        { name: bn, batchnorm: true, base: 'mlp' },
      ],
      sweeps: [{ key: 'batch', values: batches }, ...(options.lrs ? [{ key: 'lr', values: options.lrs }] : [])],
      seeds,
      target: { metric: 'val_accuracy', op: '>=', value: 0.9 },
    },
    runs,
  );
}
