// `bnx run --export DIR`: each completed run's trained model as a standalone ONNX inference model
// (DIR/<run id>.onnx, input `x`, output `logits`). Batch normalization after a dense or conv layer is folded
// into that layer's weights with its running statistics, as deployment tools do; any other stays a node.
import { join } from 'node:path';
import type { RunSpec } from '@bnx/ir';
import type { NamedArrays } from '@bnx/core';
import { exportInferenceModel } from '@bnx/backend-onnx';
import { writeFileAtomic } from '../results/atomic-write.js';

export function exportedModelPath(dir: string, spec: RunSpec): string {
  return join(dir, `${spec.id}.onnx`);
}

export function exportRunModel(dir: string, spec: RunSpec, state: NamedArrays): string {
  const path = exportedModelPath(dir, spec);
  writeFileAtomic(path, exportInferenceModel(spec.model, state, { foldBatchNorm: true }));
  return path;
}
