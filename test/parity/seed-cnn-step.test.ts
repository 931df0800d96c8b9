// The batch-normalized CNN of shared/bnx/seed-cnn.bnx at full size (batch 64, 28x28, 32 and 64 channels), one
// SGD step with lr 1 from the same initial weights, on each backend and on the float64 reference: the updated
// state minus the initial one is the gradient, so this compares every gradient at the scale the experiment
// runs at, where float32 sums run over N·H·W = 50,176 terms (the small conformance cases never reach that).
//
// Measured on 2026-11-22 (relativeError, max abs difference over max magnitude): onnx within 1.2e-5 of
// float64 everywhere; tfjs within 1e-6 except the conv filter gradients, 2.1e-4 (conv2d_1) and 3.6e-5
// (conv2d_2): XNNPACK's convolution accumulates the 50,176 products of each filter tap in float32 in one
// run, and on MNIST normalized to [-1, 1] the background's -1 makes those sums cancel heavily. Before the
// blocked column sums, tfjs's batch-norm beta gradients were off by 3% (one changed sign) and this test failed.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkFile } from '@bnx/dsl';
import { expandPlan } from '@bnx/ir';
import type { RunSpec, TrainIR } from '@bnx/ir';
import { loadDataset } from '@bnx/data';
import { initialState } from '@bnx/core';
import type { Backend, NamedArrays, TrainBatch } from '@bnx/core';
import { createReferenceBackend } from '@bnx/core/reference';
import { onnxBackend } from '@bnx/backend-onnx';
import { tfjsBackend } from '@bnx/backend-tfjs';
import { relativeError } from '../conformance/relative-error.js';

const file = fileURLToPath(new URL('../../examples/seed-cnn.bnx', import.meta.url));
const STATE_TOLERANCE = 2e-5;
/** tfjs's conv filter gradients (see above): 2.1e-4 measured. */
const TFJS_CONV_FILTER_TOLERANCE = 1e-3;

async function oneStep(backend: Backend, run: RunSpec, batch: TrainBatch): Promise<{ state: NamedArrays; loss: number }> {
  const trainer = await backend.compile(run.model, run.train, {
    device: 'cpu',
    numClasses: 10,
    initialState: initialState(run.model, run.train, run.seed),
    gradNorms: false,
    maxBatch: batch.size,
  });
  try {
    let loss = Number.NaN;
    await trainer.train([batch], { onStep: (s) => void (loss = s.loss) });
    return { state: await trainer.state(), loss };
  } finally {
    await trainer.dispose();
  }
}

describe('seed-cnn.bnx, batchnorm variant, one full-size step: gradients against float64', async () => {
  const program = checkFile(file).program!;
  const planned = expandPlan(program, undefined, { seeds: [1] }).plan!.runs.find((r) => r.variant === 'batchnorm')!;
  const sgd: TrainIR['optimizer'] = { kind: 'sgd', lr: 1, momentum: 0, nesterov: false, weightDecay: 0 };
  const run: RunSpec = { ...planned, train: { ...planned.train, optimizer: sgd } };
  const data = await loadDataset({ ...run.dataset, subset: 5000 + 64 }, { seed: 1 });
  const size = run.train.batch;
  const sample = data.train.x.length / data.train.count;
  const batch: TrainBatch = { x: data.train.x.slice(0, size * sample), y: data.train.y.slice(0, size), size, step: 0, lr: 1, dropoutMasks: {} };
  const reference = await oneStep(createReferenceBackend(), run, batch);

  it.each([
    ['onnx', onnxBackend],
    ['tfjs', tfjsBackend],
  ] as const)('%s', async (name, backend) => {
    const result = await oneStep(backend, run, batch);
    expect(Math.abs(result.loss - reference.loss) / reference.loss).toBeLessThan(1e-6);
    for (const [key, expected] of Object.entries(reference.state)) {
      const actual = result.state[key];
      expect(actual, `${name} state lacks ${key}`).toBeDefined();
      const convFilter = name === 'tfjs' && /^conv2d_\d+\.weight$/.test(key);
      expect(relativeError(actual!.data, expected.data), key).toBeLessThan(convFilter ? TFJS_CONV_FILTER_TOLERANCE : STATE_TOLERANCE);
    }
  });
});
