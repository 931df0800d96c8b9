import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '@bnx/ir';
import { formatDiagnostic, parseProgram } from './index.js';

const text = 'model m {\n  input(784)\n  dense2(10)\n}\n';
const [unknownLayer] = parseProgram(text, '/virtual/m.bnx').diagnostics;

describe('formatDiagnostic', () => {
  it('shows file:line:col, the code, the source line, an underline of the range and the hint', () => {
    expect(formatDiagnostic(unknownLayer!, text)).toBe(
      ["/virtual/m.bnx:3:3: error[E0103]: unknown layer 'dense2'", ' 3 |   dense2(10)', '   |   ^~~~~~', "   = hint: did you mean 'dense'?"].join('\n'),
    );
  });

  it('uses ANSI colours only when asked', () => {
    expect(formatDiagnostic(unknownLayer!, text, { color: false })).not.toContain('\x1b[');
    const coloured = formatDiagnostic(unknownLayer!, text, { color: true });
    expect(coloured).toContain('\x1b[31merror[E0103]\x1b[0m');
  });

  it('keeps tabs so the caret lines up, and underlines only the first line of a multi-line range', () => {
    const diagnostic: Diagnostic = {
      severity: 'warning',
      code: 'W1503',
      message: 'something',
      range: { file: 'f.bnx', start: { line: 1, column: 3, offset: 2 }, end: { line: 2, column: 2, offset: 8 } },
    };
    expect(formatDiagnostic(diagnostic, '\tx abc\nnext')).toBe(['f.bnx:1:3: warning[W1503]: something', ' 1 | \tx abc', '   | \t ^~~~'].join('\n'));
  });

  it('prints a diagnostic without a range on one line, with its hint', () => {
    expect(formatDiagnostic({ severity: 'error', code: 'E1602', message: 'several experiments', hint: 'name one' }, undefined)).toBe(
      'bnx: error[E1602]: several experiments\n  = hint: name one',
    );
  });

  it('shows at most 120 columns of a long line, cut around the error with ellipses, and a token of any length clipped', () => {
    // One line of 70,000 characters with a stray word in the middle: the line must not be echoed whole.
    const long = `model m { input(4); ${'dense(1); '.repeat(3000)}${'z'.repeat(5000)}(1); ${'dense(1); '.repeat(3000)}}`;
    const result = parseProgram(long, '/virtual/long.bnx');
    expect(result.diagnostics.length).toBeGreaterThan(0);
    for (const d of result.diagnostics) {
      const shown = formatDiagnostic(d, long).split('\n');
      for (const line of shown) expect(line.length).toBeLessThanOrEqual(450);
      const [, source, underline] = shown;
      expect(source!.length).toBeLessThanOrEqual(' 1 | '.length + 120);
      expect(source).toMatch(/^ 1 \| ….*…$/);
      // The caret still sits under the error: the cut line holds the start of the range at the caret's column.
      const caret = underline!.indexOf('^');
      expect(source!.slice(caret)).toMatch(/^z+/);
    }
  });

  it('finds the line at the start of the text and at its end', () => {
    const at = (offset: number, line: number, column: number): Diagnostic => ({
      severity: 'error',
      code: 'E0002',
      message: 'm',
      range: { file: 'f.bnx', start: { line, column, offset }, end: { line, column: column + 1, offset: offset + 1 } },
    });
    expect(formatDiagnostic(at(0, 1, 1), '\nsecond').split('\n')[1]).toBe(' 1 | ');
    expect(formatDiagnostic(at(1, 2, 1), '\nsecond').split('\n')[1]).toBe(' 2 | second');
    expect(formatDiagnostic(at(13, 2, 7), 'first\nsecond').split('\n')[1]).toBe(' 2 | second');
  });
});
