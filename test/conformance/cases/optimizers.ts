// Each optimizer for several steps against the reference's float64 run from the same state. The per-step
// learning rates differ from the recipe's lr (the driver applies schedules through TrainBatch.lr), and the
// hyper-parameters are not defaults, so each convention (momentum form, nesterov, coupled weight decay, eps
// outside the square root, bias correction) changes the result by far more than the tolerance.
// Compared: each parameter's and buffer's total change (final - initial), which is what the optimizer controls.
import { planNetwork, trainStep } from '@bnx/core/reference';
import type { Optimizer } from '@bnx/ir';
import { expect } from 'vitest';
import { randomBatch, scenario, toFloat64, trainSteps, type ConformanceContext } from '../context.js';
import { batchnorm, dense, model, recipe, sgd, simple } from '../ir.js';
import { seededRandom } from '../random.js';

export const optimizerCases: [string, Optimizer][] = [
  ['sgd', sgd(0.3)],
  ['sgd momentum', sgd(0.2, 0.9)],
  ['sgd nesterov', sgd(0.2, 0.9, true)],
  ['sgd weight decay', sgd(0.2, 0, false, 0.1)],
  ['sgd momentum and weight decay', sgd(0.2, 0.5, false, 0.1)],
  ['adam', { kind: 'adam', lr: 0.05, beta1: 0.8, beta2: 0.95, epsilon: 1e-2, weightDecay: 0 }],
  ['adam weight decay', { kind: 'adam', lr: 0.05, beta1: 0.9, beta2: 0.99, epsilon: 1e-3, weightDecay: 0.2 }],
  ['rmsprop', { kind: 'rmsprop', lr: 0.02, rho: 0.8, momentum: 0, epsilon: 1e-2 }],
  ['rmsprop momentum', { kind: 'rmsprop', lr: 0.02, rho: 0.9, momentum: 0.5, epsilon: 1e-2 }],
  // Weight decay reaches batch-norm gamma and beta too (every trainable parameter, as in torch.optim).
  ['sgd weight decay, batchnorm', sgd(0.2, 0.5, false, 0.2)],
  ['adam weight decay, batchnorm', { kind: 'adam', lr: 0.05, beta1: 0.9, beta2: 0.99, epsilon: 1e-3, weightDecay: 0.2 }],
];

/** Relative multipliers of the recipe lr for steps 0..4, standing in for a schedule. */
const LR_FACTORS = [1, 0.5, 1, 0.25, 0.75];

export function registerOptimizerCases(ctx: ConformanceContext): void {
  optimizerCases.forEach(([id, optimizer], index) => {
    ctx.case(`optimizer/${id}, 5 steps`, async () => {
      const random = seededRandom(400 + index);
      const layers = id.endsWith('batchnorm')
        ? [dense('dense_1', 6, false), batchnorm('bn_1', { momentum: 0.2 }), simple('tanh', 'tanh_1'), dense('dense_2', 3)]
        : [dense('dense_1', 6), simple('tanh', 'tanh_1'), dense('dense_2', 3)];
      const m = model(`opt_${index}`, [5], layers);
      const r = recipe(optimizer);
      const s = scenario(m, r, random);
      const plan = planNetwork(m);
      const batches = LR_FACTORS.map(() => randomBatch(plan, s.numClasses, random, 4));
      const lrs = LR_FACTORS.map((f) => f * optimizer.lr);
      const state = toFloat64(s.initial);
      const expectedLosses = batches.map((b, step) => trainStep(plan, r, state, b, s.numClasses, lrs[step]!, step + 1).loss);
      await ctx.withTrainer(s, async (trainer) => {
        const results = await trainSteps(trainer, batches, lrs);
        ctx.expectClose(
          results.map((x) => x.loss),
          expectedLosses,
          'losses of the 5 steps',
        );
        const after = await trainer.state();
        for (const name of Object.keys(s.initial)) {
          expect(after[name], `state() has no '${name}'`).toBeDefined();
          const initial = s.initial[name]!.data;
          ctx.expectClose(
            Array.from(after[name]!.data, (v, i) => v - initial[i]!),
            Array.from(state[name]!, (v, i) => v - initial[i]!),
            `change of ${name}`,
          );
        }
      });
    });
  });
}
