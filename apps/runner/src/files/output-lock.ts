// One bnx process at a time in an output folder: `bnx run` (fresh or --resume), `bnx report`, and any
// command that writes an experiment's results take an exclusive lock on it first, so that two runs never
// mix their plans and results and a run and a resume never train the same runs twice.
//
// The lock is a file, DIR/.bnx-lock, created atomically (a complete temporary file hard-linked into place:
// the link fails if the lock exists) and holding the owner's pid, host, command and a random token. A lock
// whose process is gone (same host, no such pid) is reclaimed at once. Liveness by pid, not by a heartbeat
// as in proper-lockfile: a heartbeat is a timer, and a process busy for longer than its period (parsing a
// large CSV dataset, a long synchronous tfjs step) would look dead and lose its lock while still writing.
import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { BnxError } from '@bnx/ir';
import { fsErrorCode, fsErrorReason } from '@bnx/dsl';

export const LOCK_FILE = '.bnx-lock';

interface LockOwner {
  pid: number;
  host: string;
  command: string;
  started_at: string;
  token: string;
}

export interface OutputLock {
  readonly path: string;
  /** Removes the lock if it is still this one's; safe to call twice. */
  release(): void;
}

function readOwner(path: string): LockOwner | undefined | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (fsErrorCode(err) === 'ENOENT') return undefined;
    return 'unreadable';
  }
  try {
    const owner = JSON.parse(text) as Partial<LockOwner>;
    if (typeof owner.pid === 'number' && typeof owner.host === 'string' && typeof owner.token === 'string') return owner as LockOwner;
  } catch {
    // falls through: not a lock bnx wrote
  }
  return 'unreadable';
}

/** Whether the process that holds a lock can be shown to be gone: same host and no such pid. */
function isDead(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return false;
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (err) {
    return fsErrorCode(err) === 'ESRCH';
  }
}

function describeOwner(owner: LockOwner): string {
  const where = owner.host === hostname() ? `process ${owner.pid}` : `process ${owner.pid} on ${owner.host}`;
  return `${owner.command} (${where}, since ${owner.started_at})`;
}

/**
 * Takes the lock on `dir` (an existing directory) for `command` (e.g. "bnx run"), or throws a BnxError that
 * says who holds it. `label` starts the message (the flag or argument that named the folder). The lock is
 * also released when the process exits, however it exits short of a crash of Node itself.
 */
export function lockOutputDir(dir: string, command: string, label: string): OutputLock {
  const path = join(dir, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, host: hostname(), command, started_at: new Date().toISOString(), token: randomBytes(8).toString('hex') };
  const temp = join(dir, `${LOCK_FILE}.${process.pid}.${me.token}.tmp`);
  try {
    writeFileSync(temp, `${JSON.stringify(me)}\n`);
  } catch (err) {
    const reason = fsErrorReason(err);
    if (reason === undefined) throw err;
    throw new BnxError(`${label}: cannot lock ${dir} (${reason})`, 'E_OUT_PATH');
  }
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(temp, path);
        break;
      } catch (err) {
        if (fsErrorCode(err) !== 'EEXIST') {
          const reason = fsErrorReason(err);
          if (reason === undefined) throw err;
          throw new BnxError(`${label}: cannot lock ${dir} (${reason})`, 'E_OUT_PATH');
        }
      }
      const owner = readOwner(path);
      if (owner === undefined) continue; // released meanwhile
      if (owner === 'unreadable') {
        throw new BnxError(
          `${label}: ${dir} is locked by ${path}, which bnx cannot read; if no bnx command is using the folder, delete that file`,
          'E_OUT_LOCKED',
        );
      }
      if (attempt < 3 && isDead(owner)) {
        reclaim(path, owner);
        continue;
      }
      throw new BnxError(
        `${label}: ${dir} is in use by ${describeOwner(owner)}; wait for it to finish, or choose another folder${owner.host === hostname() ? '' : ` (if that process is gone, delete ${path})`}`,
        'E_OUT_LOCKED',
      );
    }
  } finally {
    rmSync(temp, { force: true });
  }

  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    const owner = readOwner(path);
    if (owner !== undefined && owner !== 'unreadable' && owner.token === me.token) rmSync(path, { force: true });
  };
  process.on('exit', release);
  return { path, release };
}

/**
 * Removes a dead process's lock. Two processes may reclaim the same stale lock at once, and the second must
 * not remove the lock the first has just taken: the lock is moved aside under a unique name first, and if
 * what was moved is not the stale lock that was read, it is put back.
 */
function reclaim(path: string, stale: LockOwner): void {
  const aside = `${path}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch (err) {
    if (fsErrorCode(err) === 'ENOENT') return;
    throw err;
  }
  const moved = readOwner(aside);
  if (moved !== undefined && moved !== 'unreadable' && moved.token !== stale.token) {
    try {
      linkSync(aside, path);
    } catch {
      // a third process took the lock meanwhile: the next attempt reports it
    }
  }
  rmSync(aside, { force: true });
}

/**
 * Throws, as lockOutputDir would, when a live bnx command holds `dir`: for a folder that is only read (the
 * inputs of `bnx merge`), whose writer may be halfway through, and which may be read-only. A lock left by a
 * process that is gone is ignored, not removed.
 */
export function assertNotInUse(dir: string, label: string): void {
  const path = join(dir, LOCK_FILE);
  const owner = readOwner(path);
  if (owner === undefined) return;
  if (owner === 'unreadable') {
    throw new BnxError(`${label}: ${dir} is locked by ${path}, which bnx cannot read; if no bnx command is using the folder, delete that file`, 'E_OUT_LOCKED');
  }
  if (isDead(owner)) return;
  throw new BnxError(
    `${label}: ${dir} is in use by ${describeOwner(owner)}; wait for it to finish${owner.host === hostname() ? '' : ` (if that process is gone, delete ${path})`}`,
    'E_OUT_LOCKED',
  );
}

/** Runs `work` holding the lock on `dir`, and releases it afterwards, also when `work` throws. */
export async function withOutputLock<T>(dir: string, command: string, label: string, work: () => T | Promise<T>): Promise<T> {
  const lock = lockOutputDir(dir, command, label);
  try {
    return await work();
  } finally {
    lock.release();
  }
}
