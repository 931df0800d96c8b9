// Training throughput of @bnx/backend-tfjs against its peer, tfjs-layers `model.fit`, on the same tfjs engine,
// model and batch sizes, in one process: the 784-300-100-10 MLP with and without batch normalization (before the
// activation, no bias before BN), SGD with momentum, cross-entropy, synthetic MNIST-shaped data.
//
//   node bench/tfjs.mjs [--quick] [--engine wasm|cpu] [--batches 32,128,512] [--json]
//
// Runs against the built packages (`pnpm --filter @bnx/backend-tfjs build`). `benchTfjs(opts)` returns the rows
// so bench/run.mjs can fold them into the combined report.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const root = new URL('../', import.meta.url);
const fromBackend = createRequire(new URL('packages/backend-tfjs/package.json', root));
const fromTests = createRequire(new URL('test/package.json', root));

const INPUT = 784;
const CLASSES = 10;
const HIDDEN = [300, 100];

/** mulberry32, for data and initial weights (the bench needs plausible numbers, not @bnx/core's exact ones). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function syntheticData(count, seed) {
  const random = rng(seed);
  const x = new Float32Array(count * INPUT);
  for (let i = 0; i < x.length; i++) x[i] = random();
  const y = new Int32Array(count);
  for (let i = 0; i < count; i++) y[i] = Math.floor(random() * CLASSES);
  return { x, y, count };
}

function mlpIR(batchnorm) {
  const layers = [];
  const sizes = [...HIDDEN, CLASSES];
  sizes.forEach((units, k) => {
    const hidden = k < sizes.length - 1;
    layers.push({ op: 'dense', name: `dense_${k + 1}`, units, init: null, bias: !(batchnorm && hidden) });
    if (!hidden) return;
    if (batchnorm) layers.push({ op: 'batchnorm', name: `bn_${k + 1}`, momentum: 0.1, epsilon: 1e-5, runningVar: 'unbiased', affine: true });
    layers.push({ op: 'relu', name: `relu_${k + 1}` });
  });
  return { name: batchnorm ? 'mlp_bn' : 'mlp', input: [INPUT], layers };
}

function glorotState(model, seed) {
  const random = rng(seed);
  const state = {};
  let inputs = INPUT;
  for (const layer of model.layers) {
    if (layer.op === 'dense') {
      const limit = Math.sqrt(6 / (inputs + layer.units));
      const w = new Float32Array(inputs * layer.units);
      for (let i = 0; i < w.length; i++) w[i] = (random() * 2 - 1) * limit;
      state[`${layer.name}.weight`] = { shape: [inputs, layer.units], data: w };
      if (layer.bias) state[`${layer.name}.bias`] = { shape: [layer.units], data: new Float32Array(layer.units) };
      inputs = layer.units;
    } else if (layer.op === 'batchnorm') {
      const ones = () => new Float32Array(inputs).fill(1);
      state[`${layer.name}.gamma`] = { shape: [inputs], data: ones() };
      state[`${layer.name}.beta`] = { shape: [inputs], data: new Float32Array(inputs) };
      state[`${layer.name}.running_mean`] = { shape: [inputs], data: new Float32Array(inputs) };
      state[`${layer.name}.running_var`] = { shape: [inputs], data: ones() };
    }
  }
  return state;
}

/**
 * Runs `work(n)` (n steps) until `seconds` have passed. Returns steps per wall-clock second and per CPU second
 * of this process: on a machine shared with other jobs the CPU-time rate is the steadier of the two.
 */
async function rate(work, seconds) {
  let steps = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let elapsed = 0;
  let chunk = 1;
  while (elapsed < seconds * 1000) {
    await work(chunk);
    steps += chunk;
    elapsed = performance.now() - start;
    chunk = Math.min(chunk * 2, 64);
  }
  const cpu = process.cpuUsage(cpuStart);
  return { wall: steps / (elapsed / 1000), cpu: steps / ((cpu.user + cpu.system) / 1e6) };
}

/** A measurable configuration: `measure(seconds)` gives samples/s by wall clock and by CPU time. */
async function bnxRunner(backend, batchnorm, batch, data, engine) {
  const model = mlpIR(batchnorm);
  const recipe = {
    name: 'bench',
    optimizer: { kind: 'sgd', lr: 0.01, momentum: 0.9, nesterov: false, weightDecay: 0 },
    loss: 'cross_entropy',
    epochs: 1,
    batch,
    schedule: { kind: 'constant' },
    initScale: 1,
  };
  const trainer = await backend.compile(model, recipe, {
    device: 'cpu',
    engine,
    numClasses: CLASSES,
    initialState: glorotState(model, 1),
    gradNorms: false,
    maxBatch: batch,
  });
  const perEpoch = Math.floor(data.count / batch);
  let step = 0;
  // Batches are views into the dataset, as @bnx/data hands them out.
  function* batches(n) {
    for (let i = 0; i < n; i++, step++) {
      const b = step % perEpoch;
      yield {
        x: data.x.subarray(b * batch * INPUT, (b + 1) * batch * INPUT),
        y: data.y.subarray(b * batch, (b + 1) * batch),
        size: batch,
        step,
        lr: 0.01,
        dropoutMasks: {},
      };
    }
  }
  const work = (n) => trainer.train(batches(n), { onStep: () => {} });
  await work(3);
  return {
    measure: async (seconds) => scale(await rate(work, seconds), batch),
    dispose: () => trainer.dispose(),
  };
}

async function layersRunner(tf, tfl, batchnorm, batch, data) {
  const model = tfl.sequential();
  const sizes = [...HIDDEN, CLASSES];
  sizes.forEach((units, k) => {
    const hidden = k < sizes.length - 1;
    const config = { units, useBias: !(batchnorm && hidden), kernelInitializer: 'glorotUniform' };
    if (k === 0) config.inputShape = [INPUT];
    if (!hidden) config.activation = 'softmax';
    model.add(tfl.layers.dense(config));
    if (!hidden) return;
    // Keras momentum is the weight of the OLD value: 0.9 here is bnx's 0.1.
    if (batchnorm) model.add(tfl.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }));
    model.add(tfl.layers.activation({ activation: 'relu' }));
  });
  model.compile({ optimizer: tf.train.momentum(0.01, 0.9), loss: 'categoricalCrossentropy' });
  // A fit() epoch is the peer's unit of work: at least 8 steps and 2,048 samples, so that the fixed cost of a
  // fit() call (callbacks, history) is spread as it is in real use, and rounds stay short.
  const perEpoch = Math.max(8, Math.ceil(2048 / batch));
  const count = perEpoch * batch;
  const xs = tf.tensor2d(data.x.subarray(0, count * INPUT), [count, INPUT]);
  const ys = tf.oneHot(tf.tensor1d(data.y.subarray(0, count), 'int32'), CLASSES);
  // One fit call is one epoch of `perEpoch` steps; the rate counts fit calls.
  const work = async (n) => void (await model.fit(xs, ys, { batchSize: batch, epochs: n, shuffle: false, verbose: 0 }));
  await work(1);
  return {
    measure: async (seconds) => scale(await rate(work, seconds), perEpoch * batch),
    dispose: () => {
      xs.dispose();
      ys.dispose();
      model.dispose();
    },
  };
}

function scale(r, factor) {
  return { wall: r.wall * factor, cpu: r.cpu * factor };
}

/**
 * @param {{ quick?: boolean, engine?: 'wasm' | 'cpu', batches?: number[], seconds?: number, rounds?: number, log?: (line: string) => void }} opts
 * @returns {Promise<Array<{ suite: 'tfjs', engine: string, impl: 'bnx' | 'tfjs-layers', model: 'mlp' | 'mlp_bn', batch: number, samplesPerSec: number, samplesPerCpuSec: number }>>}
 *   samplesPerSec: the best wall-clock rate over the rounds; samplesPerCpuSec: the best rate per CPU second.
 */
export async function benchTfjs(opts = {}) {
  const engine = opts.engine ?? 'wasm';
  const quick = opts.quick ?? false;
  const batches = opts.batches ?? (quick ? [128] : [32, 128, 512]);
  const seconds = opts.seconds ?? (quick ? 0.5 : 1.5);
  const rounds = opts.rounds ?? (quick ? 2 : 3);
  const log = opts.log ?? ((line) => console.log(line));
  const { tfjsBackend } = await import(new URL('packages/backend-tfjs/dist/index.js', root).href);
  const tf = await import(pathToFileURL(fromBackend.resolve('@tensorflow/tfjs-core')).href);
  const tfl = await import(pathToFileURL(fromTests.resolve('@tensorflow/tfjs-layers')).href);
  const data = syntheticData(Math.max(2048, 8 * Math.max(...batches)), 7);
  const rows = [];
  for (const batch of batches) {
    const configs = [];
    for (const model of ['mlp', 'mlp_bn']) {
      // The bnx trainer activates the engine; the tfjs-layers peer then runs on that same engine.
      configs.push({ impl: 'bnx', model, runner: await bnxRunner(tfjsBackend, model === 'mlp_bn', batch, data, engine) });
      configs.push({ impl: 'tfjs-layers', model, runner: await layersRunner(tf, tfl, model === 'mlp_bn', batch, data) });
    }
    if (tf.getBackend() !== engine) throw new Error(`bench: expected the ${engine} engine, tfjs runs on ${tf.getBackend()}`);
    // Interleaved rounds, best of each: other jobs on a shared machine slow some rounds, never speed one up.
    const best = configs.map(() => ({ wall: 0, cpu: 0 }));
    for (let round = 0; round < rounds; round++) {
      for (const [k, c] of configs.entries()) {
        const r = await c.runner.measure(seconds);
        best[k] = { wall: Math.max(best[k].wall, r.wall), cpu: Math.max(best[k].cpu, r.cpu) };
      }
    }
    for (const [k, c] of configs.entries()) {
      await c.runner.dispose();
      rows.push({ suite: 'tfjs', engine, impl: c.impl, model: c.model, batch, samplesPerSec: best[k].wall, samplesPerCpuSec: best[k].cpu });
    }
    const find = (impl, model) => rows.find((r) => r.impl === impl && r.model === model && r.batch === batch);
    for (const model of ['mlp', 'mlp_bn']) {
      const [bnx, peer] = [find('bnx', model), find('tfjs-layers', model)];
      log(
        `tfjs/${engine} ${model.padEnd(6)} batch ${String(batch).padStart(3)}: samples/s bnx ${fmt(bnx.samplesPerSec)} (${fmt(bnx.samplesPerCpuSec)} per cpu-s)` +
          `  model.fit ${fmt(peer.samplesPerSec)} (${fmt(peer.samplesPerCpuSec)} per cpu-s)` +
          `  ratio ${(bnx.samplesPerSec / peer.samplesPerSec).toFixed(2)}x (cpu ${(bnx.samplesPerCpuSec / peer.samplesPerCpuSec).toFixed(2)}x)`,
      );
    }
    const bnCost = (impl, key) => find(impl, 'mlp')[key] / find(impl, 'mlp_bn')[key];
    log(
      `tfjs/${engine} batch ${String(batch).padStart(3)}: BN step-time cost bnx ${bnCost('bnx', 'samplesPerSec').toFixed(2)}x ` +
        `(cpu ${bnCost('bnx', 'samplesPerCpuSec').toFixed(2)}x), model.fit ${bnCost('tfjs-layers', 'samplesPerSec').toFixed(2)}x ` +
        `(cpu ${bnCost('tfjs-layers', 'samplesPerCpuSec').toFixed(2)}x)`,
    );
  }
  return rows;
}

function fmt(samplesPerSec) {
  return Math.round(samplesPerSec).toLocaleString('en-US').padStart(6);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const value = (flag) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const batches = value('--batches')?.split(',').map(Number);
  const json = args.includes('--json');
  // With --json the rows go to stdout as JSON (for bench/run.mjs) and the progress lines to stderr.
  const log = json ? (line) => process.stderr.write(`${line}\n`) : undefined;
  const rows = await benchTfjs({ quick: args.includes('--quick'), engine: value('--engine'), batches, log });
  if (json) process.stdout.write(`${JSON.stringify(rows)}\n`);
  // tfjs-backend-wasm's thread pool would keep the process alive.
  process.exit(0);
}
