// The inference graph: x in, logits out (plus any requested layer outputs); BN uses running statistics and
// dropout is off. Parameters are either graph inputs (the trainer feeds its live state) or initializers
// holding given values (an exported model).
import type { NamedArrays } from '@bnx/core';
import type { ModelIR, ParamSpec, ShapedLayer } from '@bnx/ir';
import { BnxError, canonicalInput, shapeLayers } from '@bnx/ir';
import { GraphBuilder } from './graph-builder.js';
import { emitForward } from './forward-pass.js';
import { BATCH_DIM } from './training-graph.js';

export interface InferenceGraphOptions {
  /** Embed these values as initializers; absent: every parameter and buffer is a graph input. */
  weights?: NamedArrays;
  /** Layer names whose outputs become extra graph outputs `act:<layer>`. */
  activations?: string[];
}

export interface InferenceGraph {
  bytes: Uint8Array;
  layers: ShapedLayer[];
  /** Parameters and buffers the graph takes as inputs (empty when weights were embedded). */
  stateInputs: ParamSpec[];
}

/** Graph output of a layer's activation; `logits` is the last layer's output flattened to [batch, classes]. */
export const activationOutput = (layer: string) => `act:${layer}`;

export function buildInferenceGraph(model: ModelIR, options: InferenceGraphOptions = {}): InferenceGraph {
  const layers = shapeLayers(model);
  const g = new GraphBuilder(model.name);
  // shapeLayers has checked the input.
  const inputShape = canonicalInput(model.input)!;
  const x = g.input('x', 'float', [BATCH_DIM, ...inputShape]);
  const specs = layers.flatMap((l) => l.params);
  const stateInputs: ParamSpec[] = [];
  for (const spec of specs) {
    const value = options.weights?.[spec.name];
    if (options.weights) {
      if (!value) throw new BnxError(`cannot export model '${model.name}': the state has no '${spec.name}'`);
      if (value.data.length !== spec.shape.reduce((a, b) => a * b, 1))
        throw new BnxError(`cannot export model '${model.name}': '${spec.name}' has ${value.data.length} values, expected shape (${spec.shape.join(', ')})`);
      g.initializer(spec.name, spec.shape, value.data);
    } else {
      g.input(spec.name, 'float', spec.shape);
      stateInputs.push(spec);
    }
  }
  const forward = emitForward(g, layers, x, 'infer', (spec) => spec.name);
  for (const name of options.activations ?? []) {
    const index = layers.findIndex((l) => l.layer.name === name);
    if (index < 0) throw new BnxError(`model '${model.name}' has no layer '${name}'`);
    g.output(forward.records[index]!.fwd.y, activationOutput(name), 'float', [BATCH_DIM, ...layers[index]!.outShape]);
  }
  const lastShape = layers[layers.length - 1]?.outShape ?? inputShape;
  g.scope = 'output';
  const logits = lastShape.length > 1 ? g.reshape(forward.output, [0, -1]) : forward.output;
  g.output(logits, 'logits', 'float', [BATCH_DIM, lastShape.reduce((a, b) => a * b, 1)]);
  return { bytes: g.toBytes(`inference graph of model '${model.name}' (bnx)`), layers, stateInputs };
}
