// layernorm and groupnorm (layer norm is group norm with one group). Each sample's channels form G groups of
// consecutive channels, every group normalized over its (C/G)·H·W values with its own mean and biased
// variance, then scaled and shifted per channel; training and inference compute the same thing.
//
// Opset 17 has LayerNormalization but not GroupNormalization (opset 18, and per-channel scale only from 21),
// so both ops view x as [N, G, (C/G)·H·W] and normalize the last axis with LayerNormalization (scale 1, no
// bias), then apply the per-channel scale and shift; a layernorm after a dense layer is one plain
// LayerNormalization with its own scale and bias. In training, LayerNormalization's optional Mean and
// InvStdDev outputs feed the backward pass, which is written out in primitive ops (ONNX has no gradient ops).
import type { GroupNormLayer, LayerNormLayer } from '@bnx/ir';
import { normGroups } from '@bnx/ir';
import { f } from '../graph-builder.js';
import type { GraphBuilder } from '../graph-builder.js';
import type { ForwardResult, OpContext, OpRule } from './op-rule.js';

interface GroupView {
  channels: number;
  groups: number;
  /** Values per (sample, group): (C/G)·H·W. */
  groupSize: number;
  isImage: boolean;
}

function view(ctx: OpContext): GroupView {
  const layer = ctx.shaped.layer as LayerNormLayer | GroupNormLayer;
  const [channels = 0, ...spatial] = ctx.shaped.inShape;
  const groups = normGroups(layer);
  return { channels, groups, groupSize: (channels / groups) * spatial.reduce((a, b) => a * b, 1), isImage: spatial.length > 0 };
}

/** A per-channel vector [C] shaped to broadcast against the layer input. */
function perChannel(g: GraphBuilder, v: GroupView, t: string): string {
  return v.isImage ? g.reshape(t, [1, v.channels, 1, 1]) : t;
}

/** Per-channel sums [C] over the batch and spatial axes. */
function channelSums(g: GraphBuilder, v: GroupView, t: string): string {
  return g.sumOverBatch(v.isImage ? g.reduceSum(t, [2, 3], 0) : t);
}

export const groupnormRule: OpRule = {
  forward(ctx, x): ForwardResult {
    const { g, shaped } = ctx;
    const layer = shaped.layer as LayerNormLayer | GroupNormLayer;
    const v = view(ctx);
    const epsilon = f(layer.epsilon);
    const { gamma, beta } = ctx.params;
    if (ctx.mode === 'infer' && !v.isImage && v.groups === 1) {
      // A layer norm over features is exactly ONNX LayerNormalization with its scale and bias.
      const scale = gamma ?? g.constFloat(new Array<number>(v.channels).fill(1), [v.channels]);
      const inputs = beta ? [x, scale, beta] : [x, scale];
      return { y: g.node('LayerNormalization', inputs, { axis: -1, epsilon }), saved: {} };
    }
    const grouped = g.reshape(x, [0, v.groups, v.groupSize]);
    const ones = g.constFloat(new Array<number>(v.groupSize).fill(1), [v.groupSize]);
    let xhat: string;
    let invStd: string | undefined;
    if (ctx.mode === 'infer') {
      xhat = g.node('LayerNormalization', [grouped, ones], { axis: -1, epsilon });
    } else {
      [xhat, , invStd] = g.nodeN('LayerNormalization', [grouped, ones], 3, { axis: -1, epsilon }) as [string, string, string];
    }
    const normalized = g.reshape(xhat, [0, ...shaped.inShape]);
    const y = gamma && beta ? g.add(g.mul(normalized, perChannel(g, v, gamma)), perChannel(g, v, beta)) : normalized;
    return { y, saved: invStd === undefined ? {} : { xhat, normalized, invStd } };
  },
  gradient(ctx, { fwd, dy, needDx }) {
    const { g, shaped } = ctx;
    const v = view(ctx);
    const { xhat, normalized, invStd } = fwd.saved as { xhat: string; normalized: string; invStd: string };
    const { gamma } = ctx.params;
    const grads: Record<string, string> = gamma ? { gamma: channelSums(g, v, g.mul(dy, normalized)), beta: channelSums(g, v, dy) } : {};
    if (!needDx) return { grads };
    // dx = invStd · (dxhat - mean(dxhat) - xhat · mean(dxhat · xhat)) over each group, dxhat = dy · gamma.
    const dxhat = g.reshape(gamma ? g.mul(dy, perChannel(g, v, gamma)) : dy, [0, v.groups, v.groupSize]);
    const meanDxhat = g.reduceMean(dxhat, [2], 1);
    const meanDxhatXhat = g.reduceMean(g.mul(dxhat, xhat), [2], 1);
    const dxGrouped = g.mul(g.sub(g.sub(dxhat, meanDxhat), g.mul(xhat, meanDxhatXhat)), invStd);
    return { dx: g.reshape(dxGrouped, [0, ...shaped.inShape]), grads };
  },
};
