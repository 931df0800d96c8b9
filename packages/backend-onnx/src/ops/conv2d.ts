// conv2d: Conv with explicit pads. Input gradient: ConvTranspose of dy with the same weights (a Conv with
// flipped weights at stride 1). Weight gradient: dW[o,c,i,j] = sum over n,p,q of dy[n,o,p,q]·xpad[n,c,p·s+i,q·s+j], as one MatMul over patches.
import type { Conv2dLayer } from '@bnx/ir';
import { layerWindow } from '@bnx/ir';
import type { OpContext, OpRule } from './op-rule.js';
import { param } from './op-rule.js';

/** ONNX pads [top, left, bottom, right], from the IR's window geometry (SAME puts the odd pixel at the end). */
function convPads(ctx: OpContext): [number, number, number, number] {
  const { rows, cols } = layerWindow(ctx.shaped.layer as Conv2dLayer, ctx.shaped.inShape);
  return [rows.padBefore, cols.padBefore, rows.padAfter, cols.padAfter];
}

export const conv2dRule: OpRule = {
  forward(ctx, x) {
    const layer = ctx.shaped.layer as Conv2dLayer;
    const inputs = [x, param(ctx, 'weight'), ...(ctx.params.bias ? [ctx.params.bias] : [])];
    const y = ctx.g.node('Conv', inputs, { kernel_shape: layer.kernel, strides: layer.stride, pads: convPads(ctx) });
    return { y, saved: {} };
  },
  gradient(ctx, { x, dy, needDx }) {
    const { g, shaped } = ctx;
    const layer = shaped.layer as Conv2dLayer;
    const [, h, w] = shaped.inShape as [number, number, number];
    const [, ho, wo] = shaped.outShape as [number, number, number];
    const [kh, kw] = layer.kernel;
    const [sh, sw] = layer.stride;
    const pads = convPads(ctx);
    const grads: Record<string, string> = {};

    // Weight gradient as ONE matrix product: the kh·kw strided slices of the padded channels-last input, each
    // [N, Ho, Wo, C], are stacked into patches [N, Ho, Wo, kh·kw·C]; then dW = dy as [O, N·Ho·Wo] times the
    // patches as [N·Ho·Wo, kh·kw·C]. (A Conv over batch-transposed tensors with dy as a dilated kernel computes the same
    // thing but ran about 6x slower than the forward Conv in ORT: its GEMMs are only kh·kw columns wide.)
    const c = shaped.inShape[0]!;
    const o = layer.filters;
    const xNhwc = g.node('Transpose', [x], { perm: [0, 2, 3, 1] }, 'dW/TransposeX');
    const padded = pads.some((p) => p > 0) ? g.node('Pad', [xNhwc, g.constInt64([0, pads[0], pads[1], 0, 0, pads[2], pads[3], 0])], {}, 'dW/Pad') : xNhwc;
    const slices: string[] = [];
    for (let i = 0; i < kh; i++)
      for (let j = 0; j < kw; j++)
        slices.push(
          g.node(
            'Slice',
            [padded, g.constInt64([i, j]), g.constInt64([i + (ho - 1) * sh + 1, j + (wo - 1) * sw + 1]), g.constInt64([1, 2]), g.constInt64([sh, sw])],
            {},
            'dW/Slice',
          ),
        );
    // Channels-last slices concatenate straight into rows [N·Ho·Wo, (i, j, c)]: no transpose of the patches.
    const patches = slices.length === 1 ? slices[0]! : g.node('Concat', slices, { axis: 3 }, 'dW/Patches');
    const patchRows = g.reshape(patches, [-1, kh * kw * c]);
    const dyRows = g.reshape(g.node('Transpose', [dy], { perm: [1, 0, 2, 3] }, 'dW/TransposeDy'), [o, -1]);
    const dwFlat = g.node('MatMul', [dyRows, patchRows], {}, 'dW/MatMul'); // [O, (i, j, c)]
    const dwT = g.node('Transpose', [g.reshape(dwFlat, [o, kh, kw, c])], { perm: [0, 3, 1, 2] }, 'dW/Transpose');
    grads.weight = dwT;
    if (ctx.params.bias) grads.bias = g.sumOverBatch(g.reduceSum(dy, [2, 3], 0)); // 30% faster than one ReduceSum over [0, 2, 3]
    if (!needDx) return { grads };
    let dx: string;
    if (sh === 1 && sw === 1) {
      // Stride 1: dx is a plain Conv of dy with the weights flipped in space and their in/out axes swapped
      // (the full correlation). ORT's Conv ran about 2x faster than its ConvTranspose on the seed-cnn layers.
      const swapped = g.node('Transpose', [param(ctx, 'weight')], { perm: [1, 0, 2, 3] }, 'dX/TransposeW');
      const big = 2 ** 62;
      const flipped = g.node(
        'Slice',
        [swapped, g.constInt64([-1, -1]), g.constInt64([-big, -big]), g.constInt64([2, 3]), g.constInt64([-1, -1])],
        {},
        'dX/FlipW',
      );
      const fullPads = [kh - 1 - pads[0], kw - 1 - pads[1], kh - 1 - pads[2], kw - 1 - pads[3]];
      dx = g.node('Conv', [dy, flipped], { kernel_shape: layer.kernel, pads: fullPads }, 'dX/Conv');
    } else {
      const outPadH = h - ((ho - 1) * sh + kh - pads[0] - pads[2]);
      const outPadW = w - ((wo - 1) * sw + kw - pads[1] - pads[3]);
      dx = g.node(
        'ConvTranspose',
        [dy, param(ctx, 'weight')],
        { kernel_shape: layer.kernel, strides: layer.stride, pads, output_padding: [outPadH, outPadW] },
        'dX/ConvTranspose',
      );
    }
    return { dx, grads };
  },
};
