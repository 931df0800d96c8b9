// A diagnostic as a good compiler shows it:
//   model.bnx:6:3: error[E0103]: unknown layer 'dense2'
//      6 |   dense2(10)
//        |   ^~~~~~
//        = hint: did you mean 'dense'?
import type { Diagnostic } from '@bnx/ir';

/** At most this many characters of a source line are shown; a longer line is cut around the error. */
export const MAX_SHOWN_COLUMNS = 120;

/** Line `line` (1-based) of `text`, found from `offset` (a position on that line) without splitting the whole text. */
function sourceLine(text: string, line: number, offset: number | undefined): string {
  let start = 0;
  if (offset !== undefined && offset >= 0 && offset <= text.length) start = offset === 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
  else {
    for (let l = 1; l < line; l++) {
      const next = text.indexOf('\n', start);
      if (next === -1) return '';
      start = next + 1;
    }
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end === -1 ? text.length : end).replace(/\r$/, '');
}

/**
 * The part of `line` to show, at most MAX_SHOWN_COLUMNS wide, around columns `from`..`to` (1-based): a file
 * that is one 4 MB line must not be printed once per diagnostic. Returns the text, with '…' where it is cut,
 * and the column in it where `from` now is.
 */
export function visibleSlice(line: string, from: number, to: number): { text: string; column: number } {
  if (line.length <= MAX_SHOWN_COLUMNS) return { text: line, column: from };
  const width = MAX_SHOWN_COLUMNS - 2; // room for an ellipsis at each end
  const wanted = Math.min(Math.max(1, to - from), width);
  // The error starts a third of the way in, so some context before it shows too.
  let start = Math.max(0, from - 1 - Math.floor((width - wanted) / 3));
  start = Math.min(start, Math.max(0, line.length - width));
  const end = Math.min(line.length, start + width);
  const before = start > 0 ? '…' : '';
  const after = end < line.length ? '…' : '';
  return { text: `${before}${line.slice(start, end)}${after}`, column: from - start + before.length };
}

/** A message or hint longer than this is cut: one may quote a name or token the user wrote, of any length. */
const MAX_MESSAGE_LENGTH = 400;

/** `text` cut to `max` characters, with '…' at the cut; for quoting what a file says inside a message. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

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
  const lines = [`${paint('bold', place)}: ${label}: ${paint('bold', clip(diagnostic.message, MAX_MESSAGE_LENGTH))}`];
  if (range !== undefined && sourceText !== undefined) {
    const fullLine = sourceLine(sourceText, range.start.line, range.start.offset);
    const gutter = String(range.start.line);
    const pad = ' '.repeat(gutter.length);
    // The underline stops at the end of the first line of a range that spans several.
    const lastColumn = range.end.line === range.start.line ? range.end.column : fullLine.length + 1;
    const shown = visibleSlice(fullLine, range.start.column, lastColumn);
    const line = shown.text;
    const width = Math.max(1, Math.min(lastColumn - range.start.column, line.length + 1 - shown.column));
    // Tabs stay tabs under the text, so the caret lines up in any tab width.
    const indent = line.slice(0, shown.column - 1).replace(/[^\t]/g, ' ');
    const underline = `^${'~'.repeat(width - 1)}`;
    lines.push(`${paint('blue', ` ${gutter} |`)} ${line}`);
    lines.push(`${paint('blue', ` ${pad} |`)} ${indent}${paint(severityColor, underline)}`);
    if (diagnostic.hint !== undefined) lines.push(`${paint('blue', ` ${pad} =`)} hint: ${clip(diagnostic.hint, MAX_MESSAGE_LENGTH)}`);
  } else if (diagnostic.hint !== undefined) {
    lines.push(`  = hint: ${clip(diagnostic.hint, MAX_MESSAGE_LENGTH)}`);
  }
  for (const related of diagnostic.related ?? []) {
    lines.push(`  ${paint('cyan', 'note')}: ${related.message} (${related.range.file}:${related.range.start.line}:${related.range.start.column})`);
  }
  return lines.join('\n');
}
