// conv2d: Conv with explicit pads. Input gradient: ConvTranspose of dy with the same weights. Weight
// gradient: a Conv of the input (batch and channel axes swapped) with dy (likewise swapped) as the kernel,
// dilated by the stride: dW[o,c,i,j] = sum over n,p,q of dy[n,o,p,q]·xpad[n,c,p·s+i,q·s+j].
import type { Conv2dLayer } from '@bnx/ir';
import type { OpRule } from './op-rule.js';
import { param } from './op-rule.js';

export const conv2dRule: OpRule = {
  forward(ctx, x) {
    const layer = ctx.shaped.layer as Conv2dLayer;
    const inputs = [x, param(ctx, 'weight'), ...(ctx.params.bias ? [ctx.params.bias] : [])];
    const y = ctx.g.node('Conv', inputs, { kernel_shape: layer.kernel, strides: layer.stride, pads: ctx.shaped.pads! });
    return { y, saved: {} };
  },
  gradient(ctx, { x, dy, needDx }) {
    const { g, shaped } = ctx;
    const layer = shaped.layer as Conv2dLayer;
    const [, h, w] = shaped.inShape as [number, number, number];
    const [, ho, wo] = shaped.outShape as [number, number, number];
    const [kh, kw] = layer.kernel;
    const [sh, sw] = layer.stride;
    const pads = shaped.pads!;
    const grads: Record<string, string> = {};

    const xT = g.node('Transpose', [x], { perm: [1, 0, 2, 3] }, 'dW/TransposeX');
    const dyT = g.node('Transpose', [dy], { perm: [1, 0, 2, 3] }, 'dW/TransposeDy');
    // Kernel extent of the dy "kernel" is (ho-1)*s+1 after dilation: the result spans every valid offset.
    const spanH = h + pads[0] + pads[2] - (ho - 1) * sh;
    const spanW = w + pads[1] + pads[3] - (wo - 1) * sw;
    let dwT = g.node('Conv', [xT, dyT], { dilations: [sh, sw], pads, strides: [1, 1] }, 'dW/Conv');
    if (spanH !== kh || spanW !== kw) {
      // The last rows/columns the forward pass never reached (stride does not divide the input) drop out.
      dwT = g.node('Slice', [dwT, g.constInt64([0, 0]), g.constInt64([kh, kw]), g.constInt64([2, 3])], {}, 'dW/Slice');
    }
    grads.weight = g.node('Transpose', [dwT], { perm: [1, 0, 2, 3] }, 'dW/Transpose');
    if (ctx.params.bias) grads.bias = g.reduceSum(dy, [0, 2, 3], 0);
    if (!needDx) return { grads };
    const outPadH = h - ((ho - 1) * sh + kh - pads[0] - pads[2]);
    const outPadW = w - ((wo - 1) * sw + kw - pads[1] - pads[3]);
    const dx = g.node(
      'ConvTranspose',
      [dy, param(ctx, 'weight')],
      { kernel_shape: layer.kernel, strides: layer.stride, pads, output_padding: [outPadH, outPadW] },
      'dX/ConvTranspose',
    );
    return { dx, grads };
  },
};
