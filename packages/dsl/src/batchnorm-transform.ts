// `MODEL with batchnorm(...)`: derives the normalized twin of a model (Ioffe & Szegedy 2015, sec. 3.2).
// A batchnorm goes after every hidden dense/conv layer, before its activation or after it; never after the
// output layer (the last dense/conv, which gives the logits). With `input: true` one more normalizes the
// input, placed after any leading flatten so it normalizes features. Before the activation, the layer
// feeding the batchnorm loses its bias, which the batchnorm's shift makes redundant, unless `keep_bias`.
// A layer already followed by a batchnorm in the model is left as it is.
import type { BatchNormTransform, NodeLocation } from '@bnx/ir';
import type { UnnamedLayer } from './model.js';

const ACTIVATIONS = new Set<UnnamedLayer['op']>(['relu', 'sigmoid', 'tanh', 'softmax', 'leaky_relu', 'elu']);

function batchnorm(transform: BatchNormTransform, loc: NodeLocation | undefined): UnnamedLayer {
  const layer: UnnamedLayer = {
    op: 'batchnorm',
    momentum: transform.momentum,
    epsilon: transform.epsilon,
    runningVar: transform.runningVar,
    affine: transform.affine,
  };
  if (loc !== undefined) layer.loc = loc;
  return layer;
}

/**
 * Returns new layers; the input is not changed. `loc` is where the transform was written, given to every
 * inserted batchnorm so a diagnostic about one points at the `with batchnorm(...)` that made it.
 */
export function applyBatchNorm(layers: readonly UnnamedLayer[], transform: BatchNormTransform, loc?: NodeLocation): UnnamedLayer[] {
  const linear = layers.flatMap((layer, index) => (layer.op === 'dense' || layer.op === 'conv2d' ? [index] : []));
  const output = linear[linear.length - 1];
  const hidden = new Set(linear.filter((index) => index !== output));
  const result: UnnamedLayer[] = [];
  if (transform.input) {
    let leading = 0;
    while (layers[leading]?.op === 'flatten') result.push(layers[leading++]!);
    layers = layers.slice(leading);
    // Indices below are relative to the remaining layers.
    const shift = leading;
    const shifted = new Set([...hidden].map((i) => i - shift));
    hidden.clear();
    for (const i of shifted) hidden.add(i);
    result.push(batchnorm(transform, loc));
  }
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i]!;
    // A layer the model already normalizes (a batchnorm written right after it) gets no second one.
    if (!hidden.has(i) || layers[i + 1]?.op === 'batchnorm') {
      result.push(layer);
      continue;
    }
    if (transform.placement === 'before_activation') {
      const dropsBias = (layer.op === 'dense' || layer.op === 'conv2d') && !transform.keepBias;
      result.push(dropsBias ? { ...layer, bias: false } : layer);
      result.push(batchnorm(transform, loc));
      continue;
    }
    result.push(layer);
    const next = layers[i + 1];
    if (next !== undefined && ACTIVATIONS.has(next.op)) {
      result.push(next);
      i++;
    }
    result.push(batchnorm(transform, loc));
  }
  return result;
}
