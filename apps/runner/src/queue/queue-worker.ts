// `bnx worker --queue URL`: a long-running process on any machine that takes runs from the queue, trains
// them exactly as `bnx run` does (the same driver, in the same worker thread as `--jobs`) and hands back
// each run record. Faults are BullMQ's: a worker that dies holding a run stops renewing its lock, another
// worker's stalled-job check puts the run back, and someone else trains it.
import { hostname } from 'node:os';
import { BnxError, isBnxError } from '@bnx/ir';
import { resolveBackend, type RunProgress } from '@bnx/core';
import { BNX_VERSION } from '../version.js';
import { loadBackends } from '../run/load-backends.js';
import { parseDevice } from '../run/run-options.js';
import { checkQueueServer, errorText, reportClientErrors } from './connect.js';
import { checkInputFiles } from '../run/input-files.js';
import { parseQueueUrl } from './queue-url.js';
import { parseRunJob, QUEUE_PREFIX, queueName, type RunJobProgress, type RunJobResult } from './run-job.js';
import { TrainingThread } from './training-thread.js';

export interface WorkerCommandOptions {
  queue: string;
  backend: string;
  device: string;
  engine?: string;
  concurrency: string;
  name?: string;
  stalledAfter: string;
  quiet?: boolean;
}

/** Exit status after a second Ctrl-C (runs handed back unfinished), as for `bnx run`. */
const EXIT_INTERRUPTED = 130;
/** Job progress goes to Redis at most this often; the coordinator only shows it. */
const PROGRESS_EVERY_MS = 1000;
/** A job that stalls more often than this (its worker died again and again) is failed, not retried forever. */
const MAX_STALLS = 3;

function parseWholeNumber(flag: string, text: string, min: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min) throw new BnxError(`${flag} '${text}': expected a whole number of at least ${min}`, 'E_CLI_WORKER');
  return Number(text);
}

export interface WorkerControl {
  /** Stops the worker as a first Ctrl-C does (finish the runs in hand, then exit); for tests and embedders. */
  signal?: AbortSignal;
}

export async function runQueueWorker(options: WorkerCommandOptions, control: WorkerControl = {}): Promise<number> {
  const target = parseQueueUrl(options.queue);
  const device = parseDevice(options.device);
  const concurrency = parseWholeNumber('--concurrency', options.concurrency, 1);
  const stalledAfterMs = parseWholeNumber('--stalled-after', options.stalledAfter, 1) * 1000;
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const log = (line: string) => {
    if (!options.quiet) process.stderr.write(`bnx worker ${name}: ${line}\n`);
  };
  const choice = { backend: options.backend, device, engine: options.engine };

  // The backend is resolved before any job is taken: a worker that cannot train says so and takes nothing.
  await loadBackends(options.backend);
  const resolved = await resolveBackend({ name: options.backend, device, engine: options.engine });
  await checkQueueServer(target);
  const threads = Array.from({ length: concurrency }, () => new TrainingThread({ backend: options.backend, device, engine: options.engine }));
  try {
    await Promise.all(threads.map((t) => t.ready));
  } catch (err) {
    await Promise.all(threads.map((t) => t.close()));
    throw err;
  }
  const idle = [...threads];
  let handingBack = false;

  const { Worker, UnrecoverableError, WaitingError } = await import('bullmq');
  const name_ = queueName(choice);
  const worker = new Worker<unknown, RunJobResult>(
    name_,
    async (job, token) => {
      let data;
      try {
        data = parseRunJob(job.name, job.id, job.data, BNX_VERSION);
        checkInputFiles(data.inputs, `worker ${name}`);
      } catch (err) {
        log(isBnxError(err) ? err.message : String(err));
        throw new UnrecoverableError(isBnxError(err) ? err.message : String(err));
      }
      const spec = data.spec;
      const thread = idle.pop()!;
      log(`run ${spec.id}: training`);
      let lastProgress = 0;
      const send = (p: RunProgress) => {
        const progress: RunJobProgress = {
          worker: name,
          step: p.step,
          totalSteps: p.totalSteps,
          epoch: p.epoch,
          loss: p.loss,
          samplesPerSecond: p.samplesPerSecond,
        };
        void job.updateProgress(progress as unknown as object).catch(() => undefined);
      };
      send({ epoch: 0, step: 0, totalSteps: 0, loss: Number.NaN, samplesPerSecond: 0 } as RunProgress);
      try {
        const record = await thread.train(spec, (p) => {
          const now = Date.now();
          if (now - lastProgress < PROGRESS_EVERY_MS) return;
          lastProgress = now;
          send(p);
        });
        if (record.status === 'interrupted' && handingBack) {
          // Stopped by a second Ctrl-C: the run goes back to the queue whole, for another worker.
          await job.moveToWait(token);
          log(`run ${spec.id}: handed back to the queue`);
          throw new WaitingError();
        }
        log(`run ${spec.id}: ${record.status}${record.error ? ` (${record.error})` : ''} in ${record.seconds.toFixed(1)} s`);
        return { record, worker: name };
      } catch (err) {
        if (err instanceof WaitingError) throw err;
        // A run that cannot start (its data cannot be loaded) will not start on the next attempt either.
        const message = err instanceof Error ? err.message : String(err);
        log(`run ${spec.id}: ${message}`);
        throw new UnrecoverableError(message);
      } finally {
        idle.push(thread);
      }
    },
    {
      connection: target.connection,
      prefix: QUEUE_PREFIX,
      name,
      concurrency,
      lockDuration: stalledAfterMs,
      stalledInterval: stalledAfterMs,
      maxStalledCount: MAX_STALLS,
      autorun: false,
    },
  );
  worker.on('error', reportClientErrors(target, log));

  log(
    `taking runs from ${target.label} queue ${name_} (${resolved.backend.name} on ${resolved.device.device}${resolved.device.engine ? `, ${resolved.device.engine}` : ''}; ${concurrency} at a time)`,
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      if (handingBack) process.exit(EXIT_INTERRUPTED);
      handingBack = true;
      log(`${signal} again: handing the runs in progress back to the queue (once more to quit at once)`);
      for (const t of threads) t.abort();
      return;
    }
    stopping = true;
    log(`${signal}: finishing the runs in progress, then exiting (Ctrl-C again to hand them back now)`);
    void worker.close();
  };
  const onSigint = () => stop('SIGINT');
  const onSigterm = () => stop('SIGTERM');
  const onExternalStop = () => stop('stop requested');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  control.signal?.addEventListener('abort', onExternalStop);
  try {
    await worker.run();
    // run() resolves once close() was called and the runs in hand have ended.
    await worker.close();
  } catch (err) {
    throw new BnxError(`queue ${target.label}: ${errorText(err, target)}`, 'E_QUEUE');
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    control.signal?.removeEventListener('abort', onExternalStop);
    await Promise.all(threads.map((t) => t.close()));
  }
  log('stopped');
  return handingBack ? EXIT_INTERRUPTED : 0;
}
