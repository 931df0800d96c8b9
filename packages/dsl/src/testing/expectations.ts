// Reads the `# expect: ...` first line of an invalid fixture and finds the diagnostic it names.
import { dirname, resolve } from 'node:path';
import type { Diagnostic } from '@bnx/ir';

export interface Expectation {
  file: string;
  line: number;
  column: number;
  /** Absent in shared/bnx/invalid, whose expectations give only the message. */
  code?: string;
  /** Text the diagnostic's message or hint must contain. */
  fragments: string[];
}

/**
 * `# expect: [FILE:]L:C [CODE] TEXT`. For TEXT with quoted words (`'mpl'`), each quoted word must appear;
 * otherwise the whole TEXT must.
 */
export function readExpectation(path: string, text: string): Expectation {
  const first = text.split('\n')[0] ?? '';
  const match = /^# expect: (?:(\S+\.bnx):)?(\d+):(\d+)\s*(E\d{4})?\s*(.*)$/.exec(first);
  if (match === null) throw new Error(`${path}: first line is not '# expect: L:C ...'`);
  const [, file, line, column, code, rest = ''] = match;
  const quoted = rest.match(/'[^']*'/g) ?? [];
  const expectation: Expectation = {
    file: file === undefined ? path : resolve(dirname(path), file),
    line: Number(line),
    column: Number(column),
    fragments: quoted.length > 0 ? quoted : rest.trim() === '' ? [] : [rest.trim()],
  };
  if (code !== undefined) expectation.code = code;
  return expectation;
}

export function findExpected(diagnostics: readonly Diagnostic[], expectation: Expectation): Diagnostic | undefined {
  return diagnostics.find(
    (d) =>
      d.severity === 'error' &&
      d.range?.file === expectation.file &&
      d.range.start.line === expectation.line &&
      d.range.start.column === expectation.column &&
      (expectation.code === undefined || d.code === expectation.code) &&
      expectation.fragments.every((f) => `${d.message} ${d.hint ?? ''}`.includes(f)),
  );
}
