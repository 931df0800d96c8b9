import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstInvalidUtf8, readTextFile } from './read-text.js';

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

describe('checkFile reads through readTextFile', () => {
  it('reports a binary file in one diagnostic and accepts a byte-order mark', async () => {
    const { checkFile } = await import('../index.js');
    const binary = checkFile(file('model.bnx', new Uint8Array([0x6d, 0x6f, 0x64, 0x00, 0xff, 0x01])));
    expect(binary.program).toBeUndefined();
    expect(binary.diagnostics).toHaveLength(1);
    expect(binary.diagnostics[0]!.message).toContain('it is a binary file, not a .bnx source file (a zero byte at line 1, column 4)');
    const withBom = checkFile(file('bom.bnx', '\uFEFFdataset d {\n  source: synthetic(kind: blobs, samples: 60, features: 4, classes: 3)\n}\n'));
    expect(withBom.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});
