// TEST DOUBLE for the training driver's tests: the float64 reference backend (../reference/, the oracle every
// real backend is checked against) behind a thin wrapper that logs what the driver feeds it and injects
// faults, so the tests can watch how the driver records divergence, backend failures and interruption. It is
// never registered.
import { BnxError } from '@bnx/ir';
import type { Backend, DeviceInfo, StepResult, Trainer, TrainBatch } from '../backend.js';
import { createReferenceBackend } from '../reference/backend.js';

export interface FakeFaults {
  /** This step reports a NaN loss to the driver. */
  nanLossAtStep?: number;
  /** This step throws a plain Error, as a crashing backend would. */
  throwAtStep?: number;
  /** Delay (ms) awaited before each step, to let tests abort mid-run. */
  stepDelayMs?: number;
  /** compile() refuses the model with this BnxError message. */
  compileError?: string;
}

export interface FakeBackendOptions {
  name?: string;
  devices?: DeviceInfo[];
  faults?: FakeFaults;
}

/** Every step the fake saw, for assertions on what the driver fed it. */
export interface FakeStepLog {
  step: number;
  size: number;
  lr: number;
  maskLayers: string[];
  /** Sum of x over the batch: a cheap fingerprint of which samples were fed. */
  xSum: number;
}

export interface FakeBackend extends Backend {
  /** Steps of every trainer this backend compiled, in order. */
  readonly log: FakeStepLog[];
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The batches as the driver hands them, logged, one at a time so a fault can stop the run mid-segment. */
async function* logged(batches: Iterable<TrainBatch>, log: FakeStepLog[], faults: FakeFaults): AsyncGenerator<TrainBatch> {
  for (const batch of batches) {
    if (faults.stepDelayMs !== undefined) await delay(faults.stepDelayMs);
    log.push({
      step: batch.step,
      size: batch.size,
      lr: batch.lr,
      maskLayers: Object.keys(batch.dropoutMasks ?? {}).sort(),
      xSum: batch.x.reduce((a, b) => a + b, 0),
    });
    if (batch.step === faults.throwAtStep) throw new Error(`fake backend crashed at step ${batch.step}`);
    yield batch;
  }
}

function faulty(inner: Trainer, name: string, log: FakeStepLog[], faults: FakeFaults): Trainer {
  return {
    backend: name,
    device: 'cpu',
    engine: 'js',
    async train(batches, hooks) {
      for await (const batch of logged(batches, log, faults)) {
        let keepGoing = true;
        await inner.train([batch], {
          onStep(result: StepResult) {
            keepGoing = hooks.onStep(result.step === faults.nanLossAtStep ? { ...result, loss: Number.NaN } : result) !== false;
            return keepGoing;
          },
        });
        if (!keepGoing) return;
      }
    },
    evaluate: (data, batchSize) => inner.evaluate(data, batchSize),
    activations: (x, count, requests) => inner.activations(x, count, requests),
    state: () => inner.state(),
    load: (state) => inner.load(state),
    dispose: () => inner.dispose(),
  };
}

/** A fresh fake backend (not registered anywhere). */
export function createFakeBackend(options: FakeBackendOptions = {}): FakeBackend {
  const name = options.name ?? 'fake';
  const faults = options.faults ?? {};
  const log: FakeStepLog[] = [];
  const reference = createReferenceBackend();
  return {
    name,
    log,
    devices: async () => options.devices ?? [{ device: 'cpu', engine: 'js', available: true }],
    async compile(model, recipe, compileOptions) {
      if (faults.compileError !== undefined) throw new BnxError(faults.compileError);
      return faulty(await reference.compile(model, recipe, { ...compileOptions, device: 'cpu' }), name, log, faults);
    },
  };
}
