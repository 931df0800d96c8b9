// A diagnostic as a good compiler shows it:
//   model.bnx:6:3: error[E0103]: unknown layer 'dense2'
//      6 |   dense2(10)
//        |   ^~~~~~
//        = hint: did you mean 'dense'?
import type { Diagnostic } from '@bnx/ir';

export interface FormatOptions {
  /** ANSI colours; the CLI turns them on only for a TTY without NO_COLOR. */
  color?: boolean;
}

const ANSI = { red: '\x1b[31m', yellow: '\x1b[33m', cyan: '\x1b[36m', blue: '\x1b[34m', bold: '\x1b[1m', reset: '\x1b[0m' };

export function formatDiagnostic(diagnostic: Diagnostic, sourceText: string | undefined, options: FormatOptions = {}): string {
  const paint = (code: keyof typeof ANSI, text: string) => (options.color ? `${ANSI[code]}${text}${ANSI.reset}` : text);
  const severityColor = diagnostic.severity === 'error' ? 'red' : diagnostic.severity === 'warning' ? 'yellow' : 'cyan';
  const label = paint(severityColor, `${diagnostic.severity}[${diagnostic.code}]`);
  const range = diagnostic.range;
  const place = range === undefined ? 'bnx' : `${range.file}:${range.start.line}:${range.start.column}`;
  const lines = [`${paint('bold', place)}: ${label}: ${paint('bold', diagnostic.message)}`];
  if (range !== undefined && sourceText !== undefined) {
    const sourceLines = sourceText.split('\n');
    const line = (sourceLines[range.start.line - 1] ?? '').replace(/\r$/, '');
    const gutter = String(range.start.line);
    const pad = ' '.repeat(gutter.length);
    // The underline stops at the end of the first line of a range that spans several.
    const lastColumn = range.end.line === range.start.line ? range.end.column : line.length + 1;
    const width = Math.max(1, lastColumn - range.start.column);
    // Tabs stay tabs under the text, so the caret lines up in any tab width.
    const indent = line.slice(0, range.start.column - 1).replace(/[^\t]/g, ' ');
    const underline = `^${'~'.repeat(width - 1)}`;
    lines.push(`${paint('blue', ` ${gutter} |`)} ${line}`);
    lines.push(`${paint('blue', ` ${pad} |`)} ${indent}${paint(severityColor, underline)}`);
    if (diagnostic.hint !== undefined) lines.push(`${paint('blue', ` ${pad} =`)} hint: ${diagnostic.hint}`);
  } else if (diagnostic.hint !== undefined) {
    lines.push(`  = hint: ${diagnostic.hint}`);
  }
  for (const related of diagnostic.related ?? []) {
    lines.push(`  ${paint('cyan', 'note')}: ${related.message} (${related.range.file}:${related.range.start.line}:${related.range.start.column})`);
  }
  return lines.join('\n');
}
