// Folds each inference-mode batchnorm into the dense or conv2d layer right before it:
//   s = gamma / sqrt(running_var + eps);  W' = W·s (per output unit/channel);  b' = (b - running_mean)·s + beta
// A batchnorm after an activation (or first in the model) has nothing linear to fold into and stays.
import type { NamedArrays } from '@bnx/core';
import type { BatchNormLayer, Layer, ModelIR } from '@bnx/ir';
import { BnxError } from '@bnx/ir';

function get(state: NamedArrays, name: string): Float32Array {
  const value = state[name];
  if (!value) throw new BnxError(`cannot fold batch normalization: the state has no '${name}'`);
  return value.data;
}

export function foldBatchNorm(model: ModelIR, state: NamedArrays): { model: ModelIR; state: NamedArrays } {
  const layers: Layer[] = [];
  const folded: NamedArrays = { ...state };
  for (const layer of model.layers) {
    const prev = layers[layers.length - 1];
    if (layer.op !== 'batchnorm' || !prev || (prev.op !== 'dense' && prev.op !== 'conv2d')) {
      layers.push(layer);
      continue;
    }
    const bn = layer as BatchNormLayer;
    const mean = get(state, `${bn.name}.running_mean`);
    const variance = get(state, `${bn.name}.running_var`);
    const units = mean.length;
    const gamma = bn.affine ? get(state, `${bn.name}.gamma`) : new Float32Array(units).fill(1);
    const beta = bn.affine ? get(state, `${bn.name}.beta`) : new Float32Array(units);
    const scale = new Float64Array(units);
    for (let c = 0; c < units; c++) scale[c] = gamma[c]! / Math.sqrt(variance[c]! + bn.epsilon);

    const weight = state[`${prev.name}.weight`];
    if (!weight) throw new BnxError(`cannot fold batch normalization: the state has no '${prev.name}.weight'`);
    const w = Float32Array.from(weight.data);
    if (prev.op === 'dense') {
      for (let i = 0; i < w.length; i++) w[i] = w[i]! * scale[i % units]!;
    } else {
      const perChannel = w.length / units;
      for (let i = 0; i < w.length; i++) w[i] = w[i]! * scale[Math.floor(i / perChannel)]!;
    }
    const oldBias = prev.bias ? get(state, `${prev.name}.bias`) : new Float32Array(units);
    const bias = new Float32Array(units);
    for (let c = 0; c < units; c++) bias[c] = (oldBias[c]! - mean[c]!) * scale[c]! + beta[c]!;

    folded[`${prev.name}.weight`] = { shape: weight.shape, data: w };
    folded[`${prev.name}.bias`] = { shape: [units], data: bias };
    for (const role of ['gamma', 'beta', 'running_mean', 'running_var']) delete folded[`${bn.name}.${role}`];
    layers[layers.length - 1] = { ...prev, bias: true };
  }
  return { model: { ...model, layers }, state: folded };
}
