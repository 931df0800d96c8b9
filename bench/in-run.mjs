// The run as fast as the step: the training rate a real run records (RunRecord.samples_per_second: samples
// trained ÷ time inside training segments, evaluation pauses excluded) against the bench's step rate for the
// same model and batch, measured interleaved. A run here is what `bnx run` does for one run (@bnx/core's
// trainRun on MNIST loaded by @bnx/data, the onnx backend, progress and evaluation hooks attached), on the
// MLP of bench/onnx.mjs: 19,000 training samples (subset 24,000, 5,000 held out), 2 epochs, batch 128, an
// evaluation after each epoch, so each run includes its compile, its first steps and its evaluation pauses.
//
//   node bench/in-run.mjs [--batch 128] [--seconds 3] [--device cpu]
import { pathToFileURL, fileURLToPath } from 'node:url';
import { cpuSecondsSince, interleaved, median, trainingWorkload } from './onnx.mjs';

const dist = (pkg) => import(pathToFileURL(fileURLToPath(new URL(`../packages/${pkg}/dist/index.js`, import.meta.url))).href);

/** The run's file: the bench's MLP (784-300-100-10) with and without batch normalization before each hidden ReLU. */
export function inRunSource(batch, epochs = 2) {
  return `
dataset mnist_flat {
  source: mnist
  subset: 24000
  validation: 5000
  preprocess: [scale(1/255), flatten]
}
model mlp {
  input(784)
  dense(300)
  relu
  dense(100)
  relu
  dense(10)
}
train sgd_momentum {
  optimizer: sgd(lr: 0.01, momentum: 0.9)
  loss: cross_entropy
  epochs: ${epochs}
  batch: ${batch}
}
experiment in_run {
  data: mnist_flat
  train: sgd_momentum
  variant mlp: mlp
  variant mlp_bn: mlp with batchnorm(placement: before_activation)
  seeds: [1]
}
`;
}

/** The run specs of the experiment above, by variant name, and its dataset (loaded once). */
async function inRunSpecs(batch) {
  const [{ checkText }, { expandPlan }, { loadDataset }] = await Promise.all([dist('dsl'), dist('ir'), dist('data')]);
  const checked = checkText(inRunSource(batch), '<bench/in-run.mjs>');
  if (!checked.program) throw new Error(`bench/in-run.mjs: its .bnx source does not check: ${checked.diagnostics.map((d) => d.message).join('; ')}`);
  const expanded = expandPlan(checked.program, 'in_run', {});
  if (!expanded.plan) throw new Error(`bench/in-run.mjs: ${expanded.diagnostics.map((d) => d.message).join('; ')}`);
  const specs = Object.fromEntries(expanded.plan.runs.map((r) => [r.variant, r]));
  const data = await loadDataset(specs.mlp.dataset, { seed: specs.mlp.seed });
  return { specs, data };
}

/**
 * The onnx backend, its trainers' train() calls (the driver's training segments) timed in CPU time: the
 * in-run rate per CPU-second, which a shared machine's other work does not change as it changes wall time.
 */
function cpuTimedBackend(backend, counter) {
  return {
    ...backend,
    async compile(...args) {
      const trainer = await backend.compile(...args);
      const train = trainer.train.bind(trainer);
      trainer.train = async (batches, hooks) => {
        const cpu = process.cpuUsage();
        try {
          return await train(batches, hooks);
        } finally {
          counter.cpuSeconds += cpuSecondsSince(cpu);
        }
      };
      return trainer;
    },
  };
}

/** One whole run per chunk (ms is ignored): units = samples trained, seconds = time inside training segments. */
async function runWorkload(spec, data, device) {
  const [{ trainRun }, { onnxBackend }] = await Promise.all([dist('core'), dist('backend-onnx')]);
  const runs = [];
  const counter = { cpuSeconds: 0 };
  const backend = cpuTimedBackend(onnxBackend, counter);
  return {
    runs,
    async chunk() {
      counter.cpuSeconds = 0;
      const record = await trainRun(spec, { backend, device, data, onProgress: () => {}, onEvaluation: () => {} });
      if (record.status !== 'completed') throw new Error(`bench/in-run.mjs: run ${spec.id} ${record.status}: ${record.error ?? ''}`);
      runs.push(record.samples_per_second);
      const units = spec.train.epochs * data.train.count; // every sample of every epoch, the last partial batch included
      return { units, seconds: units / record.samples_per_second, cpuSeconds: counter.cpuSeconds };
    },
    dispose: async () => {},
  };
}

/**
 * Per model (mlp, mlp_bn) at `batch`: the bench's step rate and the in-run training rate, medians over
 * `repetitions` interleaved repetitions, and in-run ÷ step (median of the per-repetition ratios), in wall
 * time and in CPU time.
 */
export async function benchInRun({ batch = 128, device = 'cpu', seconds = 3, repetitions = 3 } = {}) {
  const { specs, data } = await inRunSpecs(batch);
  const rows = [];
  for (const name of ['mlp', 'mlp_bn']) {
    const spec = specs[name];
    const run = await runWorkload(spec, data, device);
    const step = await trainingWorkload(spec.model, batch, device);
    // The first run of a process also pays module loading and JIT warm-up, which no later run does: reported
    // apart, and left out of the medians.
    await run.chunk();
    const reps = await interleaved([step, run], { seconds, repetitions, chunkMs: 1000 });
    await step.dispose();
    rows.push({
      model: name,
      batch,
      stepSamplesPerSec: median(reps.map((r) => r[0].wall)),
      inRunSamplesPerSec: median(reps.map((r) => r[1].wall)),
      inRunOverStep: median(reps.map((r) => r[1].wall / r[0].wall)),
      inRunOverStepCpu: median(reps.map((r) => r[1].cpu / r[0].cpu)),
      firstRunSamplesPerSec: run.runs[0],
      trainingSamples: data.train.count,
      runs: run.runs.length - 1,
    });
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : fallback;
  };
  const rows = await benchInRun({ batch: Number(arg('batch', '128')), device: arg('device', 'cpu'), seconds: Number(arg('seconds', '3')) });
  for (const r of rows)
    console.log(
      `${r.model.padEnd(6)} batch ${r.batch}: step ${r.stepSamplesPerSec.toFixed(0)} samples/s, in a run ${r.inRunSamplesPerSec.toFixed(0)} ` +
        `(${(100 * r.inRunOverStep).toFixed(0)}% of the step rate, ${(100 * r.inRunOverStepCpu).toFixed(0)}% in CPU time; ${r.runs} runs of ${r.trainingSamples} training samples)`,
    );
}
