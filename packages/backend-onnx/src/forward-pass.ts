// Emits the forward pass of a sequential model, layer by layer, recording what the backward pass needs.
import type { GraphBuilder } from './graph-builder.js';
import type { ParamSpec, ShapedLayer } from '@bnx/ir';
import { opRules } from './op-registry.js';
import type { ForwardResult, OpContext } from './ops/op-rule.js';

export interface LayerRecord {
  ctx: OpContext;
  x: string;
  fwd: ForwardResult;
}

export interface ForwardPass {
  output: string;
  records: LayerRecord[];
}

export function emitForward(
  g: GraphBuilder,
  layers: ShapedLayer[],
  x: string,
  mode: 'train' | 'infer',
  tensorOf: (spec: ParamSpec) => string,
  dropoutMasks: Record<string, string> = {},
): ForwardPass {
  const records: LayerRecord[] = [];
  let current = x;
  for (const shaped of trainingOrder(layers, mode)) {
    g.scope = shaped.layer.name;
    const params: OpContext['params'] = {};
    for (const spec of shaped.params) params[spec.role] = tensorOf(spec);
    const mask = dropoutMasks[shaped.layer.name];
    const ctx: OpContext = mask ? { g, shaped, mode, params, dropoutMask: mask } : { g, shaped, mode, params };
    const fwd = opRules[shaped.layer.op].forward(ctx, current);
    records.push({ ctx, x: current, fwd });
    current = fwd.y;
  }
  return { output: current, records };
}

/**
 * The layers in the order the training graph runs them: a ReLU right before a max-pool runs after it instead,
 * on the pooled tensor (kh·kw times smaller), forward and backward. max(relu(x)) = relu(max(x)), and the
 * gradients are the same too: where a window's maximum is positive both orders route dy to its first maximal
 * element; where it is not, ReLU's gradient is 0 in both. Measured on the seed-cnn step, see the README.
 * Inference graphs keep the model's order: a probe may ask for the ReLU's own output.
 */
function trainingOrder(layers: ShapedLayer[], mode: 'train' | 'infer'): ShapedLayer[] {
  if (mode !== 'train') return layers;
  const order = [...layers];
  for (let i = 0; i + 1 < order.length; i++) {
    const relu = order[i]!;
    const pool = order[i + 1]!;
    if (relu.layer.op !== 'relu' || pool.layer.op !== 'maxpool') continue;
    order[i] = { ...pool, inShape: relu.inShape };
    order[i + 1] = { ...relu, inShape: pool.outShape, outShape: pool.outShape };
    i++;
  }
  return order;
}
