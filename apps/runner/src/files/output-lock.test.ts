import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE, lockOutputDir, withOutputLock } from './output-lock.js';

const folder = () => mkdtempSync(join(tmpdir(), 'bnx-lock-'));
const lockOf = (pid: number, host = hostname(), token = 'abcd') =>
  `${JSON.stringify({ pid, host, command: 'bnx run', started_at: '2026-12-06T04:00:00.000Z', token })}\n`;
/** The pid of a process that has ended. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

describe('the output folder lock', () => {
  it('refuses a second holder, naming the first, and is free again once released', () => {
    const dir = folder();
    const first = lockOutputDir(dir, 'bnx run', '--out');
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, command: 'bnx run' });
    expect(() => lockOutputDir(dir, 'bnx report', 'bnx report')).toThrow(
      new RegExp(`^bnx report: ${dir} is in use by bnx run \\(process ${process.pid}, since .*\\); wait for it to finish, or choose another folder$`),
    );
    first.release();
    first.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    lockOutputDir(dir, 'bnx report', 'bnx report').release();
  });

  it('reclaims the lock of a process that is gone', () => {
    const dir = folder();
    writeFileSync(join(dir, LOCK_FILE), lockOf(deadPid()));
    const lock = lockOutputDir(dir, 'bnx run --resume', '--resume');
    expect(JSON.parse(readFileSync(lock.path, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('respects the lock of a live process, and of a process on another host', async () => {
    const dir = folder();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      writeFileSync(join(dir, LOCK_FILE), lockOf(child.pid!));
      expect(() => lockOutputDir(dir, 'bnx run', '--out')).toThrow(`is in use by bnx run (process ${child.pid}, since`);
    } finally {
      child.kill();
    }
    writeFileSync(join(dir, LOCK_FILE), lockOf(deadPid(), 'other-host'));
    expect(() => lockOutputDir(dir, 'bnx run', '--out')).toThrow(`(process`);
    expect(() => lockOutputDir(dir, 'bnx run', '--out')).toThrow(
      `on other-host, since 2026-12-06T04:00:00.000Z); wait for it to finish, or choose another folder (if that process is gone, delete ${join(dir, LOCK_FILE)})`,
    );
  });

  it('refuses a lock file it cannot read, saying what to do', () => {
    const dir = folder();
    writeFileSync(join(dir, LOCK_FILE), 'garbage');
    expect(() => lockOutputDir(dir, 'bnx run', '--out')).toThrow(
      `--out: ${dir} is locked by ${join(dir, LOCK_FILE)}, which bnx cannot read; if no bnx command is using the folder, delete that file`,
    );
  });

  it('does not remove a lock that another process has taken since', () => {
    const dir = folder();
    const lock = lockOutputDir(dir, 'bnx run', '--out');
    writeFileSync(lock.path, lockOf(process.pid, hostname(), 'someone-else'));
    lock.release();
    expect(readFileSync(lock.path, 'utf8')).toContain('someone-else');
  });

  it('withOutputLock releases the lock when the work throws', async () => {
    const dir = folder();
    await expect(
      withOutputLock(dir, 'bnx report', 'bnx report', () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });
});
