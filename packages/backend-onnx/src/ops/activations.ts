// Elementwise activations and softmax (over the feature axis). Each gradient reads the forward input or
// output, whichever gives the cheaper formula.
import type { EluLayer, LeakyReluLayer } from '@bnx/ir';
import { f } from '../graph-builder.js';
import type { OpRule } from './op-rule.js';

export const reluRule: OpRule = {
  forward: (ctx, x) => ({ y: ctx.g.node('Relu', [x]), saved: {} }),
  gradient(ctx, { x, dy }) {
    const { g } = ctx;
    const positive = g.node('Greater', [x, g.constFloat(0)]);
    return { dx: g.node('Where', [positive, dy, g.constFloat(0)]), grads: {} };
  },
};

export const leakyReluRule: OpRule = {
  forward(ctx, x) {
    const { alpha } = ctx.shaped.layer as LeakyReluLayer;
    return { y: ctx.g.node('LeakyRelu', [x], { alpha: f(alpha) }), saved: {} };
  },
  gradient(ctx, { x, dy }) {
    const { g } = ctx;
    const { alpha } = ctx.shaped.layer as LeakyReluLayer;
    const positive = g.node('Greater', [x, g.constFloat(0)]);
    return { dx: g.node('Where', [positive, dy, g.scale(dy, alpha)]), grads: {} };
  },
};

export const eluRule: OpRule = {
  forward(ctx, x) {
    const { alpha } = ctx.shaped.layer as EluLayer;
    return { y: ctx.g.node('Elu', [x], { alpha: f(alpha) }), saved: {} };
  },
  gradient(ctx, { x, fwd, dy }) {
    const { g } = ctx;
    const { alpha } = ctx.shaped.layer as EluLayer;
    // For x <= 0, d/dx alpha(e^x - 1) = alpha e^x = y + alpha.
    const positive = g.node('Greater', [x, g.constFloat(0)]);
    const negSlope = g.add(fwd.y, g.constFloat(alpha));
    return { dx: g.node('Where', [positive, dy, g.mul(dy, negSlope)]), grads: {} };
  },
};

export const sigmoidRule: OpRule = {
  forward: (ctx, x) => ({ y: ctx.g.node('Sigmoid', [x]), saved: {} }),
  gradient(ctx, { fwd, dy }) {
    const { g } = ctx;
    const slope = g.mul(fwd.y, g.sub(g.constFloat(1), fwd.y));
    return { dx: g.mul(dy, slope), grads: {} };
  },
};

export const tanhRule: OpRule = {
  forward: (ctx, x) => ({ y: ctx.g.node('Tanh', [x]), saved: {} }),
  gradient(ctx, { fwd, dy }) {
    const { g } = ctx;
    const slope = g.sub(g.constFloat(1), g.mul(fwd.y, fwd.y));
    return { dx: g.mul(dy, slope), grads: {} };
  },
};

export const softmaxRule: OpRule = {
  forward: (ctx, x) => ({ y: ctx.g.node('Softmax', [x], { axis: -1 }), saved: {} }),
  gradient(ctx, { fwd, dy }) {
    const { g } = ctx;
    const dot = g.reduceSum(g.mul(dy, fwd.y), [-1], 1);
    return { dx: g.mul(fwd.y, g.sub(dy, dot)), grads: {} };
  },
};
