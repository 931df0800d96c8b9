// batchnorm. Training mode normalizes with the batch's mean and biased variance over every axis but the
// channel axis and updates the running statistics in the graph (momentum = weight of the NEW batch, the
// running variance unbiased by m/(m-1) or biased as the layer says). Inference mode is ONNX's own
// BatchNormalization with the running statistics.
import type { BatchNormLayer } from '@bnx/ir';
import { f } from '../graph-builder.js';
import type { GraphBuilder } from '../graph-builder.js';
import type { ForwardResult, OpContext, OpRule } from './op-rule.js';
import { param } from './op-rule.js';

/** Axes reduced for the statistics: the batch for [N, F], batch and space for [N, C, H, W]. */
function statAxes(ctx: OpContext): number[] {
  return ctx.shaped.inShape.length === 3 ? [0, 2, 3] : [0];
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
    const axes = statAxes(ctx);
    const mean = g.reduceMean(x, axes, 1);
    const centered = g.sub(x, mean);
    const variance = g.reduceMean(g.mul(centered, centered), axes, 1);
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
  gradient(ctx, { fwd, dy }) {
    const { g } = ctx;
    const axes = statAxes(ctx);
    const xhat = fwd.saved.xhat!;
    const invStd = fwd.saved.invStd!;
    const grads: Record<string, string> = {};
    let dxhat = dy;
    if (ctx.params.gamma) {
      grads.gamma = g.reduceSum(g.mul(dy, xhat), axes, 0);
      grads.beta = g.reduceSum(dy, axes, 0);
      dxhat = g.mul(dy, perChannel(ctx, g, ctx.params.gamma));
    }
    // dx = invStd · (dxhat - mean(dxhat) - xhat · mean(dxhat · xhat)), means over the statistic axes.
    const meanD = g.reduceMean(dxhat, axes, 1);
    const meanDX = g.reduceMean(g.mul(dxhat, xhat), axes, 1);
    const dx = g.mul(invStd, g.sub(g.sub(dxhat, meanD), g.mul(xhat, meanDX)));
    return { dx, grads };
  },
};
