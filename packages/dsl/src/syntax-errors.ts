// Lexer and parser errors as diagnostics with our own wording: chevrotain's messages name grammar rules and
// token types, which mean nothing to someone writing a .bnx file.
import { EOF, type IRecognitionException, type IToken, type TokenType } from 'chevrotain';
import type { Diagnostic, SourcePosition, SourceRange } from '@bnx/ir';
import { dslError } from './codes.js';
import { clip } from './format.js';
import type { LexError } from './lexer.js';
import {
  Dataset,
  Experiment,
  Identifier,
  Import,
  LBracket,
  LCurly,
  LParen,
  Minus,
  Model,
  Newline,
  NumberLiteral,
  RCurly,
  Repeat,
  Semicolon,
  StringLiteral,
  Train,
} from './lexer.js';
import { tokenRange } from './visitor.js';

/** The position just after the last character of the text. */
export function endPosition(text: string): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: text.length - lineStart + 1, offset: text.length };
}

function endRange(file: string, text: string): SourceRange {
  const end = endPosition(text);
  return { file, start: end, end };
}

/** At most this many characters of a token or of stray characters are quoted in a message. */
const QUOTED_LENGTH = 40;

const isEof = (token: IToken): boolean => token.tokenType === EOF || Number.isNaN(token.startOffset);

function describeToken(token: IToken): string {
  if (isEof(token)) return 'the end of the file';
  if (token.tokenType === Newline) return 'the end of the line';
  return `'${clip(token.image, QUOTED_LENGTH)}'`;
}

const TOKEN_WORDS: Record<string, string> = {
  RCurly: "'}'",
  LCurly: "'{'",
  RParen: "')'",
  LParen: "'('",
  RBracket: "']'",
  LBracket: "'['",
  Colon: "':'",
  Comma: "','",
  Identifier: 'a name',
  StringLiteral: 'a string',
  NumberLiteral: 'a number',
};

/** What each rule expects, for "no viable alternative" errors. */
const RULE_WORDS: Record<string, string> = {
  program: 'a declaration (dataset, model, train, experiment) or an import',
  statement: "a layer, an entry 'key: value', 'variant', 'sweep' or 'repeat'",
  block: "a layer, an entry 'key: value' or '}'",
  key: 'an entry name',
  declaration: 'a declaration kind (dataset, model, train, experiment)',
  primary: 'a value (a number, string, name, call, list or parenthesized expression)',
  unary: 'a value',
  term: 'a value',
  expression: 'a value',
  value: 'a value',
};

export function lexDiagnostics(file: string, errors: LexError[]): Diagnostic[] {
  return errors.map((e) => {
    const range: SourceRange = {
      file,
      start: { line: e.line, column: e.column, offset: e.offset },
      end: { line: e.line, column: e.column + Math.max(1, e.length), offset: e.offset + Math.max(1, e.length) },
    };
    const shown = clip(JSON.stringify(e.text).slice(1, -1), QUOTED_LENGTH);
    return dslError('E0001', `unexpected character${e.length > 1 ? 's' : ''} '${shown}'`, range);
  });
}

interface OpenBlock {
  brace: IToken;
  /** The declaration name, or the `repeat` keyword, that the block belongs to. */
  owner: IToken;
  label: string;
}

const DECLARATION_KEYWORDS = new Set([Dataset, Model, Train, Experiment]);

/**
 * Finds '{' that are never closed. A declaration keyword at the start of a line inside a block (`model b {`)
 * is taken as the start of the next declaration, which closes the blocks before it: that is where the '}'
 * was forgotten, and where the parser's own errors would be confusing. Braces match innermost first, so
 * when an inner block's '}' is missing the outer block is the one left open; indentation then tells which
 * '}' is really missing, and the hint says so.
 *
 * `suppressLines`: lines where the parser's own errors only repeat what an unclosed-block diagnostic says
 * (the line of the next declaration); `suppressEnd`: the same for errors at the end of the file.
 */
export function unclosedBlocks(file: string, text: string, tokens: IToken[]): { diagnostics: Diagnostic[]; suppressLines: Set<number>; suppressEnd: boolean } {
  const diagnostics: Diagnostic[] = [];
  const suppressLines = new Set<number>();
  let suppressEnd = false;
  const stack: OpenBlock[] = [];
  /** Column of the first token of each line: the line's indentation. */
  const indent = new Map<number, number>();
  const indentOf = (t: IToken) => indent.get(t.startLine ?? 0) ?? t.startColumn ?? 1;
  /** Blocks whose '}' is not indented like the line that opened them. */
  const misaligned: { open: OpenBlock; close: IToken }[] = [];
  const report = (before: string) => {
    for (const open of stack) {
      const column = indentOf(open.brace);
      const culprit = misaligned.find((m) => m.open.brace.startOffset > open.brace.startOffset && m.close.startColumn === column);
      const hint =
        culprit === undefined
          ? undefined
          : `the '}' at ${culprit.close.startLine}:${culprit.close.startColumn} lines up with ${open.label}: the missing '}' may be the one of ${culprit.open.label} at ${culprit.open.owner.startLine}:${culprit.open.owner.startColumn}`;
      diagnostics.push(dslError('E0003', `block ${open.label} is not closed: '}' expected before ${before}`, tokenRange(file, open.owner), hint));
    }
    stack.length = 0;
  };
  tokens.forEach((token, i) => {
    const type = token.tokenType;
    if (type !== Newline && !indent.has(token.startLine ?? 0)) indent.set(token.startLine ?? 0, token.startColumn ?? 1);
    if (type === LCurly) {
      const previous = tokens[i - 1];
      const beforePrevious = tokens[i - 2];
      if (previous?.tokenType === Identifier && beforePrevious !== undefined && DECLARATION_KEYWORDS.has(beforePrevious.tokenType)) {
        stack.push({ brace: token, owner: previous, label: `'${previous.image}'` });
      } else {
        const repeat = [...tokens.slice(Math.max(0, i - 8), i)].reverse().find((t) => t.tokenType === Repeat || t.tokenType === Newline);
        const owner = repeat?.tokenType === Repeat ? repeat : token;
        stack.push({ brace: token, owner, label: owner.tokenType === Repeat ? "'repeat'" : "'{'" });
      }
    } else if (type === RCurly) {
      const open = stack.pop();
      // Only a '}' that starts its line says something by its indentation.
      if (open !== undefined && indent.get(token.startLine ?? 0) === token.startColumn && token.startColumn !== indentOf(open.brace)) {
        misaligned.push({ open, close: token });
      }
    } else if (
      stack.length > 0 &&
      (tokens[i - 1] === undefined || tokens[i - 1]?.tokenType === Newline) &&
      ((DECLARATION_KEYWORDS.has(type) && tokens[i + 1]?.tokenType === Identifier && tokens[i + 2]?.tokenType === LCurly) || type === Import)
    ) {
      suppressLines.add(token.startLine ?? 0);
      report(`'${token.image}' at ${token.startLine}:${token.startColumn}`);
    }
  });
  if (stack.length > 0) {
    suppressEnd = true;
    report('the end of the file');
  }
  return { diagnostics, suppressLines, suppressEnd };
}

const CLOSERS: Record<string, { open: TokenType; word: string }> = {
  RParen: { open: LParen, word: "'('" },
  RBracket: { open: LBracket, word: "'['" },
};

/** The unmatched opening bracket before `offset`, for "the '(' at 4:8 is not closed". */
function unmatchedOpener(tokens: readonly IToken[], offset: number, closer: string): IToken | undefined {
  const pair = CLOSERS[closer];
  if (pair === undefined) return undefined;
  let depth = 0;
  let i = tokens.findIndex((t) => t.startOffset >= offset);
  if (i === -1) i = tokens.length;
  for (i -= 1; i >= 0; i--) {
    const type = tokens[i]!.tokenType;
    if (type === pair.open) {
      if (depth === 0) return tokens[i];
      depth--;
    } else if (type.name === closer) depth++;
    else if (type === LCurly || type === RCurly) return undefined;
  }
  return undefined;
}

/** Tokens that can start a value: after a lone name at the start of a statement, a sign of `key value`. */
const VALUE_STARTS = new Set<TokenType>([NumberLiteral, StringLiteral, Identifier, LBracket, Minus]);

/** The index of the token that starts at `offset` (tokens are in source order), or -1. */
function tokenIndexAt(tokens: readonly IToken[], offset: number): number {
  let low = 0;
  let high = tokens.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const start = tokens[mid]!.startOffset;
    if (start === offset) return mid;
    if (start < offset) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}

/** `epochs 2` parses as a layer `epochs` and then a stray `2`: the colon was forgotten. */
function missingColonHint(tokens: readonly IToken[], value: IToken): string | undefined {
  const at = tokenIndexAt(tokens, value.startOffset);
  const name = at > 0 ? tokens[at - 1]! : undefined;
  if (name === undefined || name.tokenType !== Identifier || name.endLine !== value.startLine || !VALUE_STARTS.has(value.tokenType)) return undefined;
  const before = at > 1 ? tokens[at - 2] : undefined;
  if (before !== undefined && before.tokenType !== Newline && before.tokenType !== LCurly && before.tokenType !== Semicolon) return undefined;
  return `did you mean '${clip(name.image, QUOTED_LENGTH)}: ${clip(value.image, QUOTED_LENGTH)}'? an entry is written with a colon after its key`;
}

export function parseDiagnostics(
  file: string,
  text: string,
  errors: IRecognitionException[],
  suppress: { suppressLines: Set<number>; suppressEnd: boolean },
  tokens: readonly IToken[] = [],
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<number>();
  for (const error of errors) {
    const token = error.token;
    const offset = isEof(token) ? text.length : token.startOffset;
    if (seen.has(offset) || (isEof(token) ? suppress.suppressEnd : suppress.suppressLines.has(token.startLine ?? 0))) continue;
    seen.add(offset);
    const range = isEof(token) ? endRange(file, text) : tokenRange(file, token);
    const found = describeToken(token);
    let message: string;
    let hint: string | undefined;
    if (error.name === 'MismatchedTokenException') {
      const expected = /-->\s*(\w+)\s*<--/.exec(error.message)?.[1];
      const previous = (error as { previousToken?: IToken }).previousToken;
      const sameLine = previous !== undefined && !isEof(previous) && !isEof(token) && previous.tokenType !== Newline && previous.endLine === token.startLine;
      if (expected === 'RCurly' && sameLine) {
        message = `expected the end of the line or ';' before ${found}: one statement per line`;
        hint = missingColonHint(tokens, token);
      } else if (expected === 'EOF') message = `expected ${RULE_WORDS.program} but found ${found}`;
      else {
        message = `expected ${TOKEN_WORDS[expected ?? ''] ?? expected ?? 'something else'} but found ${found}`;
        const opener = expected === undefined ? undefined : unmatchedOpener(tokens, offset, expected);
        if (opener !== undefined) hint = `the ${CLOSERS[expected!]!.word} at ${opener.startLine}:${opener.startColumn} is not closed`;
      }
    } else if (error.name === 'NotAllInputParsedException') {
      message = `expected ${RULE_WORDS.program} but found ${found}`;
    } else {
      const rule = error.context.ruleStack[error.context.ruleStack.length - 1] ?? '';
      message = `expected ${RULE_WORDS[rule] ?? 'something else'} but found ${found}`;
    }
    diagnostics.push(dslError('E0002', message, range, hint));
  }
  return diagnostics;
}
