// Seeded mutations of .bnx text for the fuzz test: token deletions, swaps, insertions, random bytes and
// truncation. Deterministic for a given seed, so a failure can be replayed.
import { tokenize } from '../lexer.js';
import { seededRandom } from '@bnx/test-support';

export { seededRandom };

const VOCABULARY = [
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  ':',
  ',',
  ';',
  '\n',
  '..',
  '-',
  '/',
  '*',
  '>=',
  'with',
  'repeat',
  'import',
  'model',
  'variant',
  'sweep',
  '"x.bnx"',
  '0',
  '1e309',
  '-1',
  'dense',
  'batchnorm',
  'input(3)',
  'repeat 3 {',
  '"',
];
const RANDOM_CHARS = ['\u0000', '\r', '\t', '@', '$', '"', '\\', 'é', '😀', '\u2028', '#', '.', '`'];

export type MutationKind = 'delete' | 'swap' | 'insert' | 'bytes' | 'truncate' | 'duplicate-line';
export const MUTATION_KINDS: readonly MutationKind[] = ['delete', 'swap', 'insert', 'bytes', 'truncate', 'duplicate-line'];

export function mutate(text: string, kind: MutationKind, random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const tokens = tokenize(text).tokens.map((t) => ({ start: t.startOffset, end: (t.endOffset ?? t.startOffset) + 1 }));
  if (tokens.length === 0) return text.slice(0, Math.floor(random() * text.length));
  switch (kind) {
    case 'delete': {
      const t = pick(tokens);
      return text.slice(0, t.start) + text.slice(t.end);
    }
    case 'swap': {
      let [a, b] = [pick(tokens), pick(tokens)];
      if (a.start > b.start) [a, b] = [b, a];
      if (a === b || a.end > b.start) return text;
      return text.slice(0, a.start) + text.slice(b.start, b.end) + text.slice(a.end, b.start) + text.slice(a.start, a.end) + text.slice(b.end);
    }
    case 'insert': {
      const at = pick(tokens).start;
      const source =
        random() < 0.5
          ? pick(VOCABULARY)
          : (() => {
              const t = pick(tokens);
              return text.slice(t.start, t.end);
            })();
      return `${text.slice(0, at)}${source} ${text.slice(at)}`;
    }
    case 'bytes': {
      let out = text;
      const count = 1 + Math.floor(random() * 4);
      for (let i = 0; i < count; i++) {
        const at = Math.floor(random() * (out.length + 1));
        const ch = random() < 0.5 ? pick(RANDOM_CHARS) : String.fromCharCode(Math.floor(random() * 128));
        out = random() < 0.5 ? out.slice(0, at) + ch + out.slice(at + 1) : out.slice(0, at) + ch + out.slice(at);
      }
      return out;
    }
    case 'truncate':
      return text.slice(0, Math.floor(random() * text.length));
    case 'duplicate-line': {
      const lines = text.split('\n');
      const i = Math.floor(random() * lines.length);
      lines.splice(i, 0, lines[i]!);
      return lines.join('\n');
    }
  }
}
