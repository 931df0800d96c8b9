// Batch normalization after dense (per feature) and after conv (per channel over N, H, W), in training mode
// (batch statistics, gradients through them, running update) and in evaluation mode (running statistics),
// for both running-variance conventions, with and without affine. Momentum 0.25 and epsilon 1e-2 are not
// anyone's default, so a backend that hard-codes PyTorch's or Keras's values fails.
import { expect } from 'vitest';
import { isBnxError } from '@bnx/ir';
import type { Layer } from '@bnx/ir';
import { forward, lossAndGradients, planNetwork, updateRunningStatistics } from '@bnx/core/reference';
import { checkOneStepGradients, randomBatch, scenario, toFloat64, trainSteps, type ConformanceContext, type Scenario } from '../context.js';
import { batchnorm, conv2d, dense, model, recipe, sgd, simple } from '../ir.js';
import { seededRandom } from '../random.js';

type Placement = 'dense' | 'conv';
type Convention = 'unbiased' | 'biased';

function bnModel(placement: Placement, runningVar: Convention, affine: boolean) {
  const bn = batchnorm('bn_1', { momentum: 0.25, epsilon: 1e-2, runningVar, affine });
  const layers: Layer[] =
    placement === 'dense'
      ? [dense('dense_1', 5, false), bn, simple('relu', 'relu_1'), dense('dense_2', 3)]
      : [conv2d('conv_1', 3, [3, 3], [1, 1], 'same', false), bn, simple('relu', 'relu_1'), simple('flatten', 'flatten_1'), dense('dense_2', 3)];
  return model(`bn_${placement}`, placement === 'dense' ? [4] : [2, 4, 4], layers);
}

function expectRunning(ctx: ConformanceContext, state: Record<string, { data: Float32Array }>, mean: ArrayLike<number>, variance: ArrayLike<number>): void {
  expect(state['bn_1.running_mean'], "state() has no 'bn_1.running_mean'").toBeDefined();
  expect(state['bn_1.running_var'], "state() has no 'bn_1.running_var'").toBeDefined();
  ctx.expectClose(state['bn_1.running_mean']!.data, mean, 'bn_1.running_mean');
  ctx.expectClose(state['bn_1.running_var']!.data, variance, 'bn_1.running_var');
}

export function registerBatchNormCases(ctx: ConformanceContext): void {
  let seed = 300;
  for (const placement of ['dense', 'conv'] as const) {
    for (const convention of ['unbiased', 'biased'] as const) {
      for (const affine of [true, false]) {
        const label = `after ${placement}, ${convention} running variance, ${affine ? 'affine' : 'no affine'}`;
        const m = bnModel(placement, convention, affine);
        const batchSize = placement === 'dense' ? 6 : 2;
        const trainSeed = seed++;
        const evalSeed = seed++;

        ctx.case(`batchnorm/training step ${label}`, async () => {
          const random = seededRandom(trainSeed);
          const s = scenario(m, recipe(sgd(1)), random);
          const batch = randomBatch(planNetwork(m), s.numClasses, random, batchSize);
          const { after, expected } = await checkOneStepGradients(ctx, s, batch);
          const running = updateRunningStatistics(
            { mean: Float64Array.from(s.initial['bn_1.running_mean']!.data), variance: Float64Array.from(s.initial['bn_1.running_var']!.data) },
            expected.batchStatistics['bn_1']!,
            0.25,
            convention,
          );
          expectRunning(ctx, after, running.mean, running.variance);
        });

        ctx.case(`batchnorm/evaluation after 3 steps ${label}`, async () => {
          // lr 0: the parameters stay put, so only the running statistics move, over three different batches.
          const random = seededRandom(evalSeed);
          const s: Scenario = scenario(m, recipe(sgd(0)), random);
          const plan = planNetwork(m);
          const batches = [0, 1, 2].map(() => randomBatch(plan, s.numClasses, random, batchSize));
          const params = toFloat64(s.initial);
          for (const b of batches) {
            const stats = lossAndGradients(plan, 'cross_entropy', params, b, s.numClasses).batchStatistics['bn_1']!;
            const r = updateRunningStatistics({ mean: params['bn_1.running_mean']!, variance: params['bn_1.running_var']! }, stats, 0.25, convention);
            params['bn_1.running_mean'] = r.mean;
            params['bn_1.running_var'] = r.variance;
          }
          const probe = randomBatch(plan, s.numClasses, random, 3);
          const expected = forward(plan, params, Float64Array.from(probe.x), 3, 'eval');
          await ctx.withTrainer(s, async (trainer) => {
            await trainSteps(trainer, batches, [0, 0, 0]);
            expectRunning(ctx, await trainer.state(), params['bn_1.running_mean']!, params['bn_1.running_var']!);
            const [bn, relu] = await trainer.activations(probe.x, 3, [{ layer: 'bn_1' }, { layer: 'relu_1' }]);
            ctx.expectClose(bn!, expected.inputs[2]!, 'bn_1 output in evaluation mode');
            ctx.expectClose(relu!, expected.inputs[3]!, 'relu_1 output in evaluation mode');
          });
        });
      }
    }
  }

  ctx.case('batchnorm/after conv, a batch of one sample trains (H*W values per channel)', async () => {
    const random = seededRandom(350);
    const m = bnModel('conv', 'unbiased', true);
    const s = scenario(m, recipe(sgd(1)), random);
    await checkOneStepGradients(ctx, s, randomBatch(planNetwork(m), s.numClasses, random, 1));
  });

  ctx.case('batchnorm/after dense, a batch of one sample is a BnxError in training and fine in evaluation', async () => {
    const random = seededRandom(351);
    const m = bnModel('dense', 'unbiased', true);
    const s = scenario(m, recipe(sgd(1)), random);
    const plan = planNetwork(m);
    const batch = randomBatch(plan, s.numClasses, random, 1);
    const expected = forward(plan, toFloat64(s.initial), Float64Array.from(batch.x), 1, 'eval');
    await ctx.withTrainer(s, async (trainer) => {
      const error = await trainSteps(trainer, [batch], [1]).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(isBnxError(error), `expected a BnxError, got ${String(error)}`).toBe(true);
      const [bn] = await trainer.activations(batch.x, 1, [{ layer: 'bn_1' }]);
      ctx.expectClose(bn!, expected.inputs[2]!, 'bn_1 output for one sample in evaluation mode');
    });
  });
}
