import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CompiledIr } from './compile.js';
import { runCli } from './testing/capture.js';

const examples = fileURLToPath(new URL('../../../../examples/', import.meta.url));
const claims = `${examples}bn-claims.bnx`;

describe('bnx compile --emit ir', () => {
  it('writes the program and a plan per experiment as JSON to stdout', async () => {
    const { code, stdout, stderr } = await runCli(['compile', `${examples}seed-mlp-sgd.bnx`, '--emit', 'ir']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as CompiledIr;
    expect(out.program.models.map((m) => m.name)).toEqual(['mlp128_64']);
    expect(out.plans.map((p) => p.experiment)).toEqual(['mlp_sgd']);
    // 2 variants × 2 batch sizes × 3 seeds.
    expect(out.plans[0]!.runs).toHaveLength(12);
    const bn = out.plans[0]!.runs.find((r) => r.variant === 'batchnorm')!;
    expect(bn.model.layers.map((l) => l.name)).toEqual(['flatten_1', 'dense_1', 'batchnorm_1', 'relu_1', 'dense_2', 'batchnorm_2', 'relu_2', 'dense_3']);
  });

  it('--experiment picks one plan and --set overrides the recipe; --out writes a file', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'bnx-compile-')), 'sub', 'plan.json');
    const { code, stdout, stderr } = await runCli(['compile', claims, '--experiment', 'init_scale', '--set', 'epochs=1', '--out', path]);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toContain(`wrote ${path}`);
    const out = JSON.parse(readFileSync(path, 'utf8')) as CompiledIr;
    expect(out.plans.map((p) => p.experiment)).toEqual(['init_scale']);
    expect(new Set(out.plans[0]!.runs.map((r) => r.train.epochs))).toEqual(new Set([1]));
  });

  it('exits 1 with a diagnostic for an unknown experiment', async () => {
    const { code, stdout, stderr } = await runCli(['compile', claims, '--experiment', 'learning_rat']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain("no experiment named 'learning_rat'");
  });

  it('exits 1 with the diagnostics of an invalid file', async () => {
    const invalid = fileURLToPath(new URL('../../../../packages/dsl/src/__fixtures__/acceptance/negative-batch.bnx', import.meta.url));
    const { code, stderr } = await runCli(['compile', invalid]);
    expect(code).toBe(1);
    expect(stderr).toContain(':5:10: error[');
  });

  it('--emit onnx --variant writes that model, with its seeded initial weights, and ONNX Runtime runs it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bnx-compile-onnx-'));
    const path = join(dir, 'bn.onnx');
    const { code, stderr } = await runCli(['compile', `${examples}seed-mlp-sgd.bnx`, '--emit', 'onnx', '--variant', 'batchnorm', '--out', path]);
    expect(stderr).toContain(`wrote ${path} (experiment mlp_sgd, variant batchnorm, initial weights of seed 1)`);
    expect(code).toBe(0);
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(path);
    expect(session.inputNames).toEqual(['x']);
    const x = new ort.Tensor('float32', new Float32Array(3 * 784).fill(0.5), [3, 1, 28, 28]);
    const logits = (await session.run({ x })).logits!;
    expect(logits.dims).toEqual([3, 10]);
    expect([...(logits.data as Float32Array)].every(Number.isFinite)).toBe(true);
    // The same seed writes the same bytes; the baseline is another model.
    const again = join(dir, 'again.onnx');
    const baseline = join(dir, 'baseline.onnx');
    await runCli(['compile', `${examples}seed-mlp-sgd.bnx`, '--emit', 'onnx', '--variant', 'batchnorm', '--out', again]);
    await runCli(['compile', `${examples}seed-mlp-sgd.bnx`, '--emit', 'onnx', '--variant', 'baseline', '--out', baseline]);
    expect(readFileSync(again).equals(readFileSync(path))).toBe(true);
    expect(readFileSync(baseline).equals(readFileSync(path))).toBe(false);
  });

  it('--emit onnx needs --out, and --variant when there are several; unknown formats are usage errors', async () => {
    const noOut = await runCli(['compile', claims, '--emit', 'onnx']);
    expect(noOut.code).toBe(1);
    expect(noOut.stderr).toContain('give its path with --out model.onnx');
    const out = join(mkdtempSync(join(tmpdir(), 'bnx-compile-onnx-')), 'm.onnx');
    const ambiguous = await runCli(['compile', `${examples}seed-mlp-sgd.bnx`, '--emit', 'onnx', '--out', out]);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toContain("choose it with --variant ('baseline', 'batchnorm')");
    const unknown = await runCli(['compile', `${examples}seed-mlp-sgd.bnx`, '--emit', 'onnx', '--variant', 'bn', '--out', out]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("--variant bn: no such variant; this file has 'baseline', 'batchnorm'");
    expect(existsSync(out)).toBe(false);
    const bogus = await runCli(['compile', claims, '--emit', 'tflite']);
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toContain('Allowed choices are ir, onnx');
  });

  it('rejects a malformed --set', async () => {
    const { code, stderr } = await runCli(['compile', claims, '--set', 'epochs']);
    expect(code).toBe(1);
    expect(stderr).toContain('expected KEY=VALUE');
  });

  it('--out that is a directory, or under a file, is an error that names the path, and nothing is written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bnx-compile-out-'));
    const blocker = join(dir, 'notes.txt');
    writeFileSync(blocker, 'keep');
    const cases: [string[], string][] = [
      [['--out', dir], `bnx: cannot write ${dir}: it is a directory\n`],
      [['--out', join(blocker, 'plan.json')], `bnx: cannot write ${join(blocker, 'plan.json')}: ${blocker} is a file, not a directory\n`],
      [['--emit', 'onnx', '--variant', 'baseline', '--out', dir], `bnx: cannot write ${dir}: it is a directory\n`],
    ];
    for (const [flags, message] of cases) {
      const { code, stdout, stderr } = await runCli(['compile', `${examples}seed-mlp-sgd.bnx`, ...flags]);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toBe(message);
    }
    expect(readFileSync(blocker, 'utf8')).toBe('keep');
  });

  it('--out with an empty path is refused', async () => {
    const { code, stdout, stderr } = await runCli(['compile', `${examples}seed-mlp-sgd.bnx`, '--out', '']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe('bnx: --out: expected a path, got an empty string\n');
  });

  it('--emit onnx on a file without experiments says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bnx-compile-out-'));
    const file = join(dir, 'model-only.bnx');
    writeFileSync(file, 'model m {\n  input(2)\n  dense(2)\n}\n');
    const { code, stderr } = await runCli(['compile', file, '--emit', 'onnx', '--out', join(dir, 'm.onnx')]);
    expect(code).toBe(1);
    expect(stderr).toBe("bnx: --emit onnx writes the model of an experiment's variant, and this file declares no experiment\n");
  });
});
