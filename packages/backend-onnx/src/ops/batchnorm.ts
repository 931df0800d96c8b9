// batchnorm. Training mode normalizes with the batch's mean and biased variance over every axis but the
// channel axis and updates the running statistics in the graph (momentum = weight of the NEW batch, the
// running variance unbiased by m/(m-1) or biased as the layer says). Inference mode is ONNX's own
// BatchNormalization with the running statistics.
//
// The step is memory-bound at these sizes, so the graph passes over the full [N, C(, H, W)] tensors as few
// times as it can (forward 6, backward 7), and per-channel sums are MatMuls against ones
// (GraphBuilder.sumOverBatch), 3× faster than ReduceSum over the batch axis. ORT's BatchNormalization node
// is no help in training: for [N, C] features it runs one spatial position at a time (500 µs at 512×300,
// against 110 µs for the Mul and Add it would replace; for images it measured the same as Mul and Add).
import type { BatchNormLayer } from '@bnx/ir';
import { f } from '../graph-builder.js';
import type { GraphBuilder } from '../graph-builder.js';
import type { ForwardResult, OpContext, OpRule } from './op-rule.js';
import { param } from './op-rule.js';

const isImage = (ctx: OpContext) => ctx.shaped.inShape.length === 3;

/** Per-channel sums [C] over every axis but the channel axis (spatial axes first: they are contiguous). */
function channelSums(ctx: OpContext, g: GraphBuilder, t: string): string {
  return g.sumOverBatch(isImage(ctx) ? g.reduceSum(t, [2, 3], 0) : t);
}

/** A per-channel vector [C] reshaped to broadcast against the layer input. */
function perChannel(ctx: OpContext, g: GraphBuilder, v: string): string {
  const c = ctx.shaped.inShape[0]!;
  return isImage(ctx) ? g.reshape(v, [1, c, 1, 1]) : v;
}

/** The values each channel's statistics are taken over (N, or N·H·W), as a float scalar. */
function valuesPerChannel(ctx: OpContext, g: GraphBuilder, t: string): string {
  if (g.batch !== undefined) return g.constFloat(ctx.shaped.inShape.slice(1).reduce((a, b) => a * b, g.batch));
  return g.div(g.node('Cast', [g.node('Size', [t])], { to: 1 }), g.constFloat(ctx.shaped.inShape[0]!));
}

/** x·scale + shift with per-channel [C] scale and shift. */
function affine(ctx: OpContext, g: GraphBuilder, x: string, scale: string, shift: string): string {
  return g.add(g.mul(x, perChannel(ctx, g, scale)), perChannel(ctx, g, shift));
}

export const batchnormRule: OpRule = {
  forward(ctx, x): ForwardResult {
    const { g } = ctx;
    const layer = ctx.shaped.layer as BatchNormLayer;
    const c = ctx.shaped.inShape[0]!;
    const runMean = param(ctx, 'running_mean');
    const runVar = param(ctx, 'running_var');
    const gamma = ctx.params.gamma ?? g.constFloat(new Array<number>(c).fill(1), [c]);
    const beta = ctx.params.beta ?? g.constFloat(new Array<number>(c).fill(0), [c]);
    if (ctx.mode === 'infer') {
      const y = g.node('BatchNormalization', [x, gamma, beta, runMean, runVar], { epsilon: f(layer.epsilon) });
      return { y, saved: {} };
    }
    const count = valuesPerChannel(ctx, g, x);
    const mean = g.div(channelSums(ctx, g, x), count);
    const centered = g.sub(x, perChannel(ctx, g, mean));
    const variance = g.div(channelSums(ctx, g, g.mul(centered, centered)), count);
    const invStd = g.node('Reciprocal', [g.node('Sqrt', [g.add(variance, g.constFloat(layer.epsilon))])]);
    // (x - mean)·invStd·γ + β = (x - mean)·scale + β, with the batch's own statistics.
    const y = ctx.params.gamma ? affine(ctx, g, centered, g.mul(gamma, invStd), beta) : g.mul(centered, perChannel(ctx, g, invStd));

    // Running statistics: (1 - momentum)·old + momentum·batch.
    const m = layer.momentum;
    const batchVar = layer.runningVar === 'unbiased' ? g.mul(variance, g.div(count, g.sub(count, g.constFloat(1)))) : variance;
    const blend = (old: string, batch: string) => g.add(g.scale(old, 1 - m), g.scale(batch, m));
    return {
      y,
      saved: { centered, invStd, count },
      bufferUpdates: { running_mean: blend(runMean, mean), running_var: blend(runVar, batchVar) },
    };
  },
  gradient(ctx, { fwd, dy, needDx }) {
    const { g } = ctx;
    const { centered, invStd, count } = fwd.saved as { centered: string; invStd: string; count: string };
    // Per-channel sums, which are also the affine gradients: dgamma = Σ dy·xhat = invStd·Σ dy·(x - mean),
    // dbeta = Σ dy.
    const sumDyXhat = g.mul(channelSums(ctx, g, g.mul(dy, centered)), invStd);
    const sumDy = channelSums(ctx, g, dy);
    const grads: Record<string, string> = ctx.params.gamma ? { gamma: sumDyXhat, beta: sumDy } : {};
    if (!needDx) return { grads };
    // dx = γ·invStd · (dy - mean(dy) - xhat·mean(dy·xhat)), means over the values of each channel, written as
    // dy·scale - shift - (x - mean)·slope with per-channel scale, shift and slope.
    const scale = ctx.params.gamma ? g.mul(ctx.params.gamma, invStd) : invStd;
    const shift = g.node('Neg', [g.div(g.mul(scale, sumDy), count)]);
    const slope = g.div(g.mul(g.mul(scale, invStd), sumDyXhat), count);
    const dx = g.sub(affine(ctx, g, dy, scale, shift), g.mul(centered, perChannel(ctx, g, slope)));
    return { dx, grads };
  },
};
