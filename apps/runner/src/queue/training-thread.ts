// One worker thread of run/worker.ts (the thread `bnx run --jobs` uses), driven one run at a time. `bnx
// worker` trains every run in such a thread, never on its main thread: BullMQ renews a job's lock from the
// main thread's event loop, and a run that kept that loop busy past the lock duration would lose its lock
// and be trained a second time by another worker.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BnxError, type RunSpec } from '@bnx/ir';
import type { RunProgress, RunRecord } from '@bnx/core';
import { workerScript } from '../run/execute-parallel.js';
import type { FromWorker, ToWorker, WorkerSetup } from '../run/worker-protocol.js';

interface CurrentRun {
  id: string;
  onProgress?(progress: RunProgress): void;
  resolve(record: RunRecord): void;
  reject(err: Error): void;
}

export class TrainingThread {
  private readonly worker: Worker;
  /** Resolves once the thread has loaded and resolved its backend; rejects if it could not. */
  readonly ready: Promise<void>;
  private current: CurrentRun | undefined;
  private dead: Error | undefined;

  constructor(setup: WorkerSetup) {
    const script = workerScript();
    if (!existsSync(fileURLToPath(script))) {
      throw new BnxError(`bnx worker needs the built CLI (${fileURLToPath(script)} is missing); run \`pnpm build\``, 'E_JOBS_BUILD');
    }
    this.worker = new Worker(script, { workerData: setup });
    this.ready = new Promise<void>((resolveReady, rejectReady) => {
      this.worker.on('message', (message: FromWorker) => {
        if (message.type === 'ready') return resolveReady();
        const run = this.current;
        if (run === undefined || message.id !== run.id) return;
        if (message.type === 'progress') run.onProgress?.(message.progress);
        else if (message.type === 'done') {
          this.current = undefined;
          run.resolve(message.record);
        } else if (message.type === 'error') {
          this.current = undefined;
          run.reject(message.userError ? new BnxError(message.message, undefined, message.diagnostics) : new Error(message.message));
        }
      });
      this.worker.on('error', (err) => {
        this.dead = err;
        rejectReady(err);
        this.current?.reject(err);
        this.current = undefined;
      });
    });
    this.ready.catch(() => undefined); // observed by whoever awaits it; never an unhandled rejection
  }

  /** Trains one run; resolves with its record (failed runs included), rejects when the run could not start. */
  train(spec: RunSpec, onProgress?: (progress: RunProgress) => void): Promise<RunRecord> {
    if (this.dead) return Promise.reject(this.dead);
    if (this.current) return Promise.reject(new Error(`training thread busy with ${this.current.id}`));
    return new Promise<RunRecord>((resolve, reject) => {
      this.current = { id: spec.id, onProgress, resolve, reject };
      this.worker.postMessage({ type: 'run', spec } satisfies ToWorker);
    });
  }

  /** Stops the run in progress at its next step; it ends as an `interrupted` record. */
  abort(): void {
    this.worker.postMessage({ type: 'abort' } satisfies ToWorker);
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
