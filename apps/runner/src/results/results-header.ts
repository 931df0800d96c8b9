// The experiment-level fields of results.json, from the resolved plan and the backend that runs it.
import type { PlanIR } from '@bnx/ir';
import { RESULTS_SCHEMA, type TargetSpec, type VariantInfo } from '@bnx/metrics';
import type { ResultsHeader } from './build-results.js';

export interface RunEnvironment {
  backend: string;
  device: string;
  engine: string | null;
  startedAt: string;
  version: string;
}

export function resultsHeader(plan: PlanIR, env: RunEnvironment): ResultsHeader {
  const variants: VariantInfo[] = plan.variants.map((name) => {
    const spec = plan.runs.find((r) => r.variant === name);
    return { name, batchnorm: spec?.model.layers.some((l) => l.op === 'batchnorm') ?? false };
  });
  const target = plan.runs[0]?.target;
  const targetSpec: TargetSpec | null = target ? { metric: target.metric, op: target.op, value: target.value } : null;
  return {
    schema: RESULTS_SCHEMA,
    experiment: plan.experiment,
    source_file: plan.sourceFile,
    backend: env.backend,
    device: env.device,
    engine: env.engine,
    started_at: env.startedAt,
    finished_at: null,
    bnx_version: env.version,
    variants,
    sweeps: plan.sweeps.map((s) => ({ key: s.key, values: s.values })),
    seeds: plan.seeds,
    target: targetSpec,
    declared_claims: plan.claims,
  };
}
