import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '@bnx/ir';
import { formatDiagnostic, parseProgram } from './index.js';

const text = 'model m {\n  input(784)\n  dense2(10)\n}\n';
const [unknownLayer] = parseProgram(text, '/virtual/m.bnx').diagnostics;

describe('formatDiagnostic', () => {
  it('shows file:line:col, the code, the source line, an underline of the range and the hint', () => {
    expect(formatDiagnostic(unknownLayer!, text)).toBe(
      [
        "/virtual/m.bnx:3:3: error[E0103]: unknown layer 'dense2'",
        ' 3 |   dense2(10)',
        '   |   ^~~~~~',
        "   = hint: did you mean 'dense'?",
      ].join('\n'),
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
    expect(formatDiagnostic({ severity: 'error', code: 'E1602', message: 'several experiments', hint: 'name one' }, undefined)).toBe('bnx: error[E1602]: several experiments\n  = hint: name one');
  });
});
