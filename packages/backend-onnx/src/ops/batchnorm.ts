// batchnorm. Training mode normalizes with the batch's mean and biased variance over every axis but the
// channel axis and updates the running statistics in the graph (momentum = weight of the NEW batch, the
// running variance unbiased by m/(m-1) or biased as the layer says). Inference mode is ONNX's own
// BatchNormalization with the running statistics.
import type { BatchNormLayer } from '@bnx/ir';
import { f } from '../graph-builder.js';
import type { GraphBuilder } from '../graph-builder.js';
import type { ForwardResult, OpContext, OpRule } from './op-rule.js';
import { param } from './op-rule.js';

/**
 * Sum or mean over the statistic axes. For images the spatial axes go first (contiguous memory), then the
 * batch axis: equal-sized groups make the mean of means the mean.
 */
function reduceChannels(ctx: OpContext, g: GraphBuilder, kind: 'sum' | 'mean', t: string, keepdims: 0 | 1): string {
  const reduce = (v: string, axes: number[], keep: 0 | 1) => (kind === 'sum' ? g.reduceSum(v, axes, keep) : g.reduceMean(v, axes, keep));
  if (ctx.shaped.inShape.length !== 3) return reduce(t, [0], keepdims);
  const perChannelSum = reduce(reduce(t, [2, 3], 1), [0], 1); // [1, C, 1, 1]
  return keepdims ? perChannelSum : g.reshape(perChannelSum, [-1]);
}

/** A per-channel vector [C] reshaped to broadcast against the layer input. */
function perChannel(ctx: OpContext, g: GraphBuilder, v: string): string {
  const c = ctx.shaped.inShape[0]!;
  return ctx.shaped.inShape.length === 3 ? g.reshape(v, [1, c, 1, 1]) : v;
}

export const batchnormRule: OpRule = {
  forward(ctx, x): ForwardResult {
    const { g } = ctx;
    const layer = ctx.shaped.layer as BatchNormLayer;
    const c = ctx.shaped.inShape[0]!;
    const runMean = param(ctx, 'running_mean');
    const runVar = param(ctx, 'running_var');
    if (ctx.mode === 'infer') {
      const gamma = ctx.params.gamma ?? g.constFloat(new Array<number>(c).fill(1), [c]);
      const beta = ctx.params.beta ?? g.constFloat(new Array<number>(c).fill(0), [c]);
      const y = g.node('BatchNormalization', [x, gamma, beta, runMean, runVar], { epsilon: f(layer.epsilon) });
      return { y, saved: {} };
    }
    const mean = reduceChannels(ctx, g, 'mean', x, 1);
    const centered = g.sub(x, mean);
    const variance = reduceChannels(ctx, g, 'mean', g.mul(centered, centered), 1);
    const invStd = g.node('Reciprocal', [g.node('Sqrt', [g.add(variance, g.constFloat(layer.epsilon))])]);
    const xhat = g.mul(centered, invStd);
    const y = ctx.params.gamma
      ? g.add(g.mul(xhat, perChannel(ctx, g, ctx.params.gamma)), perChannel(ctx, g, param(ctx, 'beta')))
      : xhat;

    // Running statistics: (1 - momentum)·old + momentum·batch.
    const m = layer.momentum;
    const batchMean = g.reshape(mean, [c]);
    let batchVar = g.reshape(variance, [c]);
    if (layer.runningVar === 'unbiased') {
      const count = g.div(g.node('Cast', [g.node('Size', [x])], { to: 1 }), g.constFloat(c));
      batchVar = g.mul(batchVar, g.div(count, g.sub(count, g.constFloat(1))));
    }
    const blend = (old: string, batch: string) => g.add(g.scale(old, 1 - m), g.scale(batch, m));
    return {
      y,
      saved: { xhat, invStd },
      bufferUpdates: { running_mean: blend(runMean, batchMean), running_var: blend(runVar, batchVar) },
    };
  },
  gradient(ctx, { fwd, dy, needDx }) {
    const { g } = ctx;
    const c = ctx.shaped.inShape[0]!;
    const xhat = fwd.saved.xhat!;
    const invStd = fwd.saved.invStd!;
    // Per-channel sums, which are also the affine gradients: dgamma = Σ dy·xhat, dbeta = Σ dy.
    const sumDyXhat = reduceChannels(ctx, g, 'sum', g.mul(dy, xhat), 0);
    const sumDy = reduceChannels(ctx, g, 'sum', dy, 0);
    const grads: Record<string, string> = ctx.params.gamma ? { gamma: sumDyXhat, beta: sumDy } : {};
    if (!needDx) return { grads };
    // dx = γ·invStd · (dy - mean(dy) - xhat·mean(dy·xhat)), means over the m values of each channel. The two
    // means come from the sums above, so the backward pass reads the full tensors only four times.
    const count = g.div(g.node('Cast', [g.node('Size', [dy])], { to: 1 }), g.constFloat(c));
    const scale = ctx.params.gamma ? g.mul(perChannel(ctx, g, ctx.params.gamma), invStd) : invStd;
    const slope = g.div(g.mul(scale, perChannel(ctx, g, sumDyXhat)), count);
    const offset = g.div(g.mul(scale, perChannel(ctx, g, sumDy)), count);
    const dx = g.sub(g.sub(g.mul(dy, scale), g.mul(xhat, slope)), offset);
    return { dx, grads };
  },
};
