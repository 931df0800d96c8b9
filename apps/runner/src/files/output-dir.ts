// Creating the directories bnx writes into (--out, --export, --tensorboard, and the folder of any file it
// writes), one level at a time. `mkdirSync(path, { recursive: true })` is not used: on Node 20 it never
// returns for a path the kernel refuses with ENOENT (`--out /proc/x` hung), and its errors name neither the
// flag nor the part of the path at fault.
import { accessSync, constants, mkdirSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { BnxError } from '@bnx/ir';
import { fsErrorCode, fsErrorReason } from '@bnx/dsl';

function statOrMissing(path: string, label: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (err) {
    const code = fsErrorCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    const reason = fsErrorReason(err);
    if (reason === undefined) throw err;
    throw new BnxError(`${label}: cannot use ${path} (${reason})`, 'E_OUT_PATH');
  }
}

/**
 * Makes sure `dir` is a writable directory, creating it and any missing parents. `label` starts every
 * message: the flag (`--out`) or what was being written. Throws a BnxError that names the part of the path
 * at fault: a file where a directory should be, a location that does not take new directories, no permission.
 */
export function ensureDirectory(dir: string, label: string): void {
  const target = resolve(dir);
  const missing: string[] = [];
  for (let current = target; ;) {
    const stats = statOrMissing(current, label);
    if (stats !== undefined) {
      if (!stats.isDirectory()) {
        throw new BnxError(`${label}: ${current} is a file, not a directory${current === target ? '' : ` (on the way to ${target})`}`, 'E_OUT_PATH');
      }
      break;
    }
    missing.push(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const path of missing.reverse()) {
    try {
      mkdirSync(path);
    } catch (err) {
      const code = fsErrorCode(err);
      if (code === 'EEXIST' && statOrMissing(path, label)?.isDirectory()) continue; // made meanwhile by another process
      const reason = code === 'ENOENT' ? 'this location does not accept new directories' : fsErrorReason(err);
      if (reason === undefined) throw err;
      throw new BnxError(`${label}: cannot create the directory ${path} (${reason})`, 'E_OUT_PATH');
    }
  }
  try {
    accessSync(target, constants.W_OK);
  } catch (err) {
    throw new BnxError(`${label}: cannot write into ${target} (${fsErrorReason(err) ?? (err as Error).message})`, 'E_OUT_PATH');
  }
}
