import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBnxError } from '@bnx/ir';
import { writeFileAtomic } from '../results/atomic-write.js';
import { ensureDirectory } from './output-dir.js';
import { firstInvalidUtf8, readJsonFile, readTextFile } from './read-text.js';

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

describe('readTextFile', () => {
  it('reads UTF-8 and drops a byte-order mark', () => {
    expect(readTextFile(file('bom.bnx', '\uFEFFmodel m {}\n'))).toBe('model m {}\n');
    expect(readTextFile(file('accents.bnx', '# café ☕ 𝛃\n'))).toBe('# café ☕ 𝛃\n');
  });

  it('says what the path is instead of reading it: missing, a directory, a device', () => {
    expect(thrown(() => readTextFile(join(dir, 'nope.bnx')))).toMatchObject({ message: 'no such file', code: 'ENOENT' });
    expect(thrown(() => readTextFile(dir, 'a .bnx source file')).message).toBe('it is a directory, not a .bnx source file');
    if (existsSync('/dev/zero')) expect(thrown(() => readTextFile('/dev/zero')).message).toMatch(/^it is not a regular file/);
  });

  it('names the line and column where a file stops being UTF-8 text', () => {
    expect(thrown(() => readTextFile(file('bin.bnx', Buffer.from('ab\ncd\0ef')), 'a .bnx source file')).message).toBe(
      'it is a binary file, not a .bnx source file (a zero byte at line 2, column 3)',
    );
    expect(thrown(() => readTextFile(file('latin1.bnx', Buffer.from('model m {\n  dense(2) # caf\xe9\n}\n', 'latin1')))).message).toBe(
      'it is not UTF-8 text (byte 0xE9 at line 2, column 17); save it as UTF-8',
    );
    expect(thrown(() => readTextFile(file('utf16.bnx', Buffer.from('\uFEFFmodel', 'utf16le')))).message).toMatch(/^it is UTF-16 text/);
  });

  it('finds the first malformed UTF-8 sequence', () => {
    const at = (bytes: number[]) => firstInvalidUtf8(Uint8Array.from(bytes));
    expect(at([0x61, 0xc3, 0xa9, 0xe2, 0x98, 0x95, 0xf0, 0x9d, 0x9b, 0x83])).toBe(-1);
    expect(at([0x61, 0xc3])).toBe(1); // cut off at the end
    expect(at([0xc0, 0x80])).toBe(0); // overlong
    expect(at([0x61, 0xed, 0xa0, 0x80])).toBe(1); // a UTF-16 surrogate
    expect(at([0x61, 0x80])).toBe(1); // a lone continuation byte
  });
});

describe('readJsonFile', () => {
  it('gives the line and column of a syntax error, on one line', () => {
    const err = thrown(() => readJsonFile(file('a.json', '{\n  "a": 1,\n}\n'), 'E_X'));
    expect(isBnxError(err)).toBe(true);
    expect(err.message).toMatch(/a\.json: not valid JSON \(.* at line 3, column 1\)$/);
    expect(thrown(() => readJsonFile(file('b.json', 'not json\n'), 'E_X')).message).toMatch(/b\.json: not valid JSON \(Unexpected token 'o'\)$/);
    expect(thrown(() => readJsonFile(file('c.json', ''), 'E_X')).message).toMatch(/c\.json: the file is empty/);
    expect(thrown(() => readJsonFile(dir, 'E_X')).message).toBe(`${dir}: it is a directory, not a JSON file`);
  });
});

describe('ensureDirectory and writeFileAtomic', () => {
  it('creates missing parents and names a file that stands in the way', () => {
    const nested = join(dir, 'out', 'a', 'b');
    ensureDirectory(nested, '--out');
    expect(existsSync(nested)).toBe(true);
    const blocker = file('blocker', 'keep');
    expect(thrown(() => ensureDirectory(blocker, '--out')).message).toBe(`--out: ${blocker} is a file, not a directory`);
    expect(thrown(() => ensureDirectory(join(blocker, 'sub'), '--export')).message).toBe(`--export: ${blocker} is a file, not a directory (on the way to ${join(blocker, 'sub')})`);
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
