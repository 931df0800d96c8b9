// The first hour of a new user, as the README tells it: the setup command installs the pnpm the repository
// pins (a newer pnpm fails inside it), CI sets pnpm up the same way, `pnpm install` prints no warnings and
// no build-script notice, and `pnpm bnx` before a build says in one line what to do, with nothing but the
// CLI's own output on stdout (so `pnpm bnx ... --json > f` is JSON).
//
// The install runs on a copy of the workspace's manifests and lockfile in a temporary folder (offline, from
// the pnpm store that installing this checkout filled), so it sees what a fresh clone sees: nothing built.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pinnedPnpm = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { packageManager: string }).packageManager;

/** The README's first shell block: what a new user types first. */
function firstCommand(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  return block
    .split('\n')[0]!
    .replace(/\s+#.*$/, '')
    .trim();
}

describe("the README's setup command", () => {
  it('installs exactly the pnpm that package.json pins, then installs and starts', () => {
    expect(pinnedPnpm).toMatch(/^pnpm@\d+\.\d+\.\d+$/);
    expect(firstCommand()).toBe(`npm i -g ${pinnedPnpm} && pnpm install && pnpm start`);
  });

  it('is how CI sets up pnpm, unconditionally (a pnpm already there may be another version)', () => {
    const ci = readFileSync(join(root, '.ci/run'), 'utf8')
      .split('\n')
      .map((l) => l.trim());
    const setup = firstCommand().split(' && ')[0]!;
    expect(ci).toContain(setup);
    expect(ci.filter((l) => /\bnpm (i|install) -g pnpm/.test(l))).toEqual([setup]);
  });
});

/** Every workspace package's folder, relative to the root (the globs of pnpm-workspace.yaml, one level deep). */
function workspaceFolders(): string[] {
  const globs = [...readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8').matchAll(/^\s*-\s*(\S+)\s*$/gm)].map((m) => m[1]!);
  return globs
    .flatMap((glob) => (glob.endsWith('/*') ? readdirSync(join(root, glob.slice(0, -2))).map((name) => `${glob.slice(0, -2)}/${name}`) : [glob]))
    .filter((folder) => existsSync(join(root, folder, 'package.json')));
}

describe('a fresh clone, before any build', () => {
  let clone = '';
  let install: ReturnType<typeof spawnSync>;
  beforeAll(() => {
    clone = mkdtempSync(join(tmpdir(), 'bnx-fresh-clone-'));
    const copy = (path: string) => {
      mkdirSync(dirname(join(clone, path)), { recursive: true });
      cpSync(join(root, path), join(clone, path), { recursive: true });
    };
    for (const file of ['package.json', 'pnpm-workspace.yaml', 'pnpm-lock.yaml', '.npmrc']) if (existsSync(join(root, file))) copy(file);
    for (const folder of workspaceFolders()) {
      copy(`${folder}/package.json`);
      // Bin files that exist in the sources (not built ones) are linked at install time.
      if (existsSync(join(root, folder, 'bin'))) copy(`${folder}/bin`);
    }
    install = spawnSync('pnpm', ['install', '--frozen-lockfile', '--offline'], { cwd: clone, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  }, 240_000);
  afterAll(() => {
    if (clone) rmSync(clone, { recursive: true, force: true });
  });

  it('installs without warnings and without a notice about build scripts', () => {
    const output = `${install.stdout}${install.stderr}`;
    expect(install.status, output).toBe(0);
    expect(output).not.toMatch(/WARN/);
    expect(output).not.toMatch(/approve-builds|Ignored build scripts/);
  });

  it("`pnpm bnx` says in one line to build first; stdout holds nothing of pnpm's", () => {
    const result = spawnSync('pnpm', ['bnx', 'check', 'x.bnx', '--json'], { cwd: clone, encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^bnx: the CLI is not built yet \(.*apps\/runner\/dist\/cli\.js is missing\); run `pnpm build` first\n$/);
  });
});
