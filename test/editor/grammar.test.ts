// Tokenizes the example `.bnx` files with vscode-textmate (VS Code's own engine) and the shipped grammar,
// and checks that each construct gets the scope an editor theme colours.
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('../..', import.meta.url));
const grammarPath = join(root, 'editors/textmate/bnx.tmLanguage.json');
const exampleDir = join(root, 'examples');

let grammar: vsctm.IGrammar;

beforeAll(async () => {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName: string) => (scopeName === 'source.bnx' ? vsctm.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath) : null),
  });
  const loaded = await registry.loadGrammar('source.bnx');
  if (!loaded) throw new Error('grammar did not load');
  grammar = loaded;
});

/** Every token of a text as [text, innermost scope]. */
function tokenize(text: string): [string, string][] {
  const out: [string, string][] = [];
  let state = vsctm.INITIAL;
  for (const line of text.split('\n')) {
    const result = grammar.tokenizeLine(line, state);
    for (const token of result.tokens) {
      out.push([line.slice(token.startIndex, token.endIndex), token.scopes[token.scopes.length - 1] ?? '']);
    }
    state = result.ruleStack;
  }
  return out;
}

const scopeOf = (tokens: [string, string][], text: string) => tokens.find(([t]) => t.trim() === text)?.[1];

describe('TextMate grammar for .bnx', () => {
  it('scopes each construct of a small file', () => {
    const tokens = tokenize(
      [
        'import "base.bnx"  # shared declarations',
        'model mlp {',
        '  dense(300, init: he_normal)',
        '  dropout(0.2); relu',
        '}',
        'experiment e {',
        '  variant bn: mlp with batchnorm(placement: before_activation)',
        '  sweep lr: [1e-3, 0.1]',
        '  seeds: 1..3',
        '  target: val_accuracy >= 0.97',
        '}',
      ].join('\n'),
    );
    expect(scopeOf(tokens, 'import')).toBe('keyword.control.import.bnx');
    expect(scopeOf(tokens, '"base.bnx"')).toBe('string.quoted.double.bnx');
    expect(scopeOf(tokens, '# shared declarations')).toBe('comment.line.number-sign.bnx');
    expect(scopeOf(tokens, 'model')).toBe('storage.type.declaration.bnx');
    expect(scopeOf(tokens, 'mlp')).toBe('entity.name.type.bnx');
    expect(scopeOf(tokens, 'dense')).toBe('entity.name.function.call.bnx');
    expect(scopeOf(tokens, 'init')).toBe('variable.other.property.bnx');
    expect(scopeOf(tokens, '300')).toBe('constant.numeric.bnx');
    expect(scopeOf(tokens, '1e-3')).toBe('constant.numeric.bnx');
    expect(scopeOf(tokens, 'variant')).toBe('keyword.other.variant.bnx');
    expect(scopeOf(tokens, 'with')).toBe('keyword.control.bnx');
    expect(scopeOf(tokens, 'sweep')).toBe('keyword.other.sweep.bnx');
    expect(scopeOf(tokens, '..')).toBe('keyword.operator.range.bnx');
    expect(scopeOf(tokens, '>=')).toBe('keyword.operator.bnx');
  });

  const files = readdirSync(exampleDir).filter((f) => f.endsWith('.bnx'));
  it('finds the example files', () => expect(files.length).toBeGreaterThanOrEqual(8));

  it.each(files)('tokenizes examples/%s: comments, declarations and numbers all scoped', (file) => {
    const text = readFileSync(join(exampleDir, file), 'utf8');
    const tokens = tokenize(text);
    const scoped = (pred: (scope: string) => boolean) => tokens.filter(([t, s]) => t.trim() && pred(s));
    // Every '#' comment line in the file yields a comment token, and every declaration keyword is scoped.
    const commentLines = text.split('\n').filter((l) => l.includes('#')).length;
    expect(scoped((s) => s.startsWith('comment.')).length).toBe(commentLines);
    const declarations = text.match(/^(dataset|model|train|experiment)\s+\w+/gm) ?? [];
    expect(scoped((s) => s === 'storage.type.declaration.bnx').length).toBe(declarations.length);
    // No token outside comments and strings falls back to the bare source scope.
    expect(scoped((s) => s === 'source.bnx')).toEqual([]);
  });
});
