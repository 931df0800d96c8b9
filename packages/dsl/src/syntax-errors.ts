// Lexer and parser errors as diagnostics with our own wording: chevrotain's messages name grammar rules and
// token types, which mean nothing to someone writing a .bnx file.
import { EOF, type IRecognitionException, type IToken } from 'chevrotain';
import type { Diagnostic, SourcePosition, SourceRange } from '@bnx/ir';
import { dslError } from './codes.js';
import type { LexError } from './lexer.js';
import { Dataset, Experiment, Identifier, Import, LCurly, Model, Newline, RCurly, Repeat, Train } from './lexer.js';
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

const isEof = (token: IToken): boolean => token.tokenType === EOF || Number.isNaN(token.startOffset);

function describeToken(token: IToken): string {
  if (isEof(token)) return 'the end of the file';
  if (token.tokenType === Newline) return 'the end of the line';
  return `'${token.image}'`;
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
    const shown = JSON.stringify(e.text).slice(1, -1);
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
 * was forgotten, and where the parser's own errors would be confusing.
 */
/**
 * `suppressLines`: lines where the parser's own errors only repeat what an unclosed-block diagnostic says
 * (the line of the next declaration); `suppressEnd`: the same for errors at the end of the file.
 */
export function unclosedBlocks(file: string, text: string, tokens: IToken[]): { diagnostics: Diagnostic[]; suppressLines: Set<number>; suppressEnd: boolean } {
  const diagnostics: Diagnostic[] = [];
  const suppressLines = new Set<number>();
  let suppressEnd = false;
  const stack: OpenBlock[] = [];
  const report = (before: string) => {
    for (const open of stack) {
      diagnostics.push(
        dslError('E0003', `block ${open.label} is not closed: '}' expected before ${before}`, tokenRange(file, open.owner)),
      );
    }
    stack.length = 0;
  };
  tokens.forEach((token, i) => {
    const type = token.tokenType;
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
      stack.pop();
    } else if (
      stack.length > 0 &&
      (tokens[i - 1] === undefined || tokens[i - 1]?.tokenType === Newline) &&
      ((DECLARATION_KEYWORDS.has(type) && tokens[i + 1]?.tokenType === Identifier && tokens[i + 2]?.tokenType === LCurly) ||
        type === Import)
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

export function parseDiagnostics(
  file: string,
  text: string,
  errors: IRecognitionException[],
  suppress: { suppressLines: Set<number>; suppressEnd: boolean },
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
    if (error.name === 'MismatchedTokenException') {
      const expected = /-->\s*(\w+)\s*<--/.exec(error.message)?.[1];
      const previous = (error as { previousToken?: IToken }).previousToken;
      const sameLine = previous !== undefined && !isEof(previous) && !isEof(token) && previous.tokenType !== Newline && previous.endLine === token.startLine;
      if (expected === 'RCurly' && sameLine) message = `expected the end of the line or ';' before ${found}: one statement per line`;
      else if (expected === 'EOF') message = `expected ${RULE_WORDS.program} but found ${found}`;
      else message = `expected ${TOKEN_WORDS[expected ?? ''] ?? expected ?? 'something else'} but found ${found}`;
    } else if (error.name === 'NotAllInputParsedException') {
      message = `expected ${RULE_WORDS.program} but found ${found}`;
    } else {
      const rule = error.context.ruleStack[error.context.ruleStack.length - 1] ?? '';
      message = `expected ${RULE_WORDS[rule] ?? 'something else'} but found ${found}`;
    }
    diagnostics.push(dslError('E0002', message, range));
  }
  return diagnostics;
}
