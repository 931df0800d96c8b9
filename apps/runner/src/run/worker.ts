// A worker thread of `bnx run --jobs N`: trains the runs it is sent, one at a time, keeping the last
// dataset it loaded so consecutive runs on the same data and seed share it. The numbers are the same as in
// a serial run: every run is seeded from its spec alone.
import { parentPort, workerData } from 'node:worker_threads';
import { isBnxError, type RunSpec } from '@bnx/ir';
import { resolveBackend, trainRun } from '@bnx/core';
import { loadDataset, type LoadedDataset } from '@bnx/data';
import { datasetKey } from './dataset-groups.js';
import { exportRunModel } from './export-model.js';
import { loadBackends } from './load-backends.js';
import type { FromWorker, ToWorker, WorkerSetup } from './worker-protocol.js';

const port = parentPort!;
const setup = workerData as WorkerSetup;
const post = (message: FromWorker) => port.postMessage(message);

await loadBackends(setup.backend);
const resolved = await resolveBackend({ name: setup.backend, device: setup.device, engine: setup.engine });
const controller = new AbortController();
let cached: { key: string; data: LoadedDataset } | undefined;

async function run(spec: RunSpec): Promise<void> {
  try {
    const key = datasetKey(spec);
    if (cached?.key !== key) cached = { key, data: await loadDataset(spec.dataset, { seed: spec.seed }) };
    const record = await trainRun(spec, {
      backend: resolved.backend,
      device: resolved.device.device,
      engine: resolved.device.engine,
      data: cached.data,
      signal: controller.signal,
      onProgress: (progress) => post({ type: 'progress', id: spec.id, progress }),
      onEvaluation: (entry) => post({ type: 'evaluation', id: spec.id, entry }),
      onFinalState: setup.exportDir ? (state) => void exportRunModel(setup.exportDir!, spec, state) : undefined,
    });
    post({ type: 'done', id: spec.id, record });
  } catch (err) {
    post({
      type: 'error',
      id: spec.id,
      message: err instanceof Error ? err.message : String(err),
      userError: isBnxError(err),
      diagnostics: isBnxError(err) ? [...err.diagnostics] : [],
    });
  }
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'run') void run(message.spec);
  else controller.abort();
});
post({ type: 'ready' });
