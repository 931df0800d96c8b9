// Thousands of seeded mutations of the valid files: each must end in an IR or in diagnostics whose positions
// lie inside the input (consistent line, column and offset); never an exception, never a hang.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { SourcePosition } from '@bnx/ir';
import { checkText } from './index.js';
import { MUTATION_KINDS, mutate, seededRandom } from './testing/mutate.js';

const MUTATIONS = 6000;
const SEED = 20260522;
const FILE = '/fuzz/input.bnx';

const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));
const fixtures = fileURLToPath(new URL('./__fixtures__/valid/', import.meta.url));
const sources = [
  ...readdirSync(examples)
    .filter((f) => f.endsWith('.bnx'))
    .map((f) => readFileSync(examples + f, 'utf8')),
  readFileSync(fixtures + 'everything.bnx', 'utf8'),
];

/** The problem with a position in `text`, or undefined when it is a real place in it. */
function positionProblem(text: string, lineStarts: number[], p: SourcePosition): string | undefined {
  if (!(p.offset >= 0 && p.offset <= text.length)) return `offset ${p.offset} outside 0..${text.length}`;
  const lineStart = lineStarts[p.line - 1];
  if (lineStart === undefined) return `line ${p.line} outside 1..${lineStarts.length}`;
  if (lineStart + p.column - 1 !== p.offset) return `${p.line}:${p.column} is offset ${lineStart + p.column - 1}, not ${p.offset}`;
  return undefined;
}

describe('fuzz', () => {
  it(`survives ${MUTATIONS} seeded mutations of the valid files`, () => {
    const random = seededRandom(SEED);
    const failures: string[] = [];
    const outcomes = { program: 0, diagnostics: 0 };
    let slowest = 0;
    for (let i = 0; i < MUTATIONS && failures.length < 5; i++) {
      const kind = MUTATION_KINDS[i % MUTATION_KINDS.length]!;
      let text = sources[Math.floor(random() * sources.length)]!;
      // Some cases stack two mutations, to reach states one edit cannot.
      const rounds = random() < 0.3 ? 2 : 1;
      for (let r = 0; r < rounds; r++) text = mutate(text, r === 0 ? kind : MUTATION_KINDS[Math.floor(random() * MUTATION_KINDS.length)]!, random);
      const lineStarts = [0, ...[...text.matchAll(/\n/g)].map((m) => m.index + 1)];
      const started = performance.now();
      try {
        const result = checkText(text, FILE, {
          readFile: (path) => {
            throw Object.assign(new Error(`not readable in the fuzz test: ${path}`), { code: 'ENOENT' });
          },
        });
        slowest = Math.max(slowest, performance.now() - started);
        const errors = result.diagnostics.filter((d) => d.severity === 'error');
        if (result.program !== undefined) {
          outcomes.program++;
          if (errors.length > 0) failures.push(`case ${i}: a program and errors at once`);
          // Every source range in the IR lies inside the input too.
          JSON.stringify(result.program, (key, value: unknown) => {
            if (key === 'start' || key === 'end') {
              const problem = positionProblem(text, lineStarts, value as SourcePosition);
              if (problem !== undefined) failures.push(`case ${i} (${kind}): IR location ${problem}`);
            }
            return value;
          });
        } else {
          outcomes.diagnostics++;
          if (errors.length === 0) failures.push(`case ${i} (${kind}): no program and no error`);
        }
        for (const d of result.diagnostics) {
          if (d.range === undefined) continue;
          if (d.range.file !== FILE) failures.push(`case ${i} (${kind}): diagnostic in another file ${d.range.file}`);
          for (const p of [d.range.start, d.range.end]) {
            const problem = positionProblem(text, lineStarts, p);
            if (problem !== undefined) failures.push(`case ${i} (${kind}): ${d.code} ${d.message}: ${problem} in ${JSON.stringify(text).slice(0, 2000)}`);
          }
          if (d.range.end.offset < d.range.start.offset) failures.push(`case ${i} (${kind}): range ends before it starts`);
        }
      } catch (err) {
        failures.push(`case ${i} (${kind}): threw ${err instanceof Error ? err.stack : String(err)} on ${JSON.stringify(text).slice(0, 2000)}`);
      }
    }
    expect(failures).toEqual([]);
    // Both outcomes occur: the mutations neither always break nor never break the files.
    expect(outcomes.program).toBeGreaterThan(100);
    expect(outcomes.diagnostics).toBeGreaterThan(1000);
    // A single input of about 2 kB must never take long: that would be a hang in the making.
    expect(slowest).toBeLessThan(2000);
  });
});
