// Every package consumable on its own from npm, proven from packed tarballs: pack each package with pnpm
// (which rewrites workspace:^ ranges to versions), install the tarballs with plain npm in fresh projects
// outside the workspace, and use them the way a user would. Slow (real npm installs), so it runs in CI and
// when BNX_PACK_TEST=1; it needs `pnpm build` first.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const enabled = process.env.CI === 'true' || process.env.BNX_PACK_TEST === '1';
const packages = [
  'packages/ir',
  'packages/dsl',
  'packages/core',
  'packages/data',
  'packages/backend-tfjs',
  'packages/backend-onnx',
  'packages/metrics',
  'packages/results',
  'apps/runner',
];

const run = (cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ...env } });

/** As run, without blocking the test worker's event loop (a long synchronous install times out vitest's RPC). */
const runAsync = async (cmd: string, args: string[], cwd: string) =>
  (await promisify(execFile)(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })).stdout;

/** A fresh npm project outside the workspace, with the documented onnxruntime-node install skip. */
function freshProject(name: string, type: 'module' | 'commonjs'): string {
  const dir = mkdtempSync(join(tmpdir(), `bnx-consumer-${name}-`));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${name}`, private: true, type }));
  writeFileSync(join(dir, '.npmrc'), 'onnxruntime-node-install=skip\nfund=false\naudit=false\n');
  return dir;
}

describe.skipIf(!enabled)('packed packages in fresh npm projects', () => {
  const tarballs: Record<string, string> = {};

  beforeAll(() => {
    const out = mkdtempSync(join(tmpdir(), 'bnx-tarballs-'));
    for (const pkg of packages) {
      const dir = join(root, pkg);
      if (!existsSync(join(dir, 'dist'))) throw new Error(`${pkg} is not built: run pnpm build first`);
      run('pnpm', ['pack', '--pack-destination', out], dir);
    }
    for (const file of readdirSync(out)) {
      // bnx-ir-0.1.0.tgz -> @bnx/ir
      const name = file.replace(/^bnx-/, '@bnx/').replace(/-\d+\.\d+\.\d+.*\.tgz$/, '');
      tarballs[name] = join(out, file);
    }
    expect(Object.keys(tarballs).sort()).toEqual([
      '@bnx/backend-onnx',
      '@bnx/backend-tfjs',
      '@bnx/core',
      '@bnx/data',
      '@bnx/dsl',
      '@bnx/ir',
      '@bnx/metrics',
      '@bnx/results',
      '@bnx/runner',
    ]);
  }, 300_000);

  it("the README's global install from the tarballs gives a working bnx command", async () => {
    const prefix = mkdtempSync(join(tmpdir(), 'bnx-global-'));
    await runAsync('npm', ['install', '-g', '--prefix', prefix, '--onnxruntime-node-install=skip', ...Object.values(tarballs)], prefix);
    const bnx = join(prefix, process.platform === 'win32' ? 'bnx.cmd' : 'bin/bnx');
    expect(run(bnx, ['--version'], prefix).trim()).toBe(JSON.parse(readFileSync(join(root, 'apps/runner/package.json'), 'utf8')).version);
    expect(run(bnx, ['check', join(root, 'examples/mnist-bn.bnx')], prefix)).toMatch(/: ok \(/);
  }, 600_000);

  it('a tarball alone fails until the packages are published: its @bnx dependencies are not on the registry', async () => {
    const dir = freshProject('alone', 'module');
    await expect(runAsync('npm', ['install', tarballs['@bnx/dsl']!], dir)).rejects.toThrow(/404|E404/);
  }, 300_000);

  it('@bnx/dsl alone parses and validates a .bnx file (ESM)', () => {
    const dir = freshProject('dsl', 'module');
    run('npm', ['install', tarballs['@bnx/dsl']!, tarballs['@bnx/ir']!], dir);
    writeFileSync(join(dir, 'model.bnx'), 'model m {\n  input(784)\n  dense(100)\n  relu\n  dense(10)\n}\n');
    writeFileSync(join(dir, 'bad.bnx'), 'model m {\n  input(784)\n  dense2(10)\n}\n');
    writeFileSync(
      join(dir, 'check.mjs'),
      `
      import { checkFile } from '@bnx/dsl';
      const good = await checkFile('model.bnx');
      const bad = await checkFile('bad.bnx');
      console.log(JSON.stringify({ good: good.diagnostics.length, layers: good.program.models[0].layers.length,
        bad: bad.diagnostics.map((d) => [d.range.start.line, d.range.start.column, d.message]) }));
    `,
    );
    const result = JSON.parse(run('node', ['check.mjs'], dir));
    expect(result.good).toBe(0);
    expect(result.layers).toBe(3);
    expect(result.bad[0].slice(0, 2)).toEqual([3, 3]);
    expect(result.bad[0][2]).toMatch(/unknown layer 'dense2'/);
  }, 300_000);

  it('a CommonJS project can require @bnx/dsl (Node >= 20.19 loads ESM with require)', () => {
    const dir = freshProject('cjs', 'commonjs');
    run('npm', ['install', tarballs['@bnx/dsl']!, tarballs['@bnx/ir']!], dir);
    writeFileSync(
      join(dir, 'check.cjs'),
      `
      const dsl = require('@bnx/dsl');
      console.log(typeof dsl.parseProgram);
    `,
    );
    expect(run('node', ['check.cjs'], dir).trim()).toBe('function');
  }, 300_000);

  describe('core + data + backend-onnx from a plain .mjs script, and the bnx CLI', () => {
    let dir = '';
    beforeAll(() => {
      dir = freshProject('all', 'module');
      run('npm', ['install', ...Object.values(tarballs)], dir);
    }, 600_000);

    it('trains a tiny synthetic model for a few steps', () => {
      writeFileSync(
        join(dir, 'train.mjs'),
        `
        import { trainRun } from '@bnx/core';
        import { loadDataset } from '@bnx/data';
        import { onnxBackend } from '@bnx/backend-onnx';
        const dataset = { name: 'blobs', source: { kind: 'synthetic', shape: 'blobs', samples: 600, features: 8, classes: 3 }, preprocess: [] };
        const model = { name: 'mlp', input: [8], layers: [
          { op: 'dense', name: 'dense_1', units: 16, init: null, bias: false },
          { op: 'batchnorm', name: 'batchnorm_1', momentum: 0.1, epsilon: 1e-5, runningVar: 'unbiased', affine: true },
          { op: 'relu', name: 'relu_1' },
          { op: 'dense', name: 'dense_2', units: 3, init: null, bias: true } ] };
        const train = { name: 'sgd', optimizer: { kind: 'sgd', lr: 0.1, momentum: 0.9, nesterov: false, weightDecay: 0 },
          loss: 'cross_entropy', epochs: 3, batch: 32, schedule: { kind: 'constant' }, initScale: 1 };
        const spec = { id: 'bn__seed=1', experiment: 'e', variant: 'bn', seed: 1, params: {}, dataset, model, train, probes: [] };
        const data = await loadDataset(dataset, { seed: 1 });
        const record = await trainRun(spec, { backend: onnxBackend, device: 'cpu', data });
        console.log(JSON.stringify({ status: record.status, first: record.step_losses[0], last: record.step_losses.at(-1), acc: record.test.accuracy }));
      `,
      );
      const result = JSON.parse(run('node', ['train.mjs'], dir));
      expect(result.status).toBe('completed');
      expect(result.last).toBeLessThan(result.first);
      expect(result.acc).toBeGreaterThan(0.6);
    }, 300_000);

    it('npx bnx check and npx bnx run work on a small file', () => {
      writeFileSync(
        join(dir, 'tiny.bnx'),
        [
          'dataset blobs {',
          '  source: synthetic(kind: blobs, samples: 400, features: 6, classes: 3)',
          '}',
          'model mlp {',
          '  input(6)',
          '  dense(12)',
          '  relu',
          '  dense(3)',
          '}',
          'train t {',
          '  optimizer: sgd(lr: 0.1, momentum: 0.9)',
          '  loss: cross_entropy',
          '  epochs: 2',
          '  batch: 32',
          '}',
          'experiment tiny {',
          '  data: blobs',
          '  train: t',
          '  variant baseline: mlp',
          '  variant bn: mlp with batchnorm(placement: before_activation)',
          '  seeds: [1, 2]',
          '}',
          '',
        ].join('\n'),
      );
      expect(run('npx', ['bnx', 'check', 'tiny.bnx'], dir)).toMatch(/ok|valid/i);
      run('npx', ['bnx', 'run', 'tiny.bnx', '--out', 'out', '--quiet'], dir);
      expect(existsSync(join(dir, 'out', 'results.json'))).toBe(true);
      expect(existsSync(join(dir, 'out', 'report.html'))).toBe(true);
      // The results schema ships as an export, so other tools can validate results.json against it.
      writeFileSync(
        join(dir, 'schema.mjs'),
        `import { readFileSync } from 'node:fs';
        const schema = JSON.parse(readFileSync(new URL(import.meta.resolve('@bnx/runner/schema/results.schema.json')), 'utf8'));
        const results = JSON.parse(readFileSync('out/results.json', 'utf8'));
        console.log(JSON.stringify({ id: schema.$id ?? schema.title, required: schema.required, schema: results.schema }));`,
      );
      const schema = JSON.parse(run('node', ['schema.mjs'], dir));
      expect(schema.required).toContain('runs');
      expect(schema.schema).toBe('bnx.results/2');
      // Piped output is not cut short when the CLI exits (it once lost everything past 64 KiB).
      const ir = run('npx', ['bnx', 'compile', 'tiny.bnx', '--emit', 'ir'], dir);
      expect(JSON.parse(ir).plans[0].runs).toHaveLength(4);
      writeFileSync(join(dir, 'many.bnx'), readFileSync(join(dir, 'tiny.bnx'), 'utf8').replace('seeds: [1, 2]', 'seeds: 1..60'));
      const big = run('npx', ['bnx', 'compile', 'many.bnx', '--emit', 'ir'], dir);
      expect(big.length).toBeGreaterThan(2 * 65536);
      expect(JSON.parse(big).plans[0].runs).toHaveLength(120);
    }, 300_000);
  });
});
