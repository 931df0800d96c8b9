// Every file of shared/bnx/ with a reduced budget (`--set epochs=1 --set subset=512`, one seed, the first sweep
// point of each variant) through the real pipeline (dsl → plan → data → core's trainRun) on the onnx backend and
// on the tfjs backend: each run must complete, and both backends must draw the same loss curve (relativeError
// over the step losses below PARITY_TOLERANCE, the bound justified in onnx-tfjs.test.ts).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFile } from '@bnx/dsl';
import { expandPlan } from '@bnx/ir';
import type { RunSpec } from '@bnx/ir';
import { loadDataset } from '@bnx/data';
import { trainRun } from '@bnx/core';
import { onnxBackend } from '@bnx/backend-onnx';
import { tfjsBackend } from '@bnx/backend-tfjs';
import { relativeError } from '../conformance/relative-error.js';

const SHARED = '/work/shared/bnx';
const PARITY_TOLERANCE = 1e-4;
const files = readdirSync(SHARED).filter((f) => f.endsWith('.bnx')).sort();

function reducedRuns(file: string): RunSpec[] {
  const parsed = checkFile(join(SHARED, file));
  if (!parsed.program) throw new Error(`${file}: ${parsed.diagnostics.map((d) => d.message).join('; ')}`);
  const runs: RunSpec[] = [];
  for (const experiment of parsed.program.experiments) {
    const planned = expandPlan(parsed.program, experiment.name, { overrides: { epochs: 1, subset: 512 }, seeds: [1] });
    if (!planned.plan) throw new Error(`${file}: ${planned.diagnostics.map((d) => d.message).join('; ')}`);
    const seen = new Set<string>();
    for (const run of planned.plan.runs) {
      if (seen.has(run.variant)) continue;
      seen.add(run.variant);
      runs.push(run);
    }
  }
  return runs;
}

describe.runIf(files.length > 0)('shared/bnx files on onnx, against tfjs', () => {
  for (const file of files)
    it(file, async () => {
      for (const spec of reducedRuns(file)) {
        const data = await loadDataset(spec.dataset, { seed: spec.seed });
        const onnx = await trainRun(spec, { backend: onnxBackend, device: 'cpu', data });
        const tfjs = await trainRun(spec, { backend: tfjsBackend, device: 'cpu', data });
        expect(onnx.status, `${spec.id} on onnx`).toBe('completed');
        expect(onnx.step_losses.length).toBeGreaterThan(0);
        expect(onnx.step_losses).toHaveLength(tfjs.step_losses.length);
        expect(relativeError(onnx.step_losses, tfjs.step_losses), `${file} ${spec.id} loss curves`).toBeLessThan(PARITY_TOLERANCE);
      }
    }, 600_000);
});
