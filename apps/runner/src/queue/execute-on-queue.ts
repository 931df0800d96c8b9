// `bnx run --queue URL`: the pending runs go to a BullMQ queue on Redis and come back as records from
// `bnx worker` processes anywhere. The coordinator only enqueues, watches and stores: it trains nothing.
//
// Each run is one job whose id is the plan's hash plus the run id, so enqueuing a run that is already queued,
// running or done finds that job instead of adding another. A coordinator that stops (Ctrl-C, a lost
// machine) leaves its jobs in Redis; `--resume DIR --queue URL` looks each pending run's job up again and
// collects what finished meanwhile, so nothing is lost and nothing is trained twice.
import type { RunSpec } from '@bnx/ir';
import { BnxError } from '@bnx/ir';
import type { RunRecord } from '@bnx/core';
import type { ExecuteHooks } from '../run/execute-plan.js';
import { checkQueueServer, errorText, reportClientErrors } from './connect.js';
import type { InputFile } from '../run/input-files.js';
import type { QueueTarget } from './queue-url.js';
import {
  QUEUE_PREFIX,
  RUN_JOB_NAME,
  RUN_JOB_SCHEMA,
  queueName,
  runJobId,
  workerFlags,
  type BackendChoice,
  type RunJobData,
  type RunJobProgress,
  type RunJobResult,
} from './run-job.js';

export interface QueueExecuteOptions {
  target: QueueTarget;
  choice: BackendChoice;
  planHash: string;
  inputs: InputFile[];
  bnxVersion: string;
  signal: AbortSignal;
  /** A status line for the user (progress notes, warnings). */
  note(line: string): void;
  /** How often every outstanding job is looked up, in case an event was missed (a reconnect). */
  reconcileMs?: number;
}

/** Finished jobs stay in Redis this long, so a coordinator that was down can still collect their records. */
const KEEP_FINISHED_SECONDS = 7 * 24 * 3600;

/** As for a local `--resume`: completed and diverged runs are results; failed and interrupted ones run again. */
const isFinishedStatus = (record: RunRecord) => record.status === 'completed' || record.status === 'diverged';

export async function executeOnQueue(pending: readonly RunSpec[], options: QueueExecuteOptions, hooks: ExecuteHooks): Promise<void> {
  if (pending.length === 0) return;
  const { target, choice } = options;
  await checkQueueServer(target);
  const { Queue, QueueEvents } = await import('bullmq');
  const name = queueName(choice);
  const connection = { ...target.connection };
  const queue = new Queue(name, { connection, prefix: QUEUE_PREFIX });
  const events = new QueueEvents(name, { connection, prefix: QUEUE_PREFIX, autorun: false });
  const onClientError = reportClientErrors(target, options.note);
  queue.on('error', onClientError);
  events.on('error', onClientError);

  const byJob = new Map(pending.map((spec) => [runJobId(options.planHash, spec.id), spec]));
  const outstanding = new Set(byJob.keys());
  const active = new Map<string, string>(); // job id -> worker
  let failure: Error | undefined;
  let wake: () => void = () => undefined;
  const settled = new Promise<void>((resolve) => {
    wake = resolve;
  });
  const checkDone = () => {
    if (outstanding.size === 0 || failure || options.signal.aborted) wake();
  };
  const status = () => {
    const workers = [...active].map(([job, worker]) => `${byJob.get(job)!.id} on ${worker}`);
    return `queue ${name}: ${byJob.size - outstanding.size}/${byJob.size} done, ${active.size} active${workers.length > 0 ? ` (${workers.join(', ')})` : ''}, ${outstanding.size - active.size} queued`;
  };

  const finish = (jobId: string, returned: unknown) => {
    const spec = byJob.get(jobId);
    if (spec === undefined || !outstanding.has(jobId)) return; // another plan's job, or seen already
    let result: RunJobResult | null = null;
    try {
      result = (typeof returned === 'string' ? JSON.parse(returned) : returned) as RunJobResult | null;
    } catch {
      result = null; // reported below as a job without a record
    }
    const record = result?.record;
    if (record === undefined || record === null || record.id !== spec.id) {
      failure ??= new BnxError(`queue ${name}: job ${jobId} came back without the record of run ${spec.id}`, 'E_QUEUE');
      return checkDone();
    }
    outstanding.delete(jobId);
    active.delete(jobId);
    try {
      hooks.onRunEnd(spec, record);
    } catch (err) {
      failure ??= err as Error;
    }
    options.note(status());
    checkDone();
  };
  const fail = (jobId: string, reason: string) => {
    const spec = byJob.get(jobId);
    if (spec === undefined || !outstanding.has(jobId)) return;
    failure ??= new BnxError(`run ${spec.id}: a worker could not train it: ${errorText(reason, target)}`, 'E_QUEUE_RUN');
    checkDone();
  };
  const started = async (jobId: string) => {
    const spec = byJob.get(jobId);
    if (spec === undefined || !outstanding.has(jobId)) return;
    const job = await queue.getJob(jobId).catch(() => undefined);
    active.set(jobId, job?.processedBy ?? 'a worker');
    hooks.onRunStart?.(spec);
    options.note(status());
  };

  events.on('active', ({ jobId }) => void started(jobId));
  events.on('progress', ({ jobId, data }) => {
    const spec = byJob.get(jobId);
    const p = data as unknown as RunJobProgress;
    if (spec === undefined || typeof p !== 'object' || p === null || typeof p.step !== 'number') return;
    if (active.get(jobId) !== p.worker) {
      active.set(jobId, p.worker);
    }
    if (p.totalSteps > 0)
      hooks.onProgress?.(spec, { epoch: p.epoch, step: p.step, totalSteps: p.totalSteps, loss: p.loss, samplesPerSecond: p.samplesPerSecond } as never);
  });
  events.on('completed', ({ jobId, returnvalue }) => finish(jobId, returnvalue));
  events.on('failed', ({ jobId, failedReason }) => fail(jobId, failedReason));
  events.on('stalled', ({ jobId }) => {
    const spec = byJob.get(jobId);
    if (spec === undefined) return;
    options.note(`${spec.id}: ${active.get(jobId) ?? 'its worker'} stopped answering; the run is back in the queue for another worker`);
    active.delete(jobId);
  });

  /** Looks every outstanding job up: collects finished ones, re-adds what is missing. */
  const reconcile = async (firstTime: boolean) => {
    const toAdd: RunSpec[] = [];
    for (const jobId of [...outstanding]) {
      const spec = byJob.get(jobId)!;
      const job = await queue.getJob(jobId);
      if (job === undefined) {
        toAdd.push(spec);
        continue;
      }
      const state = await job.getState();
      const result = job.returnvalue as RunJobResult | null | undefined;
      if (state === 'completed' && result?.record && (!firstTime || isFinishedStatus(result.record))) {
        finish(jobId, result);
      } else if (firstTime && (state === 'completed' || state === 'failed')) {
        // A run that failed (or was interrupted) in an earlier session is trained again, as `--resume` does
        // locally: the old job makes way for a new one with the same id.
        await job.remove();
        toAdd.push(spec);
      } else if (state === 'failed') {
        fail(jobId, job.failedReason);
      } else if (state === 'active' && !active.has(jobId)) {
        active.set(jobId, job.processedBy ?? 'a worker');
      }
    }
    if (toAdd.length > 0) {
      await queue.addBulk(
        toAdd.map((spec) => {
          const data: RunJobData = { schema: RUN_JOB_SCHEMA, bnxVersion: options.bnxVersion, planHash: options.planHash, spec, inputs: options.inputs };
          return {
            name: RUN_JOB_NAME,
            data,
            opts: {
              jobId: runJobId(options.planHash, spec.id),
              attempts: 1,
              removeOnComplete: { age: KEEP_FINISHED_SECONDS },
              removeOnFail: { age: KEEP_FINISHED_SECONDS },
            },
          };
        }),
      );
    }
    return toAdd.length;
  };

  const onAbort = () => wake();
  options.signal.addEventListener('abort', onAbort);
  let timer: NodeJS.Timeout | undefined;
  try {
    // Listen first, then look: a job that ends between the two is seen by the lookup or by the event.
    void events.run().catch(onClientError);
    await events.waitUntilReady();
    const added = await reconcile(true);
    const attached = outstanding.size - added;
    options.note(
      `queue ${name} on ${target.label}: ${added} run${added === 1 ? '' : 's'} queued${attached > 0 ? `, ${attached} already queued or running` : ''}${byJob.size - outstanding.size > 0 ? `, ${byJob.size - outstanding.size} collected from earlier` : ''}`,
    );
    const workers = await queue.getWorkersCount().catch(() => undefined);
    if (workers === 0 && outstanding.size > 0) {
      options.note(
        `queue ${name}: no worker is listening yet; start one on any machine with: bnx worker --queue ${target.label.replace(':***@', '@')} ${workerFlags(choice)}`,
      );
    }
    checkDone();
    const every = options.reconcileMs ?? 5000;
    const tick = () => {
      timer = setTimeout(() => {
        reconcile(false)
          .catch(onClientError)
          .finally(() => {
            if (outstanding.size > 0 && !failure && !options.signal.aborted) tick();
          });
      }, every);
    };
    tick();
    await settled;
  } finally {
    if (timer) clearTimeout(timer);
    options.signal.removeEventListener('abort', onAbort);
    if (outstanding.size > 0)
      options.note(`queue ${name}: ${outstanding.size} run${outstanding.size === 1 ? '' : 's'} stay in the queue; the workers go on training them`);
    await events.close().catch(() => undefined);
    await queue.close().catch(() => undefined);
  }
  if (failure) throw failure;
}
