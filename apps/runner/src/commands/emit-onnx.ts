// `bnx compile --emit onnx [--variant NAME] --out model.onnx`: one variant's model as a standalone ONNX
// inference model (input `x`, output `logits`) holding the initial weights of the plan's first seed, so any
// ONNX tool can inspect exactly the network a run starts from. Batch normalization appears as
// BatchNormalization nodes with their initial running statistics (mean 0, variance 1); trained models come
// from `bnx run --export`.
import { BnxError, type PlanIR, type RunSpec } from '@bnx/ir';
import { initialState } from '@bnx/core';
import { exportInferenceModel } from '@bnx/backend-onnx';
import { writeFileAtomic } from '../results/atomic-write.js';

export interface WrittenModel {
  path: string;
  experiment: string;
  variant: string;
  seed: number;
}

/** The run whose model and initial weights are written: the variant's first run with the plan's first seed. */
function pickRun(plans: readonly PlanIR[], variant: string | undefined): RunSpec {
  const candidates = plans.flatMap((plan) => plan.variants.filter((v) => variant === undefined || v === variant).map((v) => ({ plan, variant: v })));
  const list = (names: string[]) => names.map((n) => `'${n}'`).join(', ');
  if (plans.length === 0) throw new BnxError("--emit onnx writes the model of an experiment's variant, and this file declares no experiment");
  if (candidates.length === 0) {
    const known = [...new Set(plans.flatMap((p) => p.variants))];
    throw new BnxError(`--variant ${variant}: no such variant; this file has ${list(known)}`);
  }
  if (candidates.length > 1) {
    if (variant === undefined) {
      throw new BnxError(
        `--emit onnx writes one model: choose it with --variant (${list(candidates.map((c) => c.variant))}${plans.length > 1 ? ', with --experiment to pick the experiment' : ''})`,
      );
    }
    throw new BnxError(`--variant ${variant} is in several experiments (${list(candidates.map((c) => c.plan.experiment))}): choose one with --experiment`);
  }
  const { plan, variant: chosen } = candidates[0]!;
  // Sweeps change the data and the recipe, never the network; with an `init` sweep, its first point is taken.
  const run = plan.runs.find((r) => r.variant === chosen && r.seed === plan.seeds[0]) ?? plan.runs.find((r) => r.variant === chosen);
  if (run === undefined) throw new BnxError(`experiment '${plan.experiment}' plans no run of variant '${chosen}'`);
  return run;
}

export function writeOnnxModel(plans: readonly PlanIR[], variant: string | undefined, path: string): WrittenModel {
  const run = pickRun(plans, variant);
  writeFileAtomic(path, exportInferenceModel(run.model, initialState(run.model, run.train, run.seed)));
  return { path, experiment: run.experiment, variant: run.variant, seed: run.seed };
}
