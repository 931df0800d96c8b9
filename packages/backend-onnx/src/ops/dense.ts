// dense: y = x·W (+ b), W laid out [in, out].
import type { OpRule } from './op-rule.js';
import { param } from './op-rule.js';

export const denseRule: OpRule = {
  forward(ctx, x) {
    const { g } = ctx;
    const w = param(ctx, 'weight');
    const b = ctx.params.bias;
    const y = b ? g.node('Gemm', [x, w, b]) : g.node('MatMul', [x, w]);
    return { y, saved: {} };
  },
  gradient(ctx, { x, dy, needDx }) {
    const { g } = ctx;
    const w = param(ctx, 'weight');
    const weight = g.node('Gemm', [x, dy], { transA: 1 }, 'dW/Gemm');
    const grads: Record<string, string> = { weight };
    if (ctx.params.bias) grads.bias = g.sumOverBatch(dy);
    return needDx ? { dx: g.node('Gemm', [dy, w], { transB: 1 }, 'dX/Gemm'), grads } : { grads };
  },
};
