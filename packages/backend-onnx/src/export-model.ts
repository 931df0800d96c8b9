// The inference model for `bnx compile --emit onnx` and `bnx run --export`: a standalone .onnx file.
import type { NamedArrays } from '@bnx/core';
import type { ModelIR } from '@bnx/ir';
import { buildInferenceGraph } from './inference-graph.js';
import { foldBatchNorm } from './fold-batchnorm.js';

export interface ExportOptions {
  /** Fold inference-mode batch normalization into the preceding dense/conv layer (needs `state`). */
  foldBatchNorm?: boolean;
}

/**
 * Serialises `model` as an ONNX inference model (input `x` [batch, ...sample shape], output `logits`).
 * With `state`, the weights are embedded; without, every parameter and buffer is a graph input.
 */
export function exportInferenceModel(model: ModelIR, state?: NamedArrays, options: ExportOptions = {}): Uint8Array {
  if (!state) return buildInferenceGraph(model).bytes;
  const source = options.foldBatchNorm ? foldBatchNorm(model, state) : { model, state };
  return buildInferenceGraph(source.model, { weights: source.state }).bytes;
}
