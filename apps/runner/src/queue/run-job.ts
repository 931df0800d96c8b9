// What travels through the queue, and what a worker accepts from it. A job is data only: one fully resolved
// run spec (as `bnx run` expands it from a .bnx file), the hashes of the files it reads, and the bnx version
// that planned it. A worker never loads code, paths to modules or options from a job: it trains the spec
// with its own backend, exactly as `bnx run` would, and hands back the run record.
import { createHash } from 'node:crypto';
import { BnxError, type PlanIR, type RunSpec } from '@bnx/ir';
import type { RunRecord } from '@bnx/core';
import type { InputFile } from '../run/input-files.js';

/** BullMQ job name of a bnx run; anything else on a bnx queue is refused. */
export const RUN_JOB_NAME = 'bnx-run';
export const RUN_JOB_SCHEMA = 'bnx.run-job/1';
/** Key prefix of every bnx queue in Redis, so bnx shares a server with other BullMQ users without clashes. */
export const QUEUE_PREFIX = 'bnx';

export interface RunJobData {
  schema: typeof RUN_JOB_SCHEMA;
  bnxVersion: string;
  planHash: string;
  spec: RunSpec;
  inputs: InputFile[];
}

export interface RunJobResult {
  record: RunRecord;
  /** The worker that trained it (`host:pid` or its --name). */
  worker: string;
}

/** Sent with BullMQ's job progress: which worker has the run, and how far it is. */
export interface RunJobProgress {
  worker: string;
  step: number;
  totalSteps: number;
  epoch: number;
  loss: number;
  samplesPerSecond: number;
}

export interface BackendChoice {
  backend: string;
  device: string;
  engine?: string;
}

/**
 * One queue per backend, device and engine, so a worker only receives runs it trains the way they were asked
 * for: a study never mixes backends. Both `bnx run --queue` and `bnx worker` name it from their flags.
 */
export function queueName(choice: BackendChoice): string {
  return ['runs', choice.backend, choice.device, choice.engine ?? 'default'].map((part) => part.replace(/[^A-Za-z0-9_.-]/g, '_')).join('-');
}

/** The worker's flags that select `queue`, for messages that tell the user how to start one. */
export function workerFlags(choice: BackendChoice): string {
  return `--backend ${choice.backend} --device ${choice.device}${choice.engine ? ` --engine ${choice.engine}` : ''}`;
}

/**
 * The plan's identity: its runs (without source positions), the content of the files they read and the bnx
 * version. Two coordinators of the same study share jobs; a changed file, flag or version makes new ones.
 */
export function planHash(plan: PlanIR, inputs: readonly InputFile[], bnxVersion: string): string {
  const runs = JSON.stringify(plan.runs, (key, value: unknown) => (key === 'loc' ? undefined : value));
  return createHash('sha256').update(JSON.stringify({ bnxVersion, runs, inputs })).digest('hex').slice(0, 16);
}

/** The job id of a run: enqueuing the same run of the same plan twice finds the existing job. */
export function runJobId(hash: string, runId: string): string {
  return `${hash}-${runId}`;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks that a job is a bnx run this worker may train, and returns its data. Throws a BnxError saying what
 * is wrong; the worker fails the job with it (no retry: another attempt would see the same job).
 */
export function parseRunJob(name: string, id: string | undefined, data: unknown, bnxVersion: string): RunJobData {
  const refuse = (why: string) => new BnxError(`job ${id ?? '(no id)'} is not a bnx run this worker accepts: ${why}`, 'E_QUEUE_JOB');
  if (name !== RUN_JOB_NAME) throw refuse(`its name is '${name}', not '${RUN_JOB_NAME}'`);
  if (!isObject(data) || data.schema !== RUN_JOB_SCHEMA) throw refuse(`its data is not a ${RUN_JOB_SCHEMA} object`);
  if (data.bnxVersion !== bnxVersion) {
    throw refuse(
      `it was queued by bnx ${String(data.bnxVersion)} and this worker is bnx ${bnxVersion}; run workers of the same version, so that every run is trained the same way`,
    );
  }
  const spec = data.spec;
  if (
    !isObject(spec) ||
    typeof spec.id !== 'string' ||
    !isObject(spec.model) ||
    !isObject(spec.train) ||
    !isObject(spec.dataset) ||
    typeof spec.seed !== 'number'
  ) {
    throw refuse('it has no complete run spec (id, seed, dataset, model, train)');
  }
  if (typeof data.planHash !== 'string' || id !== runJobId(data.planHash, spec.id)) throw refuse(`its id does not match its plan hash and run id`);
  if (
    !Array.isArray(data.inputs) ||
    !data.inputs.every((f) => isObject(f) && typeof f.path === 'string' && typeof f.sha256 === 'string' && typeof f.bytes === 'number')
  ) {
    throw refuse('its list of input files is malformed');
  }
  return data as unknown as RunJobData;
}
