// One file's text → its AST, or the syntax diagnostics that stop it.
import type { Diagnostic } from '@bnx/ir';
import type { FileAst } from './ast.js';
import { tokenize } from './lexer.js';
import { parseTokens } from './parser.js';
import { lexDiagnostics, parseDiagnostics, unclosedBlocks } from './syntax-errors.js';
import { buildAst } from './visitor.js';

export interface ParsedFile {
  ast?: FileAst;
  diagnostics: Diagnostic[];
}

export function parseFile(text: string, file: string): ParsedFile {
  const { tokens, errors: lexErrors } = tokenize(text);
  const unclosed = unclosedBlocks(file, text, tokens);
  const { cst, errors } = parseTokens(tokens);
  const diagnostics = [...lexDiagnostics(file, lexErrors), ...unclosed.diagnostics, ...parseDiagnostics(file, text, errors, unclosed)];
  diagnostics.sort((a, b) => (a.range?.start.offset ?? 0) - (b.range?.start.offset ?? 0));
  if (diagnostics.length > 0) return { diagnostics };
  return { ast: buildAst(cst, file), diagnostics };
}
