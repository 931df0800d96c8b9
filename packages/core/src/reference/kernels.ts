// The reference kernel of every IR op: its shape rule and tensors (the reference's own, kept apart from the
// IR's catalogue on purpose and cross-checked against it in plan.test.ts), forward and backward. One entry
// per op: an op missing here fails to compile, so no layer can pass a gradient through unchanged by omission.
import type { Layer, LayerOf, LayerOp } from '@bnx/ir';
import { BnxError } from '@bnx/ir';
import * as act from './activations.js';
import { batchNormEvalForward, batchNormTrainBackward, batchNormTrainForward, type BatchNormLayout, type BatchNormTrainResult } from './batchnorm.js';
import { conv2dBackward, conv2dForward, conv2dOutputSize, type Conv2dGeometry } from './conv2d.js';
import { denseBackward, denseForward } from './dense.js';
import { dropoutBackward, dropoutForward } from './dropout.js';
import { flattenBackward, flattenForward } from './flatten.js';
import { groupNormBackward, groupNormForward, type GroupNormForward, type GroupNormLayout } from './groupnorm.js';
import { avgpoolBackward, avgpoolForward, maxpoolBackward, maxpoolForward, poolOutputSize, type PoolGeometry } from './pool.js';

export type Mode = 'train' | 'eval';

/** A parameter (trainable) or buffer of a layer, named `<layer>.<role>`. */
export interface PlannedTensor {
  name: string;
  shape: number[];
  /** Updated by the optimizer (weight, bias, gamma, beta); false for the running statistics. */
  trainable: boolean;
}

/** What a kernel sees of its layer in one pass. */
export interface KernelContext<L> {
  layer: L;
  /** Sample shapes (no batch axis), channels-first. */
  inShape: number[];
  outShape: number[];
  batch: number;
  mode: Mode;
  /** The layer's parameter or buffer `<layer>.<role>`; a BnxError when the state lacks it. */
  param(role: string): Float64Array;
  /** Training mode: the dropout mask of this layer, if the step carries one. */
  mask: Float32Array | undefined;
}

export interface KernelForward {
  y: Float64Array;
  /** Whatever the backward pass needs beyond the input and output (batch-norm intermediates, a mask). */
  saved?: unknown;
}

export interface KernelBackward {
  dx: Float64Array;
  /** Gradients of the layer's trainable tensors, by role. */
  grads?: Record<string, Float64Array>;
}

export interface ReferenceKernel<L> {
  /** Output sample shape and tensors for an input sample shape; a BnxError when the input does not fit. */
  plan(layer: L, inShape: number[]): { outShape: number[]; tensors: { role: string; shape: number[]; trainable?: false }[] };
  forward(ctx: KernelContext<L>, x: Float64Array): KernelForward;
  /** dL/dx and parameter gradients from dL/dy, for a training-mode forward pass. */
  backward(ctx: KernelContext<L>, x: Float64Array, y: Float64Array, dy: Float64Array, saved: unknown): KernelBackward;
}

export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** " (file:line:column)" when the layer carries a source location. */
export function whereIs(layer: Pick<Layer, 'loc'>): string {
  const r = layer.loc?.range;
  return r === undefined ? '' : ` (${r.file}:${r.start.line}:${r.start.column})`;
}

function needsImage(layer: Layer, inShape: number[]): [number, number, number] {
  if (inShape.length !== 3) {
    throw new BnxError(`${layer.op} layer '${layer.name}'${whereIs(layer)} needs a (channels, height, width) input, got (${inShape.join(', ')})`);
  }
  return [inShape[0]!, inShape[1]!, inShape[2]!];
}

function convGeometry(ctx: KernelContext<LayerOf<'conv2d'>>): Conv2dGeometry {
  const l = ctx.layer;
  return {
    batch: ctx.batch,
    inChannels: ctx.inShape[0]!,
    inHeight: ctx.inShape[1]!,
    inWidth: ctx.inShape[2]!,
    outChannels: l.filters,
    kernel: l.kernel,
    stride: l.stride,
    padding: l.padding,
  };
}

function poolGeometry(ctx: KernelContext<LayerOf<'maxpool'>>): PoolGeometry {
  const l = ctx.layer;
  return { batch: ctx.batch, channels: ctx.inShape[0]!, inHeight: ctx.inShape[1]!, inWidth: ctx.inShape[2]!, size: l.size, stride: l.stride, padding: 'valid' };
}

/** Per-feature after dense, per channel over (N, H, W) after conv: the layout (N, C, S). */
function channelLayout(inShape: number[], batch: number): BatchNormLayout {
  return { batch, channels: inShape[0]!, spatial: sizeOf(inShape.slice(1)) };
}

/** Layer norm is group norm with one group. The group count is the IR's to check against the channels. */
function groupLayout(ctx: KernelContext<LayerOf<'layernorm'> | LayerOf<'groupnorm'>>): GroupNormLayout {
  const groups = ctx.layer.op === 'groupnorm' ? ctx.layer.groups : 1;
  return { ...channelLayout(ctx.inShape, ctx.batch), groups };
}

function groupNormKernel<L extends LayerOf<'layernorm'> | LayerOf<'groupnorm'>>(): ReferenceKernel<L> {
  return {
    plan(layer, inShape) {
      if (inShape.length !== 1 && inShape.length !== 3) {
        throw new BnxError(
          `${layer.op} layer '${layer.name}'${whereIs(layer)} needs a (features) or (channels, height, width) input, got (${inShape.join(', ')})`,
        );
      }
      const groups = layer.op === 'groupnorm' ? layer.groups : 1;
      if (inShape[0]! % groups !== 0)
        throw new BnxError(`groupnorm layer '${layer.name}'${whereIs(layer)}: ${groups} groups do not divide ${inShape[0]} channels`);
      const channels = [inShape[0]!];
      return {
        outShape: inShape,
        tensors: layer.affine
          ? [
              { role: 'gamma', shape: channels },
              { role: 'beta', shape: channels },
            ]
          : [],
      };
    },
    forward(ctx, x) {
      const affine = ctx.layer.affine;
      const result = groupNormForward(x, affine ? ctx.param('gamma') : null, affine ? ctx.param('beta') : null, ctx.layer.epsilon, groupLayout(ctx));
      return { y: result.y, saved: result };
    },
    backward(ctx, _x, _y, dy, saved) {
      const g = groupNormBackward(dy, saved as GroupNormForward, ctx.layer.affine ? ctx.param('gamma') : null, groupLayout(ctx));
      const grads: Record<string, Float64Array> = g.dgamma !== null && g.dbeta !== null ? { gamma: g.dgamma, beta: g.dbeta } : {};
      return { dx: g.dx, grads };
    },
  };
}

const lastAxis = (inShape: number[]): number => inShape[inShape.length - 1]!;

const samePlan = (_layer: unknown, inShape: number[]) => ({ outShape: inShape, tensors: [] });

/** An element-wise op without tensors: forward of x, backward from x (or y) and dy. */
function elementwise<L>(
  forward: (x: Float64Array, ctx: KernelContext<L>) => Float64Array,
  backward: (x: Float64Array, y: Float64Array, dy: Float64Array, ctx: KernelContext<L>) => Float64Array,
): ReferenceKernel<L> {
  return {
    plan: samePlan,
    forward: (ctx, x) => ({ y: forward(x, ctx) }),
    backward: (ctx, x, y, dy) => ({ dx: backward(x, y, dy, ctx) }),
  };
}

const linearGrads = (g: { dw: Float64Array; db: Float64Array | null }): Record<string, Float64Array> =>
  g.db === null ? { weight: g.dw } : { weight: g.dw, bias: g.db };

const pool: Pick<ReferenceKernel<LayerOf<'maxpool'>>, 'plan'> = {
  plan(layer, inShape) {
    const [c, h, w] = needsImage(layer, inShape);
    const [oh, ow] = poolOutputSize({ batch: 1, channels: c, inHeight: h, inWidth: w, size: layer.size, stride: layer.stride, padding: 'valid' });
    return { outShape: [c, oh, ow], tensors: [] };
  },
};

export const REFERENCE_KERNELS: { [K in LayerOp]: ReferenceKernel<LayerOf<K>> } = {
  dense: {
    plan(layer, inShape) {
      if (inShape.length !== 1) {
        throw new BnxError(`dense layer '${layer.name}'${whereIs(layer)} needs a flat input, got (${inShape.join(', ')}): add flatten before it`);
      }
      const tensors = [{ role: 'weight', shape: [inShape[0]!, layer.units] }];
      if (layer.bias) tensors.push({ role: 'bias', shape: [layer.units] });
      return { outShape: [layer.units], tensors };
    },
    forward: (ctx, x) => ({
      y: denseForward(x, ctx.param('weight'), ctx.layer.bias ? ctx.param('bias') : null, { batch: ctx.batch, inputs: ctx.inShape[0]!, units: ctx.layer.units }),
    }),
    backward(ctx, x, _y, dy) {
      const g = denseBackward(x, ctx.param('weight'), dy, ctx.layer.bias, { batch: ctx.batch, inputs: ctx.inShape[0]!, units: ctx.layer.units });
      return { dx: g.dx, grads: linearGrads(g) };
    },
  },
  conv2d: {
    plan(layer, inShape) {
      const [c, h, w] = needsImage(layer, inShape);
      const [oh, ow] = conv2dOutputSize({
        batch: 1,
        inChannels: c,
        inHeight: h,
        inWidth: w,
        outChannels: layer.filters,
        kernel: layer.kernel,
        stride: layer.stride,
        padding: layer.padding,
      });
      const tensors = [{ role: 'weight', shape: [layer.filters, c, layer.kernel[0], layer.kernel[1]] }];
      if (layer.bias) tensors.push({ role: 'bias', shape: [layer.filters] });
      return { outShape: [layer.filters, oh, ow], tensors };
    },
    forward: (ctx, x) => ({ y: conv2dForward(x, ctx.param('weight'), ctx.layer.bias ? ctx.param('bias') : null, convGeometry(ctx)) }),
    backward(ctx, x, _y, dy) {
      const g = conv2dBackward(x, ctx.param('weight'), dy, ctx.layer.bias, convGeometry(ctx));
      return { dx: g.dx, grads: linearGrads(g) };
    },
  },
  maxpool: {
    ...pool,
    forward: (ctx, x) => ({ y: maxpoolForward(x, poolGeometry(ctx)) }),
    backward: (ctx, x, _y, dy) => ({ dx: maxpoolBackward(x, dy, poolGeometry(ctx)) }),
  },
  avgpool: {
    ...pool,
    forward: (ctx, x) => ({ y: avgpoolForward(x, poolGeometry(ctx)) }),
    backward: (ctx, _x, _y, dy) => ({ dx: avgpoolBackward(dy, poolGeometry(ctx)) }),
  },
  flatten: {
    plan: (_layer, inShape) => ({ outShape: [sizeOf(inShape)], tensors: [] }),
    forward: (_ctx, x) => ({ y: flattenForward(x) }),
    backward: (_ctx, _x, _y, dy) => ({ dx: flattenBackward(dy) }),
  },
  dropout: {
    plan: samePlan,
    forward(ctx, x) {
      const l = ctx.layer;
      if (ctx.mode === 'eval' || l.rate === 0) return { y: Float64Array.from(x) };
      const mask = ctx.mask;
      if (mask === undefined) throw new BnxError(`dropout layer '${l.name}'${whereIs(l)} got no mask for this training step`);
      if (mask.length !== x.length) {
        throw new BnxError(
          `dropout layer '${l.name}'${whereIs(l)} got a mask of ${mask.length} values for ${ctx.batch} samples of ${sizeOf(ctx.inShape)}: it needs ${x.length}`,
        );
      }
      return { y: dropoutForward(x, mask), saved: mask };
    },
    backward: (_ctx, _x, _y, dy, saved) => ({ dx: saved === undefined ? Float64Array.from(dy) : dropoutBackward(dy, saved as Float32Array) }),
  },
  batchnorm: {
    plan(layer, inShape) {
      const channels = [inShape[0]!];
      const tensors: { role: string; shape: number[]; trainable?: false }[] = layer.affine
        ? [
            { role: 'gamma', shape: channels },
            { role: 'beta', shape: channels },
          ]
        : [];
      tensors.push({ role: 'running_mean', shape: channels, trainable: false }, { role: 'running_var', shape: channels, trainable: false });
      return { outShape: inShape, tensors };
    },
    forward(ctx, x) {
      const l = ctx.layer;
      const layout = channelLayout(ctx.inShape, ctx.batch);
      const gamma = l.affine ? ctx.param('gamma') : null;
      const beta = l.affine ? ctx.param('beta') : null;
      if (ctx.mode === 'eval') return { y: batchNormEvalForward(x, gamma, beta, ctx.param('running_mean'), ctx.param('running_var'), l.epsilon, layout) };
      if (ctx.batch * layout.spatial < 2) {
        throw new BnxError(
          `batchnorm layer '${l.name}'${whereIs(l)} cannot train on a batch of ${ctx.batch} sample(s) with ${layout.spatial} value(s) per channel: the batch variance needs at least 2 values per channel`,
        );
      }
      const result = batchNormTrainForward(x, gamma, beta, l.epsilon, layout);
      return { y: result.y, saved: result };
    },
    backward(ctx, _x, _y, dy, saved) {
      const l = ctx.layer;
      const g = batchNormTrainBackward(
        dy,
        saved as BatchNormTrainResult,
        l.affine ? ctx.param('gamma') : null,
        l.affine,
        channelLayout(ctx.inShape, ctx.batch),
      );
      const grads: Record<string, Float64Array> = g.dgamma !== null && g.dbeta !== null ? { gamma: g.dgamma, beta: g.dbeta } : {};
      return { dx: g.dx, grads };
    },
  },
  layernorm: groupNormKernel(),
  groupnorm: groupNormKernel(),
  relu: elementwise(
    (x) => act.reluForward(x),
    (x, _y, dy) => act.reluBackward(x, dy),
  ),
  leaky_relu: elementwise(
    (x, ctx) => act.leakyReluForward(x, ctx.layer.alpha),
    (x, _y, dy, ctx) => act.leakyReluBackward(x, dy, ctx.layer.alpha),
  ),
  sigmoid: elementwise(
    (x) => act.sigmoidForward(x),
    (x, _y, dy) => act.sigmoidBackward(x, dy),
  ),
  tanh: elementwise(
    (x) => act.tanhForward(x),
    (x, _y, dy) => act.tanhBackward(x, dy),
  ),
  elu: elementwise(
    (x, ctx) => act.eluForward(x, ctx.layer.alpha),
    (x, _y, dy, ctx) => act.eluBackward(x, dy, ctx.layer.alpha),
  ),
  softmax: elementwise(
    (x, ctx) => act.softmaxForward(x, lastAxis(ctx.inShape)),
    (_x, y, dy, ctx) => act.softmaxBackward(y, dy, lastAxis(ctx.inShape)),
  ),
};

/** The kernel of a layer's op, typed for that layer. */
export function kernelOf<L extends { op: LayerOp }>(layer: L): ReferenceKernel<L> {
  return REFERENCE_KERNELS[layer.op] as unknown as ReferenceKernel<L>;
}
