import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from './testing/capture.js';

const examples = fileURLToPath(new URL('../../../../examples/', import.meta.url));
const acceptance = fileURLToPath(new URL('../../../../packages/dsl/src/__fixtures__/acceptance/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'bnx-check-'));
const write = (name: string, text: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const unknownLayer = write('unknown-layer.bnx', 'model m {\n  input(784)\n  dense2(10)\n}\n');

describe('bnx check', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('exits 0 with one OK line per valid file', async () => {
    const files = [`${examples}mnist-bn.bnx`, `${examples}seed-mlp-adam.bnx`, `${examples}bn-claims.bnx`];
    const { code, stdout } = await runCli(['check', ...files]);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        `${files[0]}: ok (1 dataset, 1 model, 1 train recipe, 1 experiment)`,
        '  experiment mnist_bn: decides faster_convergence, activation_stability (by default; `claims: [...]` chooses)',
        `${files[1]}: ok (1 dataset, 1 model, 1 train recipe, 1 experiment; 1 warning)`,
        '  experiment mlp_adam: decides faster_convergence (by default; `claims: [...]` chooses)',
        `${files[2]}: ok (1 dataset, 1 model, 1 train recipe, 3 experiments; 3 warnings)`,
        '  experiment learning_rate: decides higher_learning_rates, faster_convergence (by default; `claims: [...]` chooses)',
        '  experiment init_scale: decides init_sensitivity, faster_convergence (by default; `claims: [...]` chooses)',
        '  experiment small_batches: decides small_batch_degradation, faster_convergence (by default; `claims: [...]` chooses)',
        '',
      ].join('\n'),
    );
  });

  it('says which claims each experiment will decide: the declared ones, or the default family', async () => {
    const declared = await runCli(['check', `${examples}claims/regularization.bnx`]);
    expect(declared.stdout).toContain('  experiment regularization: decides regularization (as declared)\n');
    const none = write(
      'declares-none.bnx',
      readFileSync(`${examples}claims/regularization.bnx`, 'utf8').replace('\n  claims: [regularization]\n', '\n  claims: []\n'),
    );
    const noneOut = await runCli(['check', none]);
    expect(noneOut.stdout).toContain('decides no claim (none declared)');
    const json = JSON.parse((await runCli(['check', '--json', `${examples}claims/deeper-networks.bnx`])).stdout);
    expect(json.files[0].experiments).toEqual([{ name: 'deeper_networks', claims: ['deeper_networks', 'faster_convergence'], declared: false }]);
  });

  it('warns when an experiment has too few seeds for any test to reach p < 0.05, and not with 5', async () => {
    const five = await runCli(['check', `${examples}mnist-bn.bnx`]);
    expect(five.stderr).toBe('');
    const three = await runCli(['check', `${examples}seed-mlp-adam.bnx`]);
    expect(three.code).toBe(0);
    expect(three.stderr).toMatch(
      /seed-mlp-adam\.bnx:30:\d+: warning\[W2001\]: experiment \w+: with 3 seeds the paired comparisons use the exact sign-flip test, which cannot give p below 0\.250, so no comparison or claim can be shown; use at least 5 seeds/,
    );
  });

  it('prints formatted diagnostics on stderr and exits 1 for an invalid file, without colour off a terminal', async () => {
    const { code, stdout, stderr } = await runCli(['check', unknownLayer]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`${unknownLayer}:3:3: error[E0103]: unknown layer 'dense2'\n 3 |   dense2(10)\n   |   ^~~~~~\n   = hint: did you mean 'dense'?\n`);
  });

  it('checks every file even after a bad one, and exits 1', async () => {
    const { code, stdout, stderr } = await runCli(['check', unknownLayer, `${examples}seed-cnn.bnx`]);
    expect(code).toBe(1);
    expect(stderr).toContain('E0103');
    expect(stdout).toContain('seed-cnn.bnx: ok');
  });

  it('uses colour on a terminal, and never with NO_COLOR', async () => {
    const tty = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
    Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
    try {
      expect((await runCli(['check', unknownLayer])).stderr).toContain('\x1b[31m');
      vi.stubEnv('NO_COLOR', '1');
      expect((await runCli(['check', unknownLayer])).stderr).not.toContain('\x1b[');
    } finally {
      if (tty) Object.defineProperty(process.stderr, 'isTTY', tty);
      else delete (process.stderr as { isTTY?: boolean }).isTTY;
    }
  });

  it('reports a missing file as an error (exit 1) and no file as a usage error (exit 2)', async () => {
    const missing = await runCli(['check', join(dir, 'nope.bnx')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("cannot read '");
    expect((await runCli(['check'])).code).toBe(2);
  });

  it('says in one line that a path is a directory, a binary file or not UTF-8, instead of parsing it', async () => {
    const cases: [string, string][] = [
      [dir, `bnx: error[E0109]: cannot read '${dir}': it is a directory, not a .bnx source file\n`],
      [
        write('logo-saved-as.bnx', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])),
        `it is a binary file, not a .bnx source file (a zero byte at line 3, column 1)`,
      ],
      [
        write('latin1.bnx', Buffer.from('model m {\n  input(2) # caf\xe9\n}\n', 'latin1')),
        `it is not UTF-8 text (byte 0xE9 at line 2, column 17); save it as UTF-8`,
      ],
    ];
    for (const [path, expected] of cases) {
      const { code, stdout, stderr } = await runCli(['check', path]);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr.split('\n').filter(Boolean)).toHaveLength(1);
      expect(stderr).toContain(expected);
      expect(stderr).not.toContain('looks like a bug');
    }
  });

  it('reads a file saved with a byte-order mark', async () => {
    const { code, stderr } = await runCli(['check', write('bom.bnx', '\uFEFFmodel m {\n  input(2)\n  dense(2)\n}\n')]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('reports an import of a directory or a binary file at the import line', async () => {
    const folder = join(dir, 'folder.bnx');
    mkdirSync(folder, { recursive: true });
    write('logo.bnx', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]));
    const importsDir = write('imports-dir.bnx', 'import "folder.bnx"\n');
    const importsBinary = write('imports-binary.bnx', 'import "logo.bnx"\n');
    const a = await runCli(['check', importsDir]);
    expect(a.code).toBe(1);
    expect(a.stderr).toContain(
      `${importsDir}:1:8: error[E0109]: cannot read imported file 'folder.bnx' (${folder}): it is a directory, not a .bnx source file`,
    );
    const b = await runCli(['check', importsBinary]);
    expect(b.code).toBe(1);
    expect(b.stderr.split('\n')[0]).toMatch(
      /imports-binary\.bnx:1:8: error\[E0109\]: cannot read imported file 'logo\.bnx' .*: it is a binary file, not a \.bnx source file/,
    );
  });

  it('refuses an import of a file outside the folder or not named .bnx, without showing a line of it', async () => {
    const importsPasswd = write('imports-passwd.bnx', 'import "/etc/passwd"\n');
    const { code, stderr } = await runCli(['check', importsPasswd]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${importsPasswd}:1:8: error[E0119]: cannot import '/etc/passwd': only .bnx files can be imported`);
    expect(stderr).not.toContain('root:');
    expect(stderr.split('\n').filter(Boolean)).toHaveLength(3);
  });

  it('--json prints one JSON document on stdout: every diagnostic with file, line, column, code, severity and message', async () => {
    const good = `${examples}seed-mlp-adam.bnx`;
    const { code, stdout, stderr } = await runCli(['check', '--json', unknownLayer, good]);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    const report = JSON.parse(stdout);
    expect(report.ok).toBe(false);
    // The good file lists 3 seeds: valid (ok), with the seed-count warning, which --json carries like any diagnostic.
    expect(report.files).toEqual([
      { file: unknownLayer, ok: false, errors: 1, warnings: 0, experiments: [] },
      { file: good, ok: true, errors: 0, warnings: 1, experiments: [{ name: 'mlp_adam', claims: ['faster_convergence'], declared: false }] },
    ]);
    const seedWarning = expect.objectContaining({
      file: good,
      severity: 'warning',
      code: 'W2001',
      message: expect.stringMatching(/^experiment mlp_adam: with 3 seeds .*cannot give p below 0\.250.*use at least 5 seeds/),
    });
    expect(report.diagnostics).toEqual([
      {
        file: unknownLayer,
        line: 3,
        column: 3,
        end_line: 3,
        end_column: 9,
        severity: 'error',
        code: 'E0103',
        message: "unknown layer 'dense2'",
        hint: "did you mean 'dense'?",
      },
      seedWarning,
    ]);
    const warned = await runCli(['check', '--json', good]);
    expect(warned.code).toBe(0);
    expect(JSON.parse(warned.stdout)).toEqual({
      ok: true,
      files: [{ file: good, ok: true, errors: 0, warnings: 1, experiments: [{ name: 'mlp_adam', claims: ['faster_convergence'], declared: false }] }],
      diagnostics: [seedWarning],
    });
    // Five seeds: no warning at all.
    const fiveSeeds = write('five-seeds.bnx', readFileSync(good, 'utf8').replace('seeds: [1, 2, 3]', 'seeds: [1, 2, 3, 4, 5]'));
    const clean = await runCli(['check', '--json', fiveSeeds]);
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).toEqual({
      ok: true,
      files: [{ file: fiveSeeds, ok: true, errors: 0, warnings: 0, experiments: [{ name: 'mlp_adam', claims: ['faster_convergence'], declared: false }] }],
      diagnostics: [],
    });
  });

  it('--json reports an unreadable file as a diagnostic without a place, not on stderr', async () => {
    const { code, stdout, stderr } = await runCli(['check', '--json', dir]);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    const [d] = JSON.parse(stdout).diagnostics;
    // No line or column, but the file it is about, so a consumer can tell several such problems apart.
    expect(d).toMatchObject({ file: dir, line: null, column: null, severity: 'error', code: 'E0109' });
    expect(d.message).toContain('it is a directory');
  });

  it('has --help', async () => {
    const { code, stdout } = await runCli(['check', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: bnx check');
  });

  it.each(readdirSync(acceptance).filter((f) => f.endsWith('.bnx')))('fails on shared/bnx/invalid/%s at the line:column its first line names', async (name) => {
    const path = acceptance + name;
    const position = /^# expect: (\d+:\d+)/.exec(readFileSync(path, 'utf8'))![1];
    const { code, stderr } = await runCli(['check', path]);
    expect(code).toBe(1);
    expect(stderr.split('\n')[0]).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${position}: error\\[E\\d{4}\\]: `));
  });
});
