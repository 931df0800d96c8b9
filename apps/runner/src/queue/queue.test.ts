// The queue end to end, with a real redis-server on loopback and the built CLI in separate processes:
// `bnx run --queue` as the coordinator and `bnx worker` processes as the machines. Workers are killed with
// SIGKILL mid-run (a lost machine), the coordinator too, and the results must equal a local run, run for run.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ResultsFile } from '@bnx/metrics';
import { runNumbers } from '../results/record-once.js';
import { redisServerInstalled, selfSignedCertificate, startRedisServer, type RedisServer } from './testing/redis-server.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../commands/__fixtures__/tiny-blobs.bnx', import.meta.url));
/** Runs of one to a few seconds each: longer than the workers' 1-second lock, so a lock that was not renewed would show. */
const SWEEP = ['--set', 'epochs=100', '--seeds', '1'];

function built(): boolean {
  if (existsSync(CLI) && existsSync(fileURLToPath(new URL('../../dist/run/worker.js', import.meta.url)))) return true;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${CLI} is missing: the queue tests run the built CLI (pnpm build)`);
  process.stderr.write('warning: the built CLI is missing; the queue tests are SKIPPED (run pnpm build)\n');
  return false;
}
const enabled = redisServerInstalled() && built();

interface Proc {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

const started: Proc[] = [];
function bnx(args: string[], env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (c: Buffer) => (text += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (text += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const proc = { child, output: () => text, exited };
  started.push(proc);
  return proc;
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const read = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as ResultsFile;
const numbersOf = (results: ResultsFile) => results.runs.map((r) => runNumbers(r));
/** How many times each worker log says it started training each run. */
function trainingStarts(...logs: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of logs.join('\n').split('\n')) {
    const m = /run (\S+): training$/.exec(line);
    if (m) counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
  }
  return counts;
}
const worker = (url: string, name: string, extra: string[] = []) => bnx(['worker', '--queue', url, '--name', name, '--stalled-after', '1', ...extra]);

describe.skipIf(!enabled)('bnx run --queue with bnx worker processes on a real Redis', () => {
  let local: ResultsFile;
  const tmp = mkdtempSync(join(tmpdir(), 'bnx-queue-'));
  beforeAll(() => {
    const run = spawnSync(process.execPath, [CLI, 'run', FIXTURE, ...SWEEP, '--out', join(tmp, 'local'), '--quiet'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    local = read(join(tmp, 'local'));
    expect(local.runs).toHaveLength(4);
  });
  afterEach(async () => {
    for (const p of started.splice(0)) {
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
      await p.exited;
    }
  });

  describe('faults', () => {
    let redis: RedisServer;
    beforeAll(async () => {
      redis = await startRedisServer();
    });
    afterAll(async () => redis?.stop());

    it('a worker killed mid-run loses nothing: another worker trains the run, and the results equal a local run', async () => {
      const out = join(tmp, 'killed-worker');
      const a = worker(redis.url, 'worker-a');
      const b = worker(redis.url, 'worker-b');
      await waitFor('both workers to listen', () => /taking runs/.test(a.output()) && /taking runs/.test(b.output()));
      const coordinator = bnx(['run', FIXTURE, ...SWEEP, '--queue', redis.url, '--out', out]);
      await waitFor('worker-a to start a run', () => /run \S+: training/.test(a.output()));
      const victim = [...trainingStarts(a.output()).keys()].at(-1)!;
      a.child.kill('SIGKILL');
      expect(await coordinator.exited).toBe(0);
      expect(coordinator.output()).toContain(`${victim}: worker-a stopped answering; the run is back in the queue`);
      // worker-b trained the run worker-a lost; every other run was trained exactly once.
      expect(trainingStarts(b.output()).get(victim)).toBe(1);
      const starts = trainingStarts(a.output(), b.output());
      for (const run of local.runs) expect(starts.get(run.id)).toBe(run.id === victim ? 2 : 1);
      const queued = read(out);
      expect(queued.runs.map((r) => r.id)).toEqual(local.runs.map((r) => r.id));
      expect(numbersOf(queued)).toEqual(numbersOf(local));
      expect(readdirSync(out).sort()).toEqual(readdirSync(join(tmp, 'local')).sort());
    }, 180_000);

    it('a coordinator killed and restarted with --resume loses nothing and trains nothing twice', async () => {
      const out = join(tmp, 'killed-coordinator');
      const w = worker(redis.url, 'worker-c');
      const sweep = [...SWEEP.slice(0, 2), '--seeds', '2'];
      const first = bnx(['run', FIXTURE, ...sweep, '--queue', redis.url, '--out', out]);
      await waitFor('a first record', () => existsSync(join(out, 'runs')) && readdirSync(join(out, 'runs')).some((f) => f.endsWith('.json')));
      first.child.kill('SIGKILL');
      await first.exited;
      const recorded = readdirSync(join(out, 'runs')).filter((f) => f.endsWith('.json')).length;
      // The worker goes on while no coordinator watches; the restarted one collects what finished meanwhile.
      await waitFor('the worker to finish another run', () => (w.output().match(/: completed in/g) ?? []).length > recorded);
      const second = bnx(['run', FIXTURE, ...sweep, '--queue', redis.url, '--resume', out]);
      expect(await second.exited).toBe(0);
      expect(second.output()).toMatch(/collected from earlier/);
      const starts = trainingStarts(w.output());
      expect([...starts.values()]).toEqual([1, 1, 1, 1]);
      const results = read(out);
      expect(results.runs.map((r) => r.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
      // The same runs as a local run of the same plan.
      const localDir = join(tmp, 'local-seed-2');
      spawnSync(process.execPath, [CLI, 'run', FIXTURE, ...sweep, '--out', localDir, '--quiet']);
      expect(numbersOf(results)).toEqual(numbersOf(read(localDir)));
    }, 180_000);

    it('a worker whose copy of a data file differs refuses the run, and the coordinator says why', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'bnx-queue-csv-'));
      const rows = Array.from({ length: 60 }, (_, i) => `${(i % 7) / 7},${(i % 5) / 5},${i % 2}`);
      writeFileSync(join(dir, 'points.csv'), `a,b,label\n${rows.join('\n')}\n`);
      writeFileSync(
        join(dir, 'study.bnx'),
        'dataset points { source: csv("points.csv", label: "label")\n validation: 10 }\nmodel m { input(2)\n dense(4)\n relu\n dense(2) }\ntrain t { optimizer: sgd(lr: 0.1)\n loss: cross_entropy\n epochs: 1\n batch: 10 }\nexperiment e { data: points\n train: t\n variant base: m\n seeds: [1] }\n',
      );
      const coordinator = bnx(['run', join(dir, 'study.bnx'), '--queue', redis.url, '--out', join(dir, 'out')]);
      await waitFor('the run to be queued', () => /1 run queued/.test(coordinator.output()));
      // The file changes after the run was planned: this worker's copy is no longer the one the plan names.
      writeFileSync(join(dir, 'points.csv'), `a,b,label\n${rows.reverse().join('\n')}\n`);
      const w = worker(redis.url, 'worker-d');
      expect(await coordinator.exited).toBe(1);
      expect(w.output()).toMatch(/worker worker-d refuses this run: its copy of .*points\.csv differs from the one the run was planned with/);
      expect(coordinator.output()).toMatch(/run base__seed=1: a worker could not train it: worker worker-d refuses this run/);
      expect(trainingStarts(w.output()).size).toBe(0);
    });
  });

  describe('security', () => {
    const password = 'queue-Pa55word-7f3c9';
    let redis: RedisServer;
    beforeAll(async () => {
      redis = await startRedisServer({ password });
    });
    afterAll(async () => redis?.stop());

    it('works with a password, from the URL or BNX_QUEUE_PASSWORD, and never shows it', async () => {
      const out = join(tmp, 'password');
      const plainUrl = `redis://127.0.0.1:${redis.port}`;
      const w = bnx(['worker', '--queue', plainUrl, '--name', 'worker-e'], { BNX_QUEUE_PASSWORD: password });
      const coordinator = bnx(['run', FIXTURE, '--set', 'epochs=1', '--seeds', '1', '--queue', redis.url, '--out', out]);
      expect(await coordinator.exited).toBe(0);
      expect(read(out).runs.map((r) => r.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
      expect(coordinator.output()).toContain(`redis://:***@127.0.0.1:${redis.port}/0`);
      for (const text of [coordinator.output(), w.output()]) expect(text).not.toContain(password);
      for (const file of ['results.json', 'report.html', 'report.md', 'metrics.csv', 'plan.json'])
        expect(readFileSync(join(out, file), 'utf8')).not.toContain(password);
    });

    it('works over TLS (rediss://) with a password', async () => {
      const certs = selfSignedCertificate(mkdtempSync(join(tmpdir(), 'bnx-tls-')));
      const tls = await startRedisServer({ password, tls: certs });
      try {
        expect(tls.url).toMatch(/^rediss:/);
        const trust = { NODE_EXTRA_CA_CERTS: certs.cert };
        const out = join(tmp, 'tls');
        const w = bnx(['worker', '--queue', tls.url, '--name', 'worker-tls'], trust);
        const coordinator = bnx(['run', FIXTURE, '--set', 'epochs=1', '--seeds', '1', '--queue', tls.url, '--out', out], trust);
        expect(await coordinator.exited).toBe(0);
        expect(trainingStarts(w.output()).size).toBe(4);
        expect(read(out).runs.map((r) => r.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
        // Without the CA the server's certificate is refused: TLS is really checked.
        const untrusted = bnx(['worker', '--queue', tls.url]);
        expect(await untrusted.exited).toBe(1);
        expect(untrusted.output()).toMatch(/cannot use the queue's Redis server \(self[- ]signed certificate/);
        for (const text of [coordinator.output(), w.output(), untrusted.output()]) expect(text).not.toContain(password);
      } finally {
        await tls.stop();
      }
    }, 120_000);

    it('a wrong or missing password is one clear line, without the password', async () => {
      const wrong = bnx([
        'run',
        FIXTURE,
        '--set',
        'epochs=1',
        '--seeds',
        '1',
        '--queue',
        `redis://:not-${password}@127.0.0.1:${redis.port}`,
        '--out',
        join(tmp, 'wrong'),
      ]);
      expect(await wrong.exited).toBe(1);
      expect(wrong.output()).toMatch(/--queue redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/0: cannot use the queue's Redis server \(WRONGPASS/);
      expect(wrong.output()).not.toContain(password);
      const missing = bnx(['worker', '--queue', `redis://127.0.0.1:${redis.port}`]);
      expect(await missing.exited).toBe(1);
      expect(missing.output()).toMatch(/cannot use the queue's Redis server \(NOAUTH/);
    });
  });
});
