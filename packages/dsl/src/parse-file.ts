// One file's text → its AST, or the syntax diagnostics that stop it.
import type { Diagnostic } from '@bnx/ir';
import type { FileAst } from './ast.js';
import type { IToken } from 'chevrotain';
import { dslError } from './codes.js';
import { formatBytes } from './files/read-text.js';
import { LBracket, LCurly, LParen, Minus, RBracket, RCurly, RParen, tokenize } from './lexer.js';
import { parseTokens } from './parser.js';
import { lexDiagnostics, parseDiagnostics, unclosedBlocks } from './syntax-errors.js';
import { buildAst, tokenRange } from './visitor.js';

export interface ParsedFile {
  ast?: FileAst;
  diagnostics: Diagnostic[];
}

/**
 * The largest .bnx file read: far above any written by hand (the examples are under 3 KB) and room for a
 * generated sweep list of 10,000 values; parsing is about linear, so this bounds the time a file can take.
 */
export const MAX_SOURCE_BYTES = 256 * 1024;

/** Deeper nesting than any real file has; beyond it the recursive parser could run out of stack. */
export const MAX_NESTING = 64;

/** The first token at which brackets or a run of unary signs nest deeper than MAX_NESTING. */
function tooDeep(file: string, tokens: IToken[]): Diagnostic | undefined {
  let depth = 0;
  let signs = 0;
  for (const token of tokens) {
    const type = token.tokenType;
    if (type === LParen || type === LBracket || type === LCurly) depth++;
    else if (type === RParen || type === RBracket || type === RCurly) depth = Math.max(0, depth - 1);
    signs = type === Minus ? signs + 1 : 0;
    if (depth > MAX_NESTING || signs > MAX_NESTING) {
      return dslError('E0116', `nested more than ${MAX_NESTING} levels deep here; no model needs that`, tokenRange(file, token));
    }
  }
  return undefined;
}

export function parseFile(text: string, file: string): ParsedFile {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_SOURCE_BYTES) {
    const start = { line: 1, column: 1, offset: 0 };
    return {
      diagnostics: [
        dslError('E0120', `the file is ${formatBytes(bytes)} (${bytes} bytes); a .bnx file may be at most ${formatBytes(MAX_SOURCE_BYTES)}`, {
          file,
          start,
          end: start,
        }),
      ],
    };
  }
  const { tokens, errors: lexErrors } = tokenize(text);
  const deep = tooDeep(file, tokens);
  if (deep !== undefined) return { diagnostics: [...lexDiagnostics(file, lexErrors), deep] };
  const unclosed = unclosedBlocks(file, text, tokens);
  const { cst, errors } = parseTokens(tokens);
  const diagnostics = [...lexDiagnostics(file, lexErrors), ...unclosed.diagnostics, ...parseDiagnostics(file, text, errors, unclosed, tokens)];
  diagnostics.sort((a, b) => (a.range?.start.offset ?? 0) - (b.range?.start.offset ?? 0));
  if (diagnostics.length > 0) return { diagnostics };
  return { ast: buildAst(cst, file), diagnostics };
}
