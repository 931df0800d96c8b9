// One training step of the reference: forward in training mode, loss, backward, optimizer update, running
// statistics. `lossAndGradients` is the pure part, which the conformance suite uses as its oracle.
import type { BatchNormLayer, Loss, TrainIR } from '@bnx/ir';
import { BnxError } from '@bnx/ir';
import { updateRunningStatistics, type BatchNormTrainResult, type BatchStatistics } from './batchnorm.js';
import { computeLoss, countCorrect } from './losses.js';
import { backward, forward, logitsOf, type Float64Params } from './network.js';
import { applyOptimizer, optimizerSlotNames } from './optimizers.js';
import type { NetworkPlan } from './plan.js';

export interface ReferenceBatch {
  x: Float32Array | Float64Array;
  y: Int32Array;
  size: number;
  /** Per dropout layer name: size * prod(layer input) values, each 0 or 1/(1-rate). */
  dropoutMasks?: Record<string, Float32Array>;
}

export interface LossAndGradients {
  loss: number;
  correct: number;
  logits: Float64Array;
  /** dLoss/dparam for every trainable parameter. */
  gradients: Float64Params;
  /** Per batchnorm layer name, the batch statistics of this step (biased variance). */
  batchStatistics: Record<string, BatchStatistics>;
}

export function lossAndGradients(net: NetworkPlan, loss: Loss, params: Float64Params, batch: ReferenceBatch, numClasses: number): LossAndGradients {
  if (net.outputSize !== numClasses) {
    throw new BnxError(
      `model '${net.model.name}' ends with ${net.outputSize} outputs but the data has ${numClasses} classes: the last layer must give one logit per class`,
    );
  }
  const pass = forward(net, params, Float64Array.from(batch.x), batch.size, 'train', batch.dropoutMasks ?? {});
  const logits = logitsOf(pass);
  const dims = { batch: batch.size, classes: numClasses };
  const result = computeLoss(loss, logits, batch.y, dims);
  const gradients = backward(net, params, pass, result.dlogits);
  const batchStatistics: Record<string, BatchStatistics> = {};
  net.layers.forEach(({ layer }, index) => {
    const saved = pass.saved.get(index) as BatchNormTrainResult | undefined;
    if (layer.op === 'batchnorm' && saved !== undefined) batchStatistics[layer.name] = saved.stats;
  });
  return { loss: result.loss, correct: countCorrect(logits, batch.y, dims), logits, gradients, batchStatistics };
}

/** Sum of squares, square-rooted: the L2 norm the grad_norm probe reports. */
export function l2Norm(values: Float64Array): number {
  let sum = 0;
  for (const v of values) sum += v * v;
  return Math.sqrt(sum);
}

/**
 * Applies one step to `state` in place (parameters, running statistics, optimizer slots; missing slots start
 * at zero) and returns the pure part's result.
 * @param t 1-based update count for Adam's bias correction; the backend passes TrainBatch.step + 1.
 */
export function trainStep(
  net: NetworkPlan,
  recipe: TrainIR,
  state: Float64Params,
  batch: ReferenceBatch,
  numClasses: number,
  lr: number,
  t: number,
): LossAndGradients {
  const result = lossAndGradients(net, recipe.loss, state, batch, numClasses);
  const slotNames = optimizerSlotNames(recipe.optimizer);
  for (const { params } of net.layers) {
    for (const spec of params) {
      if (!spec.trainable) continue;
      const param = state[spec.name]!;
      const slots: Record<string, Float64Array> = {};
      for (const s of slotNames) slots[s] = state[`${spec.name}.${s}`] ??= new Float64Array(param.length);
      applyOptimizer(recipe.optimizer, param, result.gradients[spec.name]!, slots, lr, t);
    }
  }
  for (const { layer } of net.layers) {
    if (layer.op !== 'batchnorm') continue;
    const bn: BatchNormLayer = layer;
    const stats = result.batchStatistics[bn.name]!;
    const running = updateRunningStatistics(
      { mean: state[`${bn.name}.running_mean`]!, variance: state[`${bn.name}.running_var`]! },
      stats,
      bn.momentum,
      bn.runningVar,
    );
    state[`${bn.name}.running_mean`] = running.mean;
    state[`${bn.name}.running_var`] = running.variance;
  }
  return result;
}
