// `MODEL with batchnorm(...)` (or layernorm, groupnorm): derives the normalized twin of a model (Ioffe &
// Szegedy 2015, sec. 3.2). A normalization layer goes after every hidden dense/conv layer, before its
// activation or after it; never after the output layer (the last dense/conv, which gives the logits). With
// `input: true` one more normalizes the input, placed after any leading flatten so it normalizes features.
// Before the activation, the layer feeding it loses its bias, which the normalization's shift makes
// redundant, unless `keep_bias`. A layer already followed by a normalization layer is left as it is.
import { isActivation, opSpec, type NodeLocation, type NormTransform } from '@bnx/ir';
import type { UnnamedLayer } from './model.js';

/** The layer a transform inserts: its op with its attributes (everything but the placement). */
function normLayer(transform: NormTransform, loc: NodeLocation | undefined): UnnamedLayer {
  const { placement: _placement, input: _input, keepBias: _keepBias, ...layer } = transform;
  return (loc === undefined ? { ...layer } : { ...layer, loc }) as UnnamedLayer;
}

const isNormalization = (layer: UnnamedLayer | undefined) => layer !== undefined && opSpec(layer.op)?.kind === 'normalization';

/**
 * Returns new layers; the input is not changed. `loc` is where the transform was written, given to every
 * inserted layer so a diagnostic about one points at the `with ...(...)` that made it.
 */
export function applyNormalization(layers: readonly UnnamedLayer[], transform: NormTransform, loc?: NodeLocation): UnnamedLayer[] {
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
    result.push(normLayer(transform, loc));
  }
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i]!;
    // A layer the model already normalizes (a normalization layer written right after it) gets no second one.
    if (!hidden.has(i) || isNormalization(layers[i + 1])) {
      result.push(layer);
      continue;
    }
    if (transform.placement === 'before_activation') {
      const dropsBias = (layer.op === 'dense' || layer.op === 'conv2d') && !transform.keepBias;
      result.push(dropsBias ? { ...layer, bias: false } : layer);
      result.push(normLayer(transform, loc));
      continue;
    }
    result.push(layer);
    const next = layers[i + 1];
    if (next !== undefined && isActivation(next as Parameters<typeof isActivation>[0])) {
      result.push(next);
      i++;
    }
    result.push(normLayer(transform, loc));
  }
  return result;
}
