// `bnx compile --emit onnx`: each variant's model as a standalone ONNX inference model (input `x`, output
// `logits`), holding the initial weights of the plan's first seed, so any ONNX tool can inspect exactly the
// network a run starts from. Batch normalization appears as BatchNormalization nodes with their initial
// running statistics (mean 0, variance 1); trained models come from `bnx run --export`.
import { join } from 'node:path';
import type { PlanIR } from '@bnx/ir';
import { initialState } from '@bnx/core';
import { exportInferenceModel } from '@bnx/backend-onnx';
import { writeFileAtomic } from '../results/atomic-write.js';

/** Writes DIR/<experiment>.<variant>.onnx for every variant of every plan; returns the paths written. */
export function writeOnnxModels(plans: readonly PlanIR[], dir: string): string[] {
  const written: string[] = [];
  for (const plan of plans) {
    for (const variant of plan.variants) {
      // Sweeps change the data and the recipe, never the network; the variant's first run with the first
      // seed gives the weights (with an `init` sweep, that is its first point).
      const run = plan.runs.find((r) => r.variant === variant && r.seed === plan.seeds[0]) ?? plan.runs.find((r) => r.variant === variant);
      if (run === undefined) continue;
      const path = join(dir, `${plan.experiment}.${variant}.onnx`);
      writeFileAtomic(path, exportInferenceModel(run.model, initialState(run.model, run.train, run.seed)));
      written.push(path);
    }
  }
  return written;
}
