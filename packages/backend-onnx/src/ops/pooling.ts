// maxpool and avgpool (no padding, floor output). Max: the gradient goes to the element MaxPool's Indices
// name (flat over the whole input tensor), summed where windows overlap. Average: a grouped ConvTranspose
// with a constant 1/(kh·kw) kernel spreads each gradient evenly over its window.
import type { PoolLayer } from '@bnx/ir';
import type { ForwardResult, OpRule } from './op-rule.js';

// Tried and dropped: for tiling windows, an ArgMax over the windows laid out on a last axis (no Indices, no
// scatter). In one ORT profile of the seed-cnn step on the shared 2-core machine it took 264 ms against 178 ms
// for this formulation, its broadcasting Equal/Where dominating (a noisy measurement, but not a win).
export const maxpoolRule: OpRule = {
  forward(ctx, x): ForwardResult {
    const layer = ctx.shaped.layer as PoolLayer;
    const attrs = { kernel_shape: layer.size, strides: layer.stride };
    if (ctx.mode === 'infer') return { y: ctx.g.node('MaxPool', [x], attrs), saved: {} };
    const [y, indices] = ctx.g.nodeN('MaxPool', [x], 2, attrs) as [string, string];
    return { y, saved: { indices } };
  },
  gradient(ctx, { x, fwd, dy }) {
    const { g } = ctx;
    const flatX = g.reshape(x, [-1]);
    const zeros = g.node('ConstantOfShape', [g.node('Shape', [flatX])]);
    const flatIdx = g.reshape(fwd.saved.indices!, [-1]);
    const flatDy = g.reshape(dy, [-1]);
    const scattered = g.node('ScatterElements', [zeros, flatIdx, flatDy], { axis: 0, reduction: 'add' });
    return { dx: g.node('Reshape', [scattered, g.node('Shape', [x])]), grads: {} };
  },
};

export const avgpoolRule: OpRule = {
  forward(ctx, x): ForwardResult {
    const layer = ctx.shaped.layer as PoolLayer;
    return { y: ctx.g.node('AveragePool', [x], { kernel_shape: layer.size, strides: layer.stride }), saved: {} };
  },
  gradient(ctx, { dy }) {
    const { g, shaped } = ctx;
    const layer = shaped.layer as PoolLayer;
    const [c, h, w] = shaped.inShape as [number, number, number];
    const [, ho, wo] = shaped.outShape as [number, number, number];
    const [kh, kw] = layer.size;
    const [sh, sw] = layer.stride;
    const kernel = g.constFloat(new Array<number>(c * kh * kw).fill(1 / (kh * kw)), [c, 1, kh, kw]);
    const outPad = [h - ((ho - 1) * sh + kh), w - ((wo - 1) * sw + kw)];
    const dx = g.node('ConvTranspose', [dy, kernel], { group: c, kernel_shape: layer.size, strides: layer.stride, output_padding: outPad });
    return { dx, grads: {} };
  },
};
