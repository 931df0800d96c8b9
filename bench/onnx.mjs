// Benchmark of @bnx/backend-onnx (built dist): training samples/s of the 784-300-100-10 MLP with and without
// batch normalization at batch 32/128/512 and of the seed-cnn.bnx CNN, against a ceiling measured in the same
// run: ORT's MatMul GFLOP/s at 1024x784 · 784x300 divided by each model's training FLOPs per sample.
//
//   node bench/onnx.mjs [--device cpu|cuda|auto] [--seconds 2] [--json]
//
// `benchOnnx(opts)` returns the rows; bench/run.mjs may import it. Data is synthetic (random, seeded): the
// step costs the same on any data of that shape, and nothing is downloaded.
import { createRequire } from 'node:module';
import { availableParallelism, cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const pkgDir = fileURLToPath(new URL('../packages/backend-onnx/', import.meta.url));
const dist = (file) => import(pathToFileURL(`${pkgDir}dist/${file}`).href);
const ort = createRequire(`${pkgDir}package.json`)('onnxruntime-node');

const dense = (name, units, bias = true) => ({ name, op: 'dense', units, init: null, bias });
const bn = (name) => ({ name, op: 'batchnorm', momentum: 0.1, epsilon: 1e-5, runningVar: 'unbiased', affine: true });
const act = (name, op = 'relu') => ({ name, op });

/** 784-300-100-10; with BN: before each hidden activation, no bias before BN (Ioffe & Szegedy 3.2). */
export function mlp(withBn) {
  const layers = withBn
    ? [dense('dense_1', 300, false), bn('bn_1'), act('relu_1'), dense('dense_2', 100, false), bn('bn_2'), act('relu_2'), dense('dense_3', 10)]
    : [dense('dense_1', 300), act('relu_1'), dense('dense_2', 100), act('relu_2'), dense('dense_3', 10)];
  return { name: withBn ? 'mlp_bn' : 'mlp', input: [784], layers };
}

/** The `cnn` model of shared/bnx/seed-cnn.bnx (and its `with batchnorm(placement: before_activation)` twin). */
export function seedCnn(withBn) {
  const conv = (name, filters) => ({ name, op: 'conv2d', filters, kernel: [3, 3], stride: [1, 1], padding: 'same', init: null, bias: !withBn });
  const pool = (name) => ({ name, op: 'maxpool', size: [2, 2], stride: [2, 2] });
  const maybeBn = (name) => (withBn ? [bn(name)] : []);
  return {
    name: withBn ? 'cnn_bn' : 'cnn',
    input: [1, 28, 28],
    layers: [
      conv('conv2d_1', 32),
      ...maybeBn('bn_1'),
      act('relu_1'),
      pool('maxpool_1'),
      conv('conv2d_2', 64),
      ...maybeBn('bn_2'),
      act('relu_2'),
      pool('maxpool_2'),
      { name: 'flatten_1', op: 'flatten' },
      { ...dense('dense_1', 128), bias: !withBn },
      ...maybeBn('bn_3'),
      act('relu_3'),
      dense('dense_2', 10),
    ],
  };
}

/** Training FLOPs per sample: 3 × the forward multiply-adds × 2 (forward, input gradient, weight gradient). */
export function trainingFlops(model) {
  let shape = model.input.length === 2 ? [1, ...model.input] : [...model.input];
  let macs = 0;
  for (const l of model.layers) {
    if (l.op === 'dense') {
      macs += shape[0] * l.units;
      shape = [l.units];
    } else if (l.op === 'conv2d') {
      const [c, h, w] = shape;
      const ho = l.padding === 'same' ? Math.ceil(h / l.stride[0]) : Math.floor((h - l.kernel[0]) / l.stride[0]) + 1;
      const wo = l.padding === 'same' ? Math.ceil(w / l.stride[1]) : Math.floor((w - l.kernel[1]) / l.stride[1]) + 1;
      macs += l.filters * ho * wo * c * l.kernel[0] * l.kernel[1];
      shape = [l.filters, ho, wo];
    } else if (l.op === 'maxpool' || l.op === 'avgpool') {
      shape = [shape[0], Math.floor((shape[1] - l.size[0]) / l.stride[0]) + 1, Math.floor((shape[2] - l.size[1]) / l.stride[1]) + 1];
    } else if (l.op === 'flatten') {
      shape = [shape.reduce((a, b) => a * b, 1)];
    }
  }
  return 3 * 2 * macs;
}

function randomState(model, buildShapes) {
  let s = 12345;
  const rand = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296;
  const state = {};
  for (const spec of buildShapes(model)) {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const fanIn = spec.role === 'weight' ? n / spec.shape[spec.shape.length === 2 ? 1 : 0] : 1;
    const fill = spec.role === 'gamma' || spec.role === 'running_var' ? 1 : 0;
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = spec.role === 'weight' ? (rand() * 2 - 1) * Math.sqrt(6 / fanIn) : fill;
    state[spec.name] = { shape: spec.shape, data };
  }
  return state;
}

/** A MatMul session at 1024×784 · 784×300 with the trainer's settings; `chunk(ms)` runs it for about ms. */
async function matmulWorkload(device) {
  const { GraphBuilder } = await dist('graph-builder.js');
  const { sessionOptions } = await dist('session-options.js');
  const g = new GraphBuilder('matmul');
  g.input('a', 'float', [1024, 784]);
  g.input('b', 'float', [784, 300]);
  g.output(g.node('MatMul', ['a', 'b']), 'c', 'float', [1024, 300]);
  // The ceiling is the best ORT does on this product: threads spin between runs here (the trainer's sessions
  // do not, which pays for them but would understate a lone MatMul).
  const { extra: _noSpin, ...spinning } = sessionOptions(device);
  const session = await ort.InferenceSession.create(g.toBytes(), spinning);
  const feeds = {
    a: new ort.Tensor(
      'float32',
      Float32Array.from({ length: 1024 * 784 }, (_, i) => (i % 7) - 3),
      [1024, 784],
    ),
    b: new ort.Tensor(
      'float32',
      Float32Array.from({ length: 784 * 300 }, (_, i) => (i % 5) - 2),
      [784, 300],
    ),
  };
  // The product is written into one reused buffer: a fresh 1.2 MB output per run costs page faults that have
  // nothing to do with the multiply.
  const fetches = { c: new ort.Tensor('float32', new Float32Array(1024 * 300), [1024, 300]) };
  for (let i = 0; i < 3; i++) await session.run(feeds, fetches);
  return {
    work: 2 * 1024 * 784 * 300, // FLOPs per run
    async chunk(ms) {
      let runs = 0;
      const start = performance.now();
      while (performance.now() - start < ms) {
        await session.run(feeds, fetches);
        runs++;
      }
      return { units: runs, seconds: (performance.now() - start) / 1000 };
    },
    dispose: () => session.release(),
  };
}

/** CPU time of this process (every thread: ORT's pool included) since `start`, a process.cpuUsage() value. */
export const cpuSecondsSince = (start) => {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1e6;
};

/** A trainer on synthetic data; `chunk(ms)` trains for about ms and counts the samples. */
export async function trainingWorkload(model, batch, device, distDir = `${pkgDir}dist/`) {
  const { onnxBackend } = await import(pathToFileURL(`${distDir}backend.js`).href);
  const { paramSpecs } = await import(pathToFileURL(createRequire(`${pkgDir}package.json`).resolve('@bnx/ir')).href);
  const recipe = {
    name: 'bench',
    optimizer: { kind: 'sgd', lr: 0.01, momentum: 0.9, nesterov: false, weightDecay: 0 },
    loss: 'cross_entropy',
    steps: 1,
    batch,
    schedule: { kind: 'constant' },
    initScale: 1,
  };
  const trainer = await onnxBackend.compile(model, recipe, {
    device,
    numClasses: 10,
    initialState: randomState(model, (m) => paramSpecs(m)),
    gradNorms: false,
    maxBatch: batch,
  });
  const sample = 784;
  const poolBatches = 8;
  const x = Float32Array.from({ length: poolBatches * batch * sample }, (_, i) => ((i * 2654435761) % 1000) / 1000);
  const y = Int32Array.from({ length: poolBatches * batch }, (_, i) => (i * 7) % 10);
  let step = 0;
  function* batches(until, limit) {
    for (let n = 0; limit ? n < limit : performance.now() < until; n++, step++) {
      const k = step % poolBatches;
      yield {
        x: x.subarray(k * batch * sample, (k + 1) * batch * sample),
        y: y.subarray(k * batch, (k + 1) * batch),
        size: batch,
        step,
        lr: 0.01,
        dropoutMasks: {},
      };
    }
  }
  await trainer.train(batches(0, 3), { onStep: () => {} }); // warm-up: allocations, thread pool
  return {
    async chunk(ms) {
      const first = step;
      const cpu = process.cpuUsage();
      const start = performance.now();
      await trainer.train(batches(start + ms, 0), { onStep: () => {} });
      return { units: (step - first) * batch, seconds: (performance.now() - start) / 1000, cpuSeconds: cpuSecondsSince(cpu) };
    },
    dispose: () => trainer.dispose(),
  };
}

/** The median of a list of numbers. */
export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * Runs workloads round-robin in chunks of `chunkMs` until each has had `seconds`, `repetitions` times over, so
 * that the load of a shared machine drifts over all of them alike; returns, per repetition, units per second
 * for each workload: `wall`, and `cpu` (units per CPU-second, where the workload reports cpuSeconds: the
 * number that holds on a machine shared with other work, where wall time counts the others' time slices).
 */
export async function interleaved(workloads, { seconds, repetitions = 3, chunkMs = 500 }) {
  const reps = [];
  for (let rep = 0; rep < repetitions; rep++) {
    const totals = workloads.map(() => ({ units: 0, seconds: 0, cpuSeconds: 0 }));
    for (let round = 0; totals.some((t) => t.seconds < seconds); round++) {
      // Each round starts one workload later, so none always runs right after the same other one (the
      // ceiling's MatMul session lets its threads spin for a while after each run).
      for (let k = 0; k < workloads.length; k++) {
        const i = (k + round + rep) % workloads.length;
        const r = await workloads[i].chunk(chunkMs);
        totals[i].units += r.units;
        totals[i].seconds += r.seconds;
        totals[i].cpuSeconds += r.cpuSeconds ?? Number.NaN;
      }
    }
    reps.push(totals.map((t) => ({ wall: t.units / t.seconds, cpu: t.units / t.cpuSeconds })));
  }
  return reps;
}

/**
 * Runs the benchmark; rows: { model, batch, samplesPerSec, stepMs, matmulGflops, ceilingSamplesPerSec,
 * ceilingRatio, cpuSamplesPerSec, bnStepRatio?, torchSamplesPerSec?, overTorch?, torchCpuSamplesPerSec?, overTorchCpu?,
 * torchBnStepRatio? } (cpu: samples per CPU-second of the process, see `interleaved`). The ceiling MatMul, the
 * models of one batch size and their PyTorch twins (when `peer` is given, see bench/torch.mjs) run interleaved
 * (see `interleaved`): rates are medians over the repetitions, and bnx ÷ PyTorch is the median of the ratios
 * taken within each repetition, so ratios hold even while other work shares the machine.
 * opts: { device = 'cpu', seconds = 2 (per repetition), repetitions = 3, batches = [32, 128, 512],
 * cnnBatch = 64 (null: no CNN rows), peer = null }.
 */
export async function benchOnnx(opts = {}) {
  const device = opts.device ?? 'cpu';
  const seconds = opts.seconds ?? 2;
  const repetitions = opts.repetitions ?? 3;
  const peer = opts.peer ?? null;
  const rows = [];
  const matmul = await matmulWorkload(device);
  // Warm up before the first group: the first seconds of a process measured slower here (its first group's
  // ceiling came out 20-30% under the next groups'), which cost the batch-32 rows against model.fit.
  await matmul.chunk(2000);
  const row = (model, batch, sps, gflops) => {
    const ceiling = (gflops * 1e9) / trainingFlops(model);
    return {
      backend: 'onnx',
      device,
      model: model.name,
      batch,
      samplesPerSec: sps,
      stepMs: (1000 * batch) / sps,
      matmulGflops: gflops,
      ceilingSamplesPerSec: ceiling,
      ceilingRatio: sps / ceiling,
    };
  };
  const group = async (models, batch) => {
    const ours = await Promise.all(models.map((m) => trainingWorkload(m, batch, device)));
    const theirs = peer ? await Promise.all(models.map((m) => peer.workload(m.name, batch, device === 'cuda' ? 'cuda' : 'cpu'))) : [];
    const loads = [matmul, ...ours, ...theirs];
    const reps = await interleaved(loads, { seconds, repetitions });
    for (const w of loads.slice(1)) await w.dispose();
    const gflops = (median(reps.map((r) => r[0].wall)) * matmul.work) / 1e9;
    const n = models.length;
    return models.map((m, i) => {
      const r = row(m, batch, median(reps.map((rep) => rep[1 + i].wall)), gflops);
      r.cpuSamplesPerSec = median(reps.map((rep) => rep[1 + i].cpu));
      if (peer) {
        r.torchSamplesPerSec = median(reps.map((rep) => rep[1 + n + i].wall));
        r.overTorch = median(reps.map((rep) => rep[1 + i].wall / rep[1 + n + i].wall));
        r.torchCpuSamplesPerSec = median(reps.map((rep) => rep[1 + n + i].cpu));
        r.overTorchCpu = median(reps.map((rep) => rep[1 + i].cpu / rep[1 + n + i].cpu));
      }
      return r;
    });
  };
  const bnCosts = (base, withBn) => {
    withBn.bnStepRatio = withBn.stepMs / base.stepMs;
    if (peer) withBn.torchBnStepRatio = base.torchSamplesPerSec / withBn.torchSamplesPerSec;
  };
  for (const batch of opts.batches ?? [32, 128, 512]) {
    const [base, withBn] = await group([mlp(false), mlp(true)], batch);
    bnCosts(base, withBn);
    rows.push(base, withBn);
  }
  if (opts.cnnBatch !== null) {
    const [cnn, cnnBn] = await group([seedCnn(false), seedCnn(true)], opts.cnnBatch ?? 64);
    bnCosts(cnn, cnnBn);
    rows.push(cnn, cnnBn);
  }
  await matmul.dispose();
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : fallback;
  };
  const rows = await benchOnnx({ device: arg('device', 'cpu'), seconds: Number(arg('seconds', '2')) });
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ cpu: cpus()[0]?.model, cores: availableParallelism(), rows }, null, 2));
  } else {
    console.log(
      `onnx backend, ${rows[0].device}, ${availableParallelism()} cores; ceiling = MatMul 1024x784·784x300 GFLOP/s (interleaved with each group) / training FLOPs per sample`,
    );
    for (const r of rows)
      console.log(
        `${r.model.padEnd(7)} batch ${String(r.batch).padStart(3)}: ${r.samplesPerSec.toFixed(0).padStart(7)} samples/s, ` +
          `${(100 * r.ceilingRatio).toFixed(0)}% of ceiling (${r.ceilingSamplesPerSec.toFixed(0)} at ${r.matmulGflops.toFixed(0)} GFLOP/s)` +
          (r.bnStepRatio ? `, BN step ${r.bnStepRatio.toFixed(2)}x baseline` : ''),
      );
  }
}
