// flatten (to [N, features]) and dropout (a multiply by the driver's mask; identity in inference).
import type { OpRule } from './op-rule.js';

export const flattenRule: OpRule = {
  forward(ctx, x) {
    return { y: ctx.g.reshape(x, [0, -1]), saved: {} };
  },
  gradient(ctx, { x, dy }) {
    return { dx: ctx.g.node('Reshape', [dy, ctx.g.node('Shape', [x])]), grads: {} };
  },
};

export const dropoutRule: OpRule = {
  forward(ctx, x) {
    if (ctx.mode === 'infer' || !ctx.dropoutMask) return { y: x, saved: {} };
    return { y: ctx.g.mul(x, ctx.dropoutMask), saved: {} };
  },
  gradient(ctx, { dy }) {
    return { dx: ctx.dropoutMask ? ctx.g.mul(dy, ctx.dropoutMask) : dy, grads: {} };
  },
};
