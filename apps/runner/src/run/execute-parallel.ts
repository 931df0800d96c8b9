// `bnx run --jobs N`: the pending runs trained by N worker threads. Runs are handed out one at a time in
// dataset order (so a worker usually keeps its loaded dataset), and records come back to the main thread,
// which stores them exactly as a serial run does. Results do not depend on N: each run's numbers depend
// only on its spec (seeded initial weights, data order and dropout), never on what else runs.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BnxError, type RunSpec } from '@bnx/ir';
import type { RunRecord } from '@bnx/core';
import type { ExecuteHooks } from './execute-plan.js';
import { groupByDataset } from './dataset-groups.js';
import type { FromWorker, ToWorker, WorkerSetup } from './worker-protocol.js';

export interface ParallelOptions extends WorkerSetup {
  jobs: number;
  signal: AbortSignal;
}

/**
 * The compiled worker beside this module. Worker threads cannot load TypeScript, so when this module runs
 * from its sources (tests), the built copy in dist/ is used.
 */
export function workerScript(): URL {
  const fromSources = import.meta.url.endsWith('.ts');
  return new URL(fromSources ? '../../dist/run/worker.js' : './worker.js', import.meta.url);
}

export async function executeInWorkers(pending: readonly RunSpec[], options: ParallelOptions, hooks: ExecuteHooks): Promise<void> {
  const script = workerScript();
  if (!existsSync(fileURLToPath(script))) {
    throw new BnxError(`--jobs needs the built CLI (${fileURLToPath(script)} is missing); run \`pnpm build\`, or use --jobs 1`, 'E_JOBS_BUILD');
  }
  const queue = groupByDataset(pending).flat();
  const workerCount = Math.min(options.jobs, queue.length);
  const setup: WorkerSetup = { backend: options.backend, device: options.device, engine: options.engine, exportDir: options.exportDir };
  const workers: Worker[] = [];
  let failure: Error | undefined;

  await new Promise<void>((resolveAll) => {
    const finished = new Set<Worker>();
    const finishWorker = (worker: Worker) => {
      if (finished.has(worker)) return;
      finished.add(worker);
      void worker.terminate();
      if (finished.size === workerCount) resolveAll();
    };
    const next = (worker: Worker) => {
      const spec = failure || options.signal.aborted ? undefined : queue.shift();
      if (!spec) return finishWorker(worker);
      hooks.onRunStart?.(spec);
      worker.postMessage({ type: 'run', spec } satisfies ToWorker);
    };
    for (let i = 0; i < workerCount; i++) {
      const worker = new Worker(script, { workerData: setup });
      workers.push(worker);
      const specs = new Map(pending.map((s) => [s.id, s]));
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'ready') return next(worker);
        const spec = specs.get(message.id)!;
        if (message.type === 'progress') hooks.onProgress?.(spec, message.progress);
        else if (message.type === 'evaluation') hooks.onEvaluation?.(spec, message.entry);
        else if (message.type === 'done') {
          hooks.onRunEnd(spec, message.record as RunRecord);
          next(worker);
        } else {
          failure ??= message.userError ? new BnxError(message.message, undefined, message.diagnostics) : new Error(`run ${message.id}: ${message.message}`);
          finishWorker(worker);
        }
      });
      worker.on('error', (err) => {
        failure ??= err;
        finishWorker(worker);
      });
    }
    options.signal.addEventListener('abort', () => {
      for (const w of workers) w.postMessage({ type: 'abort' } satisfies ToWorker);
    });
  });
  if (failure) throw failure;
}
