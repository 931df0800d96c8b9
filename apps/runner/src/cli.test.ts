import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { handleOutputErrors } from './cli.js';

function streams() {
  const written: string[] = [];
  const stdout = new EventEmitter();
  const stderr = Object.assign(new EventEmitter(), { write: (text: string) => written.push(text) });
  const exits: number[] = [];
  handleOutputErrors({ stdout, stderr }, (code) => exits.push(code));
  const fail = (stream: EventEmitter, code: string, message: string) => stream.emit('error', Object.assign(new Error(message), { code }));
  return { stdout, stderr, written, exits, fail };
}

describe('output stream errors', () => {
  it('keeps working, quietly, when the reader of a pipe goes away (`bnx run ... 2>&1 | head -1`)', () => {
    const s = streams();
    s.fail(s.stdout, 'EPIPE', 'write EPIPE');
    s.fail(s.stderr, 'EPIPE', 'write EPIPE');
    s.fail(s.stdout, 'EPIPE', 'write EPIPE');
    // No exit here: the command finishes and its own status is the exit status (never 0 for nothing done).
    expect(s.exits).toEqual([]);
    expect(s.written).toEqual([]);
  });

  it('says in one line that standard output cannot be written, and exits 1', () => {
    const s = streams();
    s.fail(s.stdout, 'ENOSPC', 'ENOSPC: no space left on device, write');
    expect(s.exits).toEqual([1]);
    expect(s.written).toEqual(['bnx: cannot write to standard output: no space left on the device\n']);
    const t = streams();
    t.fail(t.stderr, 'EIO', 'EIO');
    expect(t.exits).toEqual([1]);
  });
});
