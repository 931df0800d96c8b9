// Forward and backward passes of a planned sequential network, in float64, one op file per layer kind.
// Pure functions: parameters are read, never written; running statistics are returned, not applied.
import type { Layer } from '@bnx/ir';
import { BnxError } from '@bnx/ir';
import * as act from './activations.js';
import {
  batchNormEvalForward,
  batchNormTrainBackward,
  batchNormTrainForward,
  type BatchNormLayout,
  type BatchNormTrainResult,
} from './batchnorm.js';
import { conv2dBackward, conv2dForward, type Conv2dGeometry } from './conv2d.js';
import { denseBackward, denseForward } from './dense.js';
import { dropoutBackward, dropoutForward } from './dropout.js';
import { flattenBackward, flattenForward } from './flatten.js';
import { sizeOf, whereIs, type LayerPlan, type NetworkPlan } from './plan.js';
import { avgpoolBackward, avgpoolForward, maxpoolBackward, maxpoolForward, type PoolGeometry } from './pool.js';

/** Parameters and buffers by name (`dense_1.weight`, `bn_1.running_mean`). */
export type Float64Params = Record<string, Float64Array>;

export type Mode = 'train' | 'eval';

export interface ForwardPass {
  batch: number;
  mode: Mode;
  /** Input of layer i is inputs[i]; its output is inputs[i + 1]; the last entry is the logits. */
  inputs: Float64Array[];
  /** Per layer index: the training-mode batch-norm intermediates. */
  batchNorm: Map<number, BatchNormTrainResult>;
  /** Per layer index: the dropout mask used in training. */
  masks: Map<number, Float32Array>;
}

function get(params: Float64Params, name: string): Float64Array {
  const p = params[name];
  if (p === undefined) throw new BnxError(`the state has no entry '${name}'`);
  return p;
}

function convGeometry(plan: LayerPlan, batch: number): Conv2dGeometry {
  const l = plan.layer as Extract<Layer, { op: 'conv2d' }>;
  return {
    batch,
    inChannels: plan.inShape[0]!,
    inHeight: plan.inShape[1]!,
    inWidth: plan.inShape[2]!,
    outChannels: l.filters,
    kernel: l.kernel,
    stride: l.stride,
    padding: l.padding,
  };
}

function poolGeometry(plan: LayerPlan, batch: number): PoolGeometry {
  const l = plan.layer as Extract<Layer, { op: 'maxpool' | 'avgpool' }>;
  return {
    batch,
    channels: plan.inShape[0]!,
    inHeight: plan.inShape[1]!,
    inWidth: plan.inShape[2]!,
    size: l.size,
    stride: l.stride,
    padding: 'valid',
  };
}

function bnLayout(plan: LayerPlan, batch: number): BatchNormLayout {
  return { batch, channels: plan.inShape[0]!, spatial: sizeOf(plan.inShape.slice(1)) };
}

const lastAxis = (plan: LayerPlan): number => plan.inShape[plan.inShape.length - 1]!;

export function forward(
  net: NetworkPlan,
  params: Float64Params,
  x: Float64Array,
  batch: number,
  mode: Mode,
  masks: Record<string, Float32Array> = {},
): ForwardPass {
  if (x.length !== batch * net.inputSize) {
    throw new BnxError(
      `model '${net.model.name}' expects ${net.inputSize} values per sample, got ${x.length} values for ${batch} samples`,
    );
  }
  const pass: ForwardPass = { batch, mode, inputs: [x], batchNorm: new Map(), masks: new Map() };
  net.layers.forEach((plan, index) => {
    const input = pass.inputs[index]!;
    const l = plan.layer;
    const p = (role: string) => get(params, `${l.name}.${role}`);
    let y: Float64Array;
    switch (l.op) {
      case 'dense':
        y = denseForward(input, p('weight'), l.bias ? p('bias') : null, { batch, inputs: plan.inShape[0]!, units: l.units });
        break;
      case 'conv2d':
        y = conv2dForward(input, p('weight'), l.bias ? p('bias') : null, convGeometry(plan, batch));
        break;
      case 'maxpool':
        y = maxpoolForward(input, poolGeometry(plan, batch));
        break;
      case 'avgpool':
        y = avgpoolForward(input, poolGeometry(plan, batch));
        break;
      case 'flatten':
        y = flattenForward(input);
        break;
      case 'dropout': {
        if (mode === 'eval' || l.rate === 0) {
          y = Float64Array.from(input);
          break;
        }
        const mask = masks[l.name];
        if (mask === undefined) {
          throw new BnxError(`dropout layer '${l.name}'${whereIs(l)} got no mask for this training step`);
        }
        if (mask.length !== input.length) {
          throw new BnxError(
            `dropout layer '${l.name}'${whereIs(l)} got a mask of ${mask.length} values for ${batch} samples of ${sizeOf(plan.inShape)}: it needs ${input.length}`,
          );
        }
        pass.masks.set(index, mask);
        y = dropoutForward(input, mask);
        break;
      }
      case 'batchnorm': {
        const layout = bnLayout(plan, batch);
        const gamma = l.affine ? p('gamma') : null;
        const beta = l.affine ? p('beta') : null;
        if (mode === 'eval') {
          y = batchNormEvalForward(input, gamma, beta, p('running_mean'), p('running_var'), l.epsilon, layout);
          break;
        }
        if (batch * layout.spatial < 2) {
          throw new BnxError(
            `batchnorm layer '${l.name}'${whereIs(l)} cannot train on a batch of ${batch} sample(s) with ${layout.spatial} value(s) per channel: the batch variance needs at least 2 values per channel`,
          );
        }
        const result = batchNormTrainForward(input, gamma, beta, l.epsilon, layout);
        pass.batchNorm.set(index, result);
        y = result.y;
        break;
      }
      case 'relu':
        y = act.reluForward(input);
        break;
      case 'leaky_relu':
        y = act.leakyReluForward(input, l.alpha);
        break;
      case 'sigmoid':
        y = act.sigmoidForward(input);
        break;
      case 'tanh':
        y = act.tanhForward(input);
        break;
      case 'elu':
        y = act.eluForward(input, l.alpha);
        break;
      case 'softmax':
        y = act.softmaxForward(input, lastAxis(plan));
        break;
    }
    pass.inputs.push(y);
  });
  return pass;
}

/** The logits of a forward pass (output of the last layer). */
export const logitsOf = (pass: ForwardPass): Float64Array => pass.inputs[pass.inputs.length - 1]!;

/**
 * Gradients of every trainable parameter given dL/dlogits, for a TRAINING-mode pass (batch normalization
 * backpropagates through its batch statistics).
 */
export function backward(net: NetworkPlan, params: Float64Params, pass: ForwardPass, dlogits: Float64Array): Float64Params {
  if (pass.mode !== 'train') throw new Error('backward needs a training-mode forward pass');
  const grads: Float64Params = {};
  let dy = dlogits;
  for (let index = net.layers.length - 1; index >= 0; index--) {
    const plan = net.layers[index]!;
    const l = plan.layer;
    const input = pass.inputs[index]!;
    const output = pass.inputs[index + 1]!;
    const p = (role: string) => get(params, `${l.name}.${role}`);
    const batch = pass.batch;
    switch (l.op) {
      case 'dense': {
        const g = denseBackward(input, p('weight'), dy, l.bias, { batch, inputs: plan.inShape[0]!, units: l.units });
        grads[`${l.name}.weight`] = g.dw;
        if (g.db !== null) grads[`${l.name}.bias`] = g.db;
        dy = g.dx;
        break;
      }
      case 'conv2d': {
        const g = conv2dBackward(input, p('weight'), dy, l.bias, convGeometry(plan, batch));
        grads[`${l.name}.weight`] = g.dw;
        if (g.db !== null) grads[`${l.name}.bias`] = g.db;
        dy = g.dx;
        break;
      }
      case 'maxpool':
        dy = maxpoolBackward(input, dy, poolGeometry(plan, batch));
        break;
      case 'avgpool':
        dy = avgpoolBackward(dy, poolGeometry(plan, batch));
        break;
      case 'flatten':
        dy = flattenBackward(dy);
        break;
      case 'dropout': {
        const mask = pass.masks.get(index);
        dy = mask === undefined ? Float64Array.from(dy) : dropoutBackward(dy, mask);
        break;
      }
      case 'batchnorm': {
        const result = pass.batchNorm.get(index)!;
        const g = batchNormTrainBackward(dy, result, l.affine ? p('gamma') : null, l.affine, bnLayout(plan, batch));
        if (g.dgamma !== null) grads[`${l.name}.gamma`] = g.dgamma;
        if (g.dbeta !== null) grads[`${l.name}.beta`] = g.dbeta;
        dy = g.dx;
        break;
      }
      case 'relu':
        dy = act.reluBackward(input, dy);
        break;
      case 'leaky_relu':
        dy = act.leakyReluBackward(input, dy, l.alpha);
        break;
      case 'sigmoid':
        dy = act.sigmoidBackward(input, dy);
        break;
      case 'tanh':
        dy = act.tanhBackward(input, dy);
        break;
      case 'elu':
        dy = act.eluBackward(input, dy, l.alpha);
        break;
      case 'softmax':
        dy = act.softmaxBackward(output, dy, lastAxis(plan));
        break;
    }
  }
  return grads;
}
