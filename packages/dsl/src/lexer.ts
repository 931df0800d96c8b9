// The .bnx tokens. Newlines separate statements, except inside (...) and [...], where they are dropped so a
// long argument list or value list may span lines (Python's implicit line joining).
import { createToken, Lexer, type IToken, type TokenType } from 'chevrotain';

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: 'Comment', pattern: /#[^\n]*/, group: Lexer.SKIPPED });
export const Newline = createToken({ name: 'Newline', pattern: /\n/, line_breaks: true });
export const Semicolon = createToken({ name: 'Semicolon', pattern: /;/ });

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/ });
const keyword = (word: string): TokenType => createToken({ name: word[0]!.toUpperCase() + word.slice(1), pattern: new RegExp(word), longer_alt: Identifier });
export const Dataset = keyword('dataset');
export const Model = keyword('model');
export const Train = keyword('train');
export const Experiment = keyword('experiment');
export const Import = keyword('import');
export const Variant = keyword('variant');
export const Sweep = keyword('sweep');
export const With = keyword('with');
export const Repeat = keyword('repeat');

/** Digits after a '.' are required, so `1..5` lexes as 1, `..`, 5. */
export const NumberLiteral = createToken({ name: 'NumberLiteral', pattern: /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/ });
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: /"(?:[^"\\\n]|\\.)*"/ });

export const DotDot = createToken({ name: 'DotDot', pattern: /\.\./ });
export const LCurly = createToken({ name: 'LCurly', pattern: /\{/ });
export const RCurly = createToken({ name: 'RCurly', pattern: /\}/ });
export const LParen = createToken({ name: 'LParen', pattern: /\(/ });
export const RParen = createToken({ name: 'RParen', pattern: /\)/ });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/ });
export const RBracket = createToken({ name: 'RBracket', pattern: /\]/ });
export const Colon = createToken({ name: 'Colon', pattern: /:/ });
export const Comma = createToken({ name: 'Comma', pattern: /,/ });
export const Plus = createToken({ name: 'Plus', pattern: /\+/ });
export const Minus = createToken({ name: 'Minus', pattern: /-/ });
export const Star = createToken({ name: 'Star', pattern: /\*/ });
export const Slash = createToken({ name: 'Slash', pattern: /\// });
export const GreaterEqual = createToken({ name: 'GreaterEqual', pattern: />=/ });
export const LessEqual = createToken({ name: 'LessEqual', pattern: /<=/ });
export const Greater = createToken({ name: 'Greater', pattern: />/ });
export const Less = createToken({ name: 'Less', pattern: /</ });

export const keywordTokens: TokenType[] = [Dataset, Model, Train, Experiment, Import, Variant, Sweep, With, Repeat];

export const allTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  Newline,
  Semicolon,
  ...keywordTokens,
  Identifier,
  NumberLiteral,
  StringLiteral,
  DotDot,
  LCurly,
  RCurly,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Colon,
  Comma,
  Plus,
  Minus,
  Star,
  Slash,
  GreaterEqual,
  LessEqual,
  Greater,
  Less,
];

/** Only '\n' ends a line: a stray '\r' is whitespace, so positions agree with editors and the formatter. */
export const bnxLexer = new Lexer(allTokens, {
  positionTracking: 'full',
  // Global flag required: chevrotain scans with lastIndex.
  lineTerminatorsPattern: /\n/g,
  lineTerminatorCharacters: ['\n'],
});

export interface LexError {
  offset: number;
  line: number;
  column: number;
  length: number;
  text: string;
}

export interface LexResult {
  tokens: IToken[];
  errors: LexError[];
}

/** Tokenizes one file: statement separators inside (...) / [...] are dropped, lexer errors are collected. */
export function tokenize(text: string): LexResult {
  const result = bnxLexer.tokenize(text);
  const tokens: IToken[] = [];
  let depth = 0;
  for (const token of result.tokens) {
    const type = token.tokenType;
    if (type === LParen || type === LBracket) depth++;
    else if ((type === RParen || type === RBracket) && depth > 0) depth--;
    // A '{' or '}' ends any open (...) / [...]: an unbalanced bracket must not swallow the rest of the file.
    else if (type === LCurly || type === RCurly) depth = 0;
    if (type === Newline && depth > 0) continue;
    tokens.push(token);
  }
  const errors = result.errors.map((e) => ({
    offset: e.offset,
    line: e.line ?? 1,
    column: e.column ?? 1,
    length: e.length,
    text: text.slice(e.offset, e.offset + e.length),
  }));
  return { tokens, errors };
}
