// Where @bnx/data keeps files it derives from packages (the parsed Fashion-MNIST), and how it writes them:
// atomically, so a crash or a second process never leaves a half-written cache that a later load trusts.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * The cache folder: the `cacheDir` option, else $BNX_CACHE_DIR, else $XDG_CACHE_HOME/bnx, else ~/.cache/bnx
 * (the XDG base-directory default). Empty values count as unset.
 */
export function resolveCacheDir(option?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (option) return resolve(option);
  if (env['BNX_CACHE_DIR']) return resolve(env['BNX_CACHE_DIR']);
  if (env['XDG_CACHE_HOME']) return join(resolve(env['XDG_CACHE_HOME']), 'bnx');
  return join(homedir(), '.cache', 'bnx');
}

/**
 * Writes `chunks` one after another to a uniquely named temporary file beside `path`, flushes it, then renames
 * it over `path` (atomic on POSIX file systems): readers see the old file or the whole new one.
 */
export function writeFileAtomic(path: string, chunks: readonly Uint8Array[]): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const fd = openSync(temp, 'w');
    try {
      for (const chunk of chunks) {
        let written = 0;
        while (written < chunk.length) written += writeSync(fd, chunk, written, chunk.length - written);
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}
