import { describe, expect, it } from 'vitest';
import { tokenize } from './lexer.js';

const kinds = (text: string) => tokenize(text).tokens.map((t) => `${t.tokenType.name}:${t.image.replace('\n', '\\n')}`);

describe('tokenize', () => {
  it('splits a range into number, .., number and reads exponents', () => {
    expect(kinds('1..5 1e-3 0.25 2E+4')).toEqual([
      'NumberLiteral:1',
      'DotDot:..',
      'NumberLiteral:5',
      'NumberLiteral:1e-3',
      'NumberLiteral:0.25',
      'NumberLiteral:2E+4',
    ]);
  });

  it('skips comments and whitespace, keeps newlines and ; as separators', () => {
    expect(kinds('relu # a comment\n tanh; sigmoid')).toEqual(['Identifier:relu', 'Newline:\\n', 'Identifier:tanh', 'Semicolon:;', 'Identifier:sigmoid']);
  });

  it('drops newlines inside parentheses and brackets only', () => {
    expect(kinds('f(a,\n b)\n[1,\n2]\n')).toEqual([
      'Identifier:f',
      'LParen:(',
      'Identifier:a',
      'Comma:,',
      'Identifier:b',
      'RParen:)',
      'Newline:\\n',
      'LBracket:[',
      'NumberLiteral:1',
      'Comma:,',
      'NumberLiteral:2',
      'RBracket:]',
      'Newline:\\n',
    ]);
  });

  it('an unclosed parenthesis does not swallow the newlines after the next brace', () => {
    expect(kinds('f(\n}\nx\n')).toEqual(['Identifier:f', 'LParen:(', 'RCurly:}', 'Newline:\\n', 'Identifier:x', 'Newline:\\n']);
  });

  it('tells keywords from identifiers that start with one', () => {
    expect(kinds('model models train trainer with repeat_1')).toEqual([
      'Model:model',
      'Identifier:models',
      'Train:train',
      'Identifier:trainer',
      'With:with',
      'Identifier:repeat_1',
    ]);
  });

  it('reads strings with escapes and comparison operators', () => {
    expect(kinds('"a \\"b\\"" >= <= > <')).toEqual(['StringLiteral:"a \\"b\\""', 'GreaterEqual:>=', 'LessEqual:<=', 'Greater:>', 'Less:<']);
  });

  it('reports characters no token starts with, with their 1-based position', () => {
    const { errors } = tokenize('model m {\n  dense(1) @\n}');
    expect(errors).toEqual([{ offset: 21, line: 2, column: 12, length: 1, text: '@' }]);
  });
});
