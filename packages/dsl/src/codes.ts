// The diagnostics @bnx/dsl produces, each with a stable code. The DSL uses E0xxx/W0xxx; @bnx/ir uses E1xxx/W1xxx.
import type { Diagnostic, SourceRange } from '@bnx/ir';

export const DSL_DIAGNOSTIC_CODES = {
  E0001: 'a character that no token starts with',
  E0002: 'a syntax error: a token the grammar does not allow at that place',
  E0003: "a block '{' that is not closed",
  E0101: 'a declaration name used twice for the same kind',
  E0102: 'a reference to a model that is not declared',
  E0103: 'an unknown layer',
  E0104: 'an unknown entry key in a dataset, train or experiment block',
  E0105: 'an unknown, repeated or misplaced argument of a call',
  E0106: 'a required entry or argument is missing',
  E0107: 'a value of the wrong type (a string where a number is needed, ...)',
  E0108: 'an entry given twice in one block',
  E0109: 'a file (the one named, or an import) cannot be read, or is not named .bnx',
  E0110: 'files import each other in a cycle',
  E0111: 'a statement that does not belong in this kind of block',
  E0112: "a model's input(...) is missing, repeated or not the first line",
  E0113: 'a constant expression that has no finite value (division by zero, ...)',
  E0114: 'a name that is not one of the allowed choices (optimizer, source, padding, probe, ...)',
  E0115: 'a repeat count, range or list that is too large to expand',
  E0116: 'brackets, signs or an expression nested too deeply to compile',
  E0117: 'a model parameter that is not declared, not named, not a number, or given where a model takes none',
  E0118: 'a model parameter whose name is a train entry or optimizer argument (a sweep over it would be ambiguous)',
  E0119: "an import of a file that is not a .bnx file in the root file's folder or below",
  E0120: 'a .bnx file over the size limit (256 KiB); it is not parsed',
  E0121: 'more errors than are shown: only the first 50 diagnostics of a file are reported',
  W0122: '`seeds: N` with one number N of 2 or more: that is the one seed N, not N seeds',
} as const;

export type DslDiagnosticCode = keyof typeof DSL_DIAGNOSTIC_CODES;

export function dslWarning(code: DslDiagnosticCode, message: string, range: SourceRange, hint?: string): Diagnostic {
  return { ...dslError(code, message, range, hint), severity: 'warning' };
}

export function dslError(code: DslDiagnosticCode, message: string, range: SourceRange, hint?: string): Diagnostic {
  const result: Diagnostic = { severity: 'error', code, message, range };
  if (hint !== undefined) result.hint = hint;
  return result;
}
