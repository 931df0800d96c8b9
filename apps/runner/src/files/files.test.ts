import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBnxError } from '@bnx/ir';
import { writeFileAtomic } from '../results/atomic-write.js';
import { ensureDirectory } from './output-dir.js';
import { readJsonFile } from './read-json.js';

const dir = mkdtempSync(join(tmpdir(), 'bnx-files-'));
const file = (name: string, bytes: string | Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};
const thrown = (f: () => unknown): Error => {
  try {
    f();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
};

describe('readJsonFile', () => {
  it('gives the line and column of a syntax error, on one line', () => {
    const err = thrown(() => readJsonFile(file('a.json', '{\n  "a": 1,\n}\n'), 'E_X'));
    expect(isBnxError(err)).toBe(true);
    expect(err.message).toMatch(/a\.json: not valid JSON \(.* at line 3, column 1\)$/);
    expect(thrown(() => readJsonFile(file('b.json', 'not json\n'), 'E_X')).message).toMatch(/b\.json: not valid JSON \(Unexpected token 'o'\)$/);
    expect(thrown(() => readJsonFile(file('c.json', ''), 'E_X')).message).toMatch(/c\.json: the file is empty/);
    expect(thrown(() => readJsonFile(dir, 'E_X')).message).toBe(`${dir}: it is a directory, not a JSON file`);
  });

  it('calls a file cut short truncated, wherever the cut falls', () => {
    const whole = JSON.stringify({ schema: 'bnx.plan/1', runs: [{ variant: 'bn', seed: 3, lr: 0.05, ok: true, tags: ['a', null] }] }, null, 2);
    for (let cut = 1; cut < whole.length - 1; cut++) {
      const message = thrown(() => readJsonFile(file('cut.json', whole.slice(0, cut)), 'E_X')).message;
      expect(message, `cut at ${cut}: ${JSON.stringify(whole.slice(0, cut))}`).toMatch(
        /cut\.json: not valid JSON \(.*: the file ends early \(truncated\?\)\)$/,
      );
    }
  });
});

describe('ensureDirectory and writeFileAtomic', () => {
  it('creates missing parents and names a file that stands in the way', () => {
    const nested = join(dir, 'out', 'a', 'b');
    ensureDirectory(nested, '--out');
    expect(existsSync(nested)).toBe(true);
    const blocker = file('blocker', 'keep');
    expect(thrown(() => ensureDirectory(blocker, '--out')).message).toBe(`--out: ${blocker} is a file, not a directory`);
    expect(thrown(() => ensureDirectory(join(blocker, 'sub'), '--export')).message).toBe(
      `--export: ${blocker} is a file, not a directory (on the way to ${join(blocker, 'sub')})`,
    );
  });

  // Node 20's recursive mkdirSync never returns for this path; the check must fail fast instead.
  it.skipIf(!existsSync('/proc/self'))('fails at once where the file system takes no new directories', () => {
    const err = thrown(() => ensureDirectory('/proc/bnx-out/x', '--out'));
    expect(isBnxError(err)).toBe(true);
    expect(err.message).toBe('--out: cannot create the directory /proc/bnx-out (this location does not accept new directories)');
  });

  it('refuses to replace a directory with a file, and leaves no temporary file', () => {
    const target = join(dir, 'taken');
    mkdirSync(target);
    const err = thrown(() => writeFileAtomic(target, 'x'));
    expect(isBnxError(err)).toBe(true);
    expect(err.message).toBe(`cannot write ${target}: it is a directory`);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
