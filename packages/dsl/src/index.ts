// @bnx/dsl: the .bnx language → @bnx/ir. No chevrotain type appears in this API.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { validate, type Diagnostic, type ProgramIR } from '@bnx/ir';
import { lowerProgram, realPath } from './lower.js';
import { MAX_SOURCE_BYTES, parseFile } from './parse-file.js';
import { readTextFile, TextFileError } from './files/read-text.js';

export { formatDiagnostic, type FormatOptions } from './format.js';
export { DSL_DIAGNOSTIC_CODES, type DslDiagnosticCode } from './codes.js';
export { applyNormalization } from './norm-transform.js';
export { editDistance, closestMatch, didYouMean } from './suggest.js';
export { readTextFile, assertUtf8Text, firstInvalidUtf8, formatBytes, TextFileError, type ReadTextOptions } from './files/read-text.js';
export { MAX_SOURCE_BYTES } from './parse-file.js';
export { fsErrorCode, fsErrorReason } from './files/fs-errors.js';

export interface ParseOptions {
  /** Reads an imported file (absolute path); defaults to the file system. */
  readFile?: (path: string) => string;
}

export interface ParseResult {
  /** Present when there are no errors. */
  program?: ProgramIR;
  diagnostics: Diagnostic[];
  /** The text of every file read (the root and its imports) by absolute path, to show diagnostics with. */
  sources: Map<string, string>;
}

/**
 * The default reader: UTF-8 text (a byte-order mark dropped); a directory, pipe, device, binary data, another
 * encoding or a file over MAX_SOURCE_BYTES is refused in one line, before it is read.
 */
const readText = (path: string) => readTextFile(path, 'a .bnx source file', { maxBytes: MAX_SOURCE_BYTES });

/** At most this many diagnostics are reported for one check: past them a file is garbage, and the rest is noise. */
export const MAX_DIAGNOSTICS = 50;

/** The first MAX_DIAGNOSTICS diagnostics and one more that says how many were left out. */
function limited<T extends { diagnostics: Diagnostic[] }>(result: T): T {
  const all = result.diagnostics;
  if (all.length <= MAX_DIAGNOSTICS || !all.some((d) => d.severity === 'error')) return result;
  const left = all.slice(MAX_DIAGNOSTICS);
  const errors = left.filter((d) => d.severity === 'error').length;
  const summary: Diagnostic = {
    severity: 'error',
    code: 'E0121',
    message: `${left.length} more diagnostics (${errors} of them errors) are not shown; bnx stops after ${MAX_DIAGNOSTICS}: fix the ones above and check again`,
  };
  return { ...result, diagnostics: [...all.slice(0, MAX_DIAGNOSTICS), summary] };
}

/** Parses and lowers one file and its imports. Never throws on bad input: problems come back as diagnostics. */
export function parseProgram(text: string, file: string, options: ParseOptions = {}): ParseResult {
  const absolute = resolve(file);
  try {
    const parsed = parseFile(text, absolute);
    if (parsed.ast === undefined) return limited({ diagnostics: parsed.diagnostics, sources: new Map([[absolute, text]]) });
    return limited(lowerProgram(parsed.ast, text, { readFile: options.readFile ?? readText }));
  } catch (err) {
    // Bracket and sign nesting is limited up front; an expression like 1+1+...+1 with thousands of terms
    // can still exhaust the stack while being evaluated. That is the input's size, not a bug: report it.
    if (!(err instanceof RangeError)) throw err;
    const start = { line: 1, column: 1, offset: 0 };
    const diagnostic: Diagnostic = {
      severity: 'error',
      code: 'E0116',
      message: `${file} nests expressions too deeply to compile (${err.message})`,
      range: { file: absolute, start, end: start },
    };
    return { diagnostics: [diagnostic], sources: new Map([[absolute, text]]) };
  }
}

/** parseProgram, then the IR validator: shapes, value ranges, references across declarations. */
export function checkText(text: string, file: string, options: ParseOptions = {}): ParseResult {
  const result = parseProgram(text, file, options);
  if (result.program === undefined) return result;
  const diagnostics = [...result.diagnostics, ...validate(result.program)];
  const failed = diagnostics.some((d) => d.severity === 'error');
  return limited(failed ? { diagnostics, sources: result.sources } : { program: result.program, diagnostics, sources: result.sources });
}

function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Reads, parses, lowers and validates a file. A file that cannot be read is a diagnostic too. */
export function checkFile(path: string, options: ParseOptions = {}): ParseResult {
  const absolute = resolve(path);
  // The root file obeys the import rule's first half: a file that is not .bnx source (`bnx check
  // /etc/passwd`) would be parsed and every line of it shown back in a syntax error. A directory, pipe or
  // missing path is left to the reader, which says what it is.
  if (isRegularFile(absolute) && (!absolute.endsWith('.bnx') || !realPath(absolute).endsWith('.bnx'))) {
    return {
      diagnostics: [{ severity: 'error', code: 'E0109', message: `cannot read '${path}': bnx reads only .bnx source files (its name must end in .bnx)` }],
      sources: new Map(),
    };
  }
  let text: string;
  try {
    text = (options.readFile ?? readText)(absolute);
  } catch (err) {
    const reason =
      err instanceof TextFileError || (err as NodeJS.ErrnoException).code !== 'ENOENT' ? (err instanceof Error ? err.message : String(err)) : 'no such file';
    const code = (err as NodeJS.ErrnoException).code === 'E_TOO_LARGE' ? 'E0120' : 'E0109';
    return { diagnostics: [{ severity: 'error', code, message: `cannot read '${path}': ${reason}` }], sources: new Map() };
  }
  return checkText(text, absolute, options);
}
