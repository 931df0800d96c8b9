// A/B of two builds of @bnx/backend-onnx in one process, interleaved in 0.5 s chunks (see onnx.mjs's
// `interleaved`), optionally with the PyTorch peer in the same window: how each change to the training graph or
// the session settings was measured before it was kept (packages/backend-onnx/README.md, "Measured").
//
//   node bench/ab.mjs --a DIR --b DIR [--models mlp,mlp_bn,cnn,cnn_bn] [--batches 32,128,512] [--cnn-batch 64]
//                     [--seconds 2] [--reps 3] [--torch]
//
// DIR is a copy of packages/backend-onnx/dist (it must sit inside packages/backend-onnx/ so that its imports
// resolve), e.g. `cp -r packages/backend-onnx/dist packages/backend-onnx/.ab-base` before a change and
// `pnpm -s --filter @bnx/backend-onnx build` after it. Prints, per model and batch, the median over repetitions
// of B ÷ A in CPU time and in wall time (and each ÷ PyTorch with --torch).
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { interleaved, median, mlp, seedCnn, trainingWorkload } from './onnx.mjs';
import { startTorch } from './torch.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const dirs = { a: `${resolve(option('a', 'packages/backend-onnx/dist'))}/`, b: `${resolve(option('b', 'packages/backend-onnx/dist'))}/` };
const modelNames = option('models', 'mlp,mlp_bn').split(',');
const batches = option('batches', '32,128,512').split(',').map(Number);
const cnnBatch = Number(option('cnn-batch', '64'));
const seconds = Number(option('seconds', '2'));
const repetitions = Number(option('reps', '3'));
const builders = { mlp: () => mlp(false), mlp_bn: () => mlp(true), cnn: () => seedCnn(false), cnn_bn: () => seedCnn(true) };
const log = (line) => process.stderr.write(`${line}\n`);
const torch = args.includes('--torch') ? await startTorch({ threads: availableParallelism(), log }) : null;

const fmt = (x) => `${x.toFixed(3)}×`;
for (const name of modelNames) {
  for (const batch of name.startsWith('cnn') ? [cnnBatch] : batches) {
    const model = builders[name]();
    const loads = [await trainingWorkload(model, batch, 'cpu', dirs.a), await trainingWorkload(model, batch, 'cpu', dirs.b)];
    if (torch) loads.push(await torch.workload(name, batch, 'cpu'));
    const reps = await interleaved(loads, { seconds, repetitions });
    for (const w of loads) await w.dispose();
    const ratio = (i, j, key) => median(reps.map((r) => r[i][key] / r[j][key]));
    const cpuRate = (i) => median(reps.map((r) => r[i].cpu)).toFixed(0);
    let line = `${name.padEnd(6)} batch ${String(batch).padStart(3)}: B÷A cpu ${fmt(ratio(1, 0, 'cpu'))} wall ${fmt(ratio(1, 0, 'wall'))}; samples/cpu-s A ${cpuRate(0)} B ${cpuRate(1)}`;
    if (torch)
      line += `; ÷torch cpu A ${fmt(ratio(0, 2, 'cpu'))} B ${fmt(ratio(1, 2, 'cpu'))}, wall A ${fmt(ratio(0, 2, 'wall'))} B ${fmt(ratio(1, 2, 'wall'))}`;
    console.log(line);
  }
}
await torch?.close();
