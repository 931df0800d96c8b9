// `bnx run FILE --shard I/N`: the I-th of N deterministic slices of a plan, for the array jobs of schedulers
// people already have (Slurm `--array`, Kubernetes Indexed Jobs). Run k of the plan (in plan order, counted
// from 0) belongs to shard (k mod N) + 1: round robin, so every shard gets a similar mix of variants, sweep
// points and seeds, and so similar work. The shard is stored in shard.json beside plan.json (which holds the
// whole plan), so `--resume` continues the same slice and `bnx merge` can tell the shards apart.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BnxError, type RunSpec } from '@bnx/ir';
import { readJsonFile } from '../files/read-json.js';
import { writeJsonAtomic } from '../results/atomic-write.js';
import type { InputFile } from './input-files.js';

export interface Shard {
  /** 1-based, as Slurm's SLURM_ARRAY_TASK_ID with --array=1-N. */
  index: number;
  count: number;
}

export interface ShardFile extends Shard {
  schema: 'bnx.shard/1';
  /** The run ids of this shard, in plan order. */
  runs: string[];
  /** The data files the shard's runs read, with their hashes: `bnx merge` refuses shards trained on different data. */
  inputs: InputFile[];
}

export const SHARD_FILE = 'shard.json';

export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) throw new BnxError(`--shard '${text}': expected I/N, e.g. --shard 2/3 for the second of three slices`, 'E_CLI_SHARD');
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1) throw new BnxError(`--shard '${text}': the number of shards must be at least 1`, 'E_CLI_SHARD');
  if (index < 1 || index > count) throw new BnxError(`--shard '${text}': the shard number counts from 1 to ${count}`, 'E_CLI_SHARD');
  return { index, count };
}

export function shardRuns<T extends Pick<RunSpec, 'id'>>(runs: readonly T[], shard: Shard): T[] {
  return runs.filter((_, k) => k % shard.count === shard.index - 1);
}

export const shardLabel = (shard: Shard) => `${shard.index}/${shard.count}`;

/** The shard file of a results directory, or undefined when it holds a whole experiment. */
export function readShardFile(dir: string): ShardFile | undefined {
  const path = join(dir, SHARD_FILE);
  if (!existsSync(path)) return undefined;
  const value = readJsonFile(path, 'E_SHARD') as Partial<ShardFile> | null;
  if (
    value === null ||
    typeof value !== 'object' ||
    value.schema !== 'bnx.shard/1' ||
    typeof value.index !== 'number' ||
    typeof value.count !== 'number' ||
    !Array.isArray(value.runs) ||
    !Array.isArray(value.inputs)
  ) {
    throw new BnxError(`${path}: not a shard file written by \`bnx run --shard\``, 'E_SHARD');
  }
  return value as ShardFile;
}

export function writeShardFile(dir: string, shard: Shard, runs: readonly RunSpec[], inputs: InputFile[]): void {
  const file: ShardFile = { schema: 'bnx.shard/1', index: shard.index, count: shard.count, runs: runs.map((r) => r.id), inputs };
  writeJsonAtomic(join(dir, SHARD_FILE), file);
}

/** A resumed directory continues the slice it started with, and a whole experiment is not resumed as a slice. */
export function checkResumedShard(dir: string, shard: Shard | undefined): void {
  const stored = readShardFile(dir);
  if (stored === undefined && shard === undefined) return;
  if (stored === undefined) throw new BnxError(`--resume ${dir}: it holds a whole experiment, not a shard; resume it without --shard`, 'E_RESUME');
  if (shard === undefined)
    throw new BnxError(`--resume ${dir}: it holds shard ${shardLabel(stored)}; resume it with --shard ${shardLabel(stored)}`, 'E_RESUME');
  if (stored.index !== shard.index || stored.count !== shard.count) {
    throw new BnxError(
      `--resume ${dir}: it holds shard ${shardLabel(stored)}, not ${shardLabel(shard)}; resume it with --shard ${shardLabel(stored)}`,
      'E_RESUME',
    );
  }
}
