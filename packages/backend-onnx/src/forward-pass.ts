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
  for (const shaped of layers) {
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
