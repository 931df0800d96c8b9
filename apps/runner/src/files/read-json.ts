// The JSON files `bnx run` writes and reads back (results.json, plan.json, run records), read through
// @bnx/dsl's readTextFile so that a directory, a binary file or another encoding gets one clear line.
import { BnxError } from '@bnx/ir';
import { readTextFile, TextFileError } from '@bnx/dsl';

/** "line 3, column 7" of a character offset in `text`. */
function textPosition(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return `line ${line}, column ${column}`;
}

/**
 * A JSON file bnx wrote (results.json, plan.json, a run record), parsed. Every problem is a BnxError that
 * starts with the path: missing, not a file, not text, or not JSON (with the line and column where V8 says).
 */
export function readJsonFile(path: string, code: string): unknown {
  let text: string;
  try {
    text = readTextFile(path, 'a JSON file');
  } catch (err) {
    if (!(err instanceof TextFileError)) throw err;
    throw new BnxError(`${path}: ${err.message}`, err.code === 'ENOENT' ? 'E_RESULTS_MISSING' : code);
  }
  if (text.trim() === '') throw new BnxError(`${path}: the file is empty (expected JSON)`, code);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    // V8's messages quote a slice of the input (with its line breaks) and count in characters: keep the
    // first sentence on one line and turn "at position N" into a line and column.
    let message = (err as Error).message
      .split('\n')[0]!
      .replace(/, (\.\.\.)?".*$/, '')
      .replace(/\s+/g, ' ')
      .trim();
    message = message.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    // A file cut short fails wherever the cut fell (inside a string, after a number, between tokens), so
    // any error at the very end of the text is reported as truncation, not as the token V8 tripped on.
    const at = / at position (\d+)/.exec(message);
    const atEnd = at ? Number(at[1]) >= text.trimEnd().length : /^Unexpected end of JSON input/.test(message);
    if (atEnd) message = `${at ? message.replace(at[0], '') : message}: the file ends early (truncated?)`;
    else if (at) message = `${message.replace(at[0], '')} at ${textPosition(text, Number(at[1]))}`;
    throw new BnxError(`${path}: not valid JSON (${message})`, code);
  }
}
