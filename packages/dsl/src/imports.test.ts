// Which files an import may read: .bnx files in the root file's folder or below, checked before opening.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFile, formatDiagnostic } from './index.js';

const base = mkdtempSync(join(tmpdir(), 'bnx-imports-'));
const experimentDir = join(base, 'experiment');
mkdirSync(join(experimentDir, 'lib'), { recursive: true });
const secret = 'secret_token_line_1: 0123456789\nsecret_token_line_2: abcdef\n';
writeFileSync(join(base, 'outside.bnx'), secret);
writeFileSync(join(experimentDir, 'notes.txt'), secret);
writeFileSync(join(experimentDir, 'lib', 'model.bnx'), 'model m {\n  input(4)\n  dense(2)\n}\n');
symlinkSync(join(base, 'outside.bnx'), join(experimentDir, 'link.bnx'));

const write = (name: string, text: string) => {
  const path = join(experimentDir, name);
  writeFileSync(path, text);
  return path;
};
const shown = (result: ReturnType<typeof checkFile>) => result.diagnostics.map((d) => formatDiagnostic(d, result.sources.get(d.range?.file ?? ''))).join('\n');

describe('import', () => {
  it.each([
    ['an absolute path to a system file', '/etc/passwd', 'only .bnx files can be imported'],
    ['a file that is not named .bnx, inside the folder', 'notes.txt', 'only .bnx files can be imported'],
    ['a .bnx file above the folder', '../outside.bnx', 'outside the folder of the experiment file'],
    ['a .bnx file by its absolute path outside the folder', join(base, 'outside.bnx'), 'outside the folder of the experiment file'],
    ['a symbolic link in the folder that leads out of it', 'link.bnx', 'a symbolic link leads out of it'],
  ])('refuses %s without reading it', (_what, target, reason) => {
    const root = write('root.bnx', `import "${target}"\n`);
    const result = checkFile(root);
    expect(result.program).toBeUndefined();
    expect(result.diagnostics).toHaveLength(1);
    const [d] = result.diagnostics;
    expect(d).toMatchObject({ severity: 'error', code: 'E0119', range: { file: root, start: { line: 1, column: 8 } } });
    expect(d!.message).toContain(reason);
    // Nothing of the refused file is shown, and it is not among the sources read.
    expect(shown(result)).not.toContain('secret_token');
    expect(shown(result)).not.toContain('root:');
    expect([...result.sources.keys()]).toEqual([root]);
  });

  it('reads a .bnx file in a subfolder, and lets it import a file of the root folder', () => {
    write('common.bnx', 'train t {\n  optimizer: sgd(lr: 0.1)\n  epochs: 1\n  batch: 2\n}\n');
    writeFileSync(join(experimentDir, 'lib', 'uses-common.bnx'), 'import "../common.bnx"\n');
    const root = write('ok.bnx', 'import "lib/model.bnx"\nimport "lib/uses-common.bnx"\n');
    const result = checkFile(root);
    expect(result.diagnostics, shown(result)).toEqual([]);
    expect(result.program?.models.map((m) => m.name)).toEqual(['m']);
    expect(result.program?.trains.map((t) => t.name)).toEqual(['t']);
  });
});
