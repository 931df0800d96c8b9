// `bnx run --shard I/N` and `bnx merge`: three shards merged equal one local run, run for run; shards of
// another plan, overlapping shards that disagree and a resumed shard with another slice are refused.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ResultsFile } from '@bnx/metrics';
import { runCli } from '../commands/testing/capture.js';
import { LOCK_FILE } from '../files/output-lock.js';
import { runNumbers } from './record-once.js';
import { resultsSchemaErrors } from './validate-results.js';

const FIXTURE = new URL('../commands/__fixtures__/tiny-blobs.bnx', import.meta.url).pathname;
const SMALL = ['--set', 'epochs=1', '--quiet'];
const read = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResultsFile;

describe('bnx run --shard and bnx merge', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'bnx-shard-'));
  const shardDir = (i: number) => join(tmp, `shard-${i}`);
  let local: ResultsFile;
  beforeAll(async () => {
    expect((await runCli(['run', FIXTURE, ...SMALL, '--out', join(tmp, 'local')])).code).toBe(0);
    local = read(join(tmp, 'local'));
    for (const i of [1, 2, 3]) expect((await runCli(['run', FIXTURE, ...SMALL, '--shard', `${i}/3`, '--out', shardDir(i)])).code).toBe(0);
  });

  it('each shard trains its round-robin slice of the plan, and no run twice', () => {
    const slices = [1, 2, 3].map((i) => read(shardDir(i)).runs.map((r) => r.id));
    expect(slices.map((s) => s.length)).toEqual([3, 3, 2]);
    const ids = local.runs.map((r) => r.id);
    expect(slices[1]).toEqual([ids[1], ids[4], ids[7]]);
    expect(slices.flat().sort()).toEqual([...ids].sort());
  });

  it('merged shards 1..3 equal a local run, run for run', async () => {
    const out = join(tmp, 'merged');
    const merged = await runCli(['merge', shardDir(3), shardDir(1), shardDir(2), '--out', out]);
    expect(merged.stderr).toBe('');
    expect(merged.code).toBe(0);
    expect(merged.stdout).toContain('8 of 8 runs finished');
    const results = read(out);
    expect(resultsSchemaErrors(results)).toEqual([]);
    expect(results.runs.map((r) => r.id)).toEqual(local.runs.map((r) => r.id));
    expect(results.runs.map(runNumbers)).toEqual(local.runs.map(runNumbers));
    expect(results.comparisons.map((c) => [c.metric, c.difference, c.p_value])).toEqual(local.comparisons.map((c) => [c.metric, c.difference, c.p_value]));
    expect(readdirSync(out).sort()).toEqual(readdirSync(join(tmp, 'local')).sort());
  });

  it('a merge that lacks a shard says which runs are missing and exits 1', async () => {
    const partial = await runCli(['merge', shardDir(1), shardDir(3), '--out', join(tmp, 'partial')]);
    expect(partial.code).toBe(1);
    expect(partial.stderr).toMatch(/3 of 8 runs have no finished result in these folders: \S+ \(shard 2\/3\)/);
    expect(read(join(tmp, 'partial')).runs).toHaveLength(5);
  });

  it('refuses folders of another plan', async () => {
    const other = join(tmp, 'other-plan');
    expect((await runCli(['run', FIXTURE, '--set', 'epochs=2', '--quiet', '--shard', '2/3', '--out', other])).code).toBe(0);
    const refused = await runCli(['merge', shardDir(1), other, '--out', join(tmp, 'mixed')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${other}: its plan differs from the plan in ${shardDir(1)}`);
  });

  it('keeps a run found twice once when both copies agree, and refuses copies that differ', async () => {
    const again = await runCli(['merge', shardDir(1), shardDir(2), shardDir(3), join(tmp, 'local'), '--out', join(tmp, 'overlap')]);
    expect(again.code).toBe(0);
    expect(read(join(tmp, 'overlap')).runs).toHaveLength(8);
    // A copy with other numbers for one run (as if trained on other data) is an error that names both files.
    const id = read(shardDir(2)).runs[0]!.id;
    const path = join(shardDir(2), 'runs', `${id}.json`);
    const record = JSON.parse(readFileSync(path, 'utf8'));
    record.test.accuracy = record.test.accuracy === 1 ? 0.5 : 1;
    writeFileSync(path, JSON.stringify(record));
    const conflict = await runCli(['merge', join(tmp, 'local'), shardDir(2), '--out', join(tmp, 'conflict')]);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain(`run ${id}: ${path} has a different result than ${join(tmp, 'local', 'runs', `${id}.json`)} (test differs)`);
  });

  it('refuses a shard folder that a live bnx command still holds, and merges it once that process is gone', async () => {
    const busy = join(tmp, 'busy-shard');
    cpSync(shardDir(2), busy, { recursive: true });
    const writer = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      const lock = { pid: writer.pid, host: hostname(), command: 'bnx run', started_at: '2026-12-06T04:00:00.000Z', token: 'abcd' };
      writeFileSync(join(busy, LOCK_FILE), JSON.stringify(lock));
      const refused = await runCli(['merge', shardDir(1), busy, shardDir(3), '--out', join(tmp, 'merged-busy')]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`bnx merge: ${busy} is in use by bnx run (process ${writer.pid}`);
      expect(existsSync(join(tmp, 'merged-busy', 'results.json'))).toBe(false);
    } finally {
      writer.kill();
      await new Promise((done) => writer.once('exit', done));
    }
    const after = await runCli(['merge', shardDir(1), busy, shardDir(3), '--out', join(tmp, 'merged-busy')]);
    expect(after.code).toBe(0);
    expect(existsSync(join(busy, LOCK_FILE))).toBe(true);
  });

  it('a shard resumes only as the same slice', async () => {
    const wrong = await runCli(['run', FIXTURE, ...SMALL, '--shard', '1/3', '--resume', shardDir(3)]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`it holds shard 3/3, not 1/3; resume it with --shard 3/3`);
    const whole = await runCli(['run', FIXTURE, ...SMALL, '--resume', shardDir(3)]);
    expect(whole.stderr).toContain('it holds shard 3/3; resume it with --shard 3/3');
  });

  it('--shard says what it expects', async () => {
    for (const [text, why] of [
      ['0/3', 'counts from 1 to 3'],
      ['4/3', 'counts from 1 to 3'],
      ['2', 'expected I/N'],
      ['1/0', 'at least 1'],
    ]) {
      const outcome = await runCli(['run', FIXTURE, ...SMALL, '--shard', text!, '--out', join(tmp, 'bad')]);
      expect(outcome.code).toBe(1);
      expect(outcome.stderr).toContain(why);
    }
  });
});
