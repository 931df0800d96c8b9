// `pnpm changeset version` on a copy of the workspace's manifests, with one minor changeset for @bnx/core:
// the packages version together (one fixed group, as tfjs does), the backends' peer range on @bnx/core still
// admits the new core (no forced major release), workspace dependencies keep their protocol, and every
// package gets a changelog entry.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const manifests = [
  'package.json',
  'pnpm-workspace.yaml',
  'test/package.json',
  'apps/runner/package.json',
  ...readdirSync(join(root, 'packages')).map((p) => `packages/${p}/package.json`),
];
const changesetBin = join(dirname(createRequire(join(root, 'package.json')).resolve('@changesets/cli/package.json')), 'bin.js');

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}
const read = (dir: string, path: string) => JSON.parse(readFileSync(join(dir, path), 'utf8')) as Manifest;

function satisfiesPeerRange(range: string, version: string): boolean {
  // The ranges bnx writes: ">=A <B" over plain x.y.z versions.
  const parse = (v: string) => v.split('.').map(Number);
  const cmp = (a: number[], b: number[]) => a.reduce((r, x, i) => r || x - b[i]!, 0);
  return range.split(/\s+/).every((part) => {
    const [, op, v] = /^(>=|<)(.+)$/.exec(part) ?? [];
    const c = cmp(parse(version), parse(v!.includes('.') ? v! : `${v}.0.0`));
    return op === '>=' ? c >= 0 : c < 0;
  });
}

describe('changeset version', () => {
  it('releases the packages together, without a forced major for the backends', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bnx-changeset-'));
    try {
      for (const path of manifests) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        cpSync(join(root, path), join(dir, path));
      }
      mkdirSync(join(dir, '.changeset'));
      cpSync(join(root, '.changeset/config.json'), join(dir, '.changeset/config.json'));
      writeFileSync(join(dir, '.changeset/core-feature.md'), '---\n"@bnx/core": minor\n---\n\nA new driver option.\n');
      const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
      git('init', '-q');
      git('-c', 'user.email=ci@bnx.dev', '-c', 'user.name=ci', 'add', '-A');
      git('-c', 'user.email=ci@bnx.dev', '-c', 'user.name=ci', 'commit', '-qm', 'manifests');

      const before = read(dir, 'packages/core/package.json').version;
      execFileSync(process.execPath, [changesetBin, 'version'], { cwd: dir, stdio: 'pipe' });
      const [major, minor] = before.split('.').map(Number) as [number, number];
      const expected = `${major}.${minor + 1}.0`;

      const published = manifests
        .filter((p) => p.endsWith('package.json') && p !== 'package.json')
        .map((p) => [p, read(dir, p)] as const)
        .filter(([, m]) => !m.private && m.name !== '@bnx/tests');
      expect(published.length).toBeGreaterThanOrEqual(8);
      for (const [path, manifest] of published) {
        expect(manifest.version, manifest.name).toBe(expected);
        expect(readFileSync(join(dir, dirname(path), 'CHANGELOG.md'), 'utf8'), manifest.name).toContain(`## ${expected}`);
        for (const [dep, range] of Object.entries(manifest.dependencies ?? {})) {
          if (dep.startsWith('@bnx/')) expect(range, `${manifest.name} -> ${dep}`).toBe('workspace:^');
        }
        const peer = manifest.peerDependencies?.['@bnx/core'];
        if (peer !== undefined) expect(satisfiesPeerRange(peer, expected), `${manifest.name} peer ${peer}`).toBe(true);
      }
      expect(readdirSync(join(dir, '.changeset'))).toEqual(['config.json']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
