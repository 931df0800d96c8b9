// The code examples of the package READMEs, run as they are written, so that they stay true.
//
// Convention: every fenced block tagged ```js, ```mjs or ```ts in packages/*/README.md and apps/runner/README.md
// that imports from '@bnx/...' is a runnable example; blocks without such an import (shell, .bnx, fragments) are
// prose. A block that must not run (none today) gets the line `<!-- readme-examples: skip -->` right above its
// fence. Each block is written unchanged apart from its console.log calls to
// test/readme/.generated/<pid>/<package>.<n>.(mts|mjs) (gitignored; kept when an example fails) and imported
// dynamically from this test, so vitest's aliases resolve '@bnx/*' to the TypeScript sources (no build needed).
// It runs in a fresh temporary working directory (files it writes land there) in which `examples/` links to the
// repository's examples, so paths such as 'examples/seed-mlp-adam.bnx' work as they do from the repository root.
//
// An example passes when it completes without throwing. Where it shows its output, that is checked too: a
// one-line `console.log(...)` whose trailing comment, or else the comment line right below it, starts like a
// value (`[`, `{`, a quote, a number, true, false, null) must print exactly that: util.format's output with runs
// of whitespace collapsed, a leading string-literal label left out, a lone string matching bare or quoted, and
// `...` in the comment matching anything. Other comments (`// baseline against bn, per metric`) are prose.
// README_EXAMPLES_VERBOSE=1 prints everything the examples log.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format, inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
// One folder per process, so two test runs in one checkout do not trip over each other.
const generated = join(root, 'test/readme/.generated', String(process.pid));

interface Expectation {
  line: number; // 1-based line in the README
  text: string;
}

interface Example {
  readme: string; // relative to the repository root
  name: string; // <package>.<n>
  line: number; // 1-based line of the block's first code line in the README
  lang: string;
  code: string;
  expectations: Map<number, Expectation>; // by 1-based line within the block
}

const VALUE_START = /^(\[|\{|'|"|`|-?\d|true\b|false\b|null\b|undefined\b)/;
const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The one console.log call on a line, and the comment after it, if any. */
function splitComment(line: string): { code: string; comment?: string } {
  // Good enough for the READMEs: `//` inside a string literal on a console.log line does not occur.
  const at = line.indexOf('//');
  return at < 0 ? { code: line } : { code: line.slice(0, at), comment: line.slice(at + 2).trim() };
}

function expectationsOf(lines: string[], readmeLine: number): Map<number, Expectation> {
  const found = new Map<number, Expectation>();
  lines.forEach((line, i) => {
    const { code, comment } = splitComment(line);
    if (!/console\.log\(.*\);?\s*$/.test(code)) return;
    if (comment !== undefined) {
      if (VALUE_START.test(comment)) found.set(i + 1, { line: readmeLine + i, text: comment });
      return;
    }
    const below = /^\s*\/\/(.*)$/.exec(lines[i + 1] ?? '')?.[1]?.trim();
    if (below !== undefined && VALUE_START.test(below)) found.set(i + 1, { line: readmeLine + i + 1, text: below });
  });
  return found;
}

function readmes(): string[] {
  const list = readdirSync(join(root, 'packages')).map((p) => `packages/${p}/README.md`);
  list.push('apps/runner/README.md');
  return list.filter((p) => existsSync(join(root, p))).sort();
}

function examplesOf(readme: string): Example[] {
  const lines = readFileSync(join(root, readme), 'utf8').split('\n');
  const pkg = readme.split('/')[1]!;
  const out: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(js|mjs|ts|typescript)\s*$/.exec(lines[i]!);
    if (!open) continue;
    let end = i + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end++;
    const body = lines.slice(i + 1, end);
    const skipped = i > 0 && /<!--\s*readme-examples:\s*skip\s*-->/.test(lines[i - 1]!);
    if (!skipped && body.some((l) => /from\s+['"]@bnx\//.test(l))) {
      out.push({
        readme,
        name: `${pkg}.${out.length + 1}`,
        line: i + 2,
        lang: open[1]!,
        code: body.join('\n'),
        expectations: expectationsOf(body, i + 2),
      });
    }
    i = end;
  }
  return out;
}

/** What the examples printed, per example and block line. */
const printed = new Map<string, Map<number, string[][]>>();
(globalThis as Record<string, unknown>).__readmeLog = (example: string, line: number, labelled: boolean, ...args: unknown[]) => {
  const byLine = printed.get(example) ?? new Map<number, string[][]>();
  printed.set(example, byLine);
  // A leading string literal is a label (console.log('shape:', value)): the comment shows the value.
  const shown = labelled && args.length > 1 ? args.slice(1) : args;
  // A lone string prints bare; the comment may show it quoted, as a value ('completed').
  const text = shown.length === 1 && typeof shown[0] === 'string' ? [shown[0], inspect(shown[0])] : [format(...shown)];
  byLine.set(line, [...(byLine.get(line) ?? []), text]);
  if (process.env['README_EXAMPLES_VERBOSE']) console.info(`${example}:${line}:`, ...args);
};

function instrument(example: Example): string {
  // Every console.log goes to __readmeLog with its line, so the test output stays quiet and lines can be checked.
  return example.code
    .split('\n')
    .map((line, i) =>
      line.replace(
        /\bconsole\.log\((\s*['"`])?/g,
        (_, quote: string | undefined) => `globalThis.__readmeLog(${JSON.stringify(example.name)}, ${i + 1}, ${quote !== undefined}, ${quote ?? ''}`,
      ),
    )
    .join('\n');
}

function matches(actual: string, expected: string): boolean {
  const pattern = collapse(expected)
    .split('...')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`, 's').test(collapse(actual));
}

rmSync(generated, { recursive: true, force: true });
mkdirSync(generated, { recursive: true });
const workdirs: string[] = [];
let failures = 0;
afterAll(() => {
  for (const dir of workdirs) rmSync(dir, { recursive: true, force: true });
  // Kept when an example failed: the error names its generated file.
  if (failures === 0) rmSync(generated, { recursive: true, force: true });
});

const all = readmes().map((readme) => [readme, examplesOf(readme)] as const);

it('finds the examples', () => {
  // Guards the convention: a README whose blocks stop matching it would otherwise pass silently.
  const counts = Object.fromEntries(all.map(([readme, examples]) => [readme, examples.length]));
  for (const [readme, count] of Object.entries(counts)) expect(count, readme).toBeGreaterThan(0);
});

for (const [readme, examples] of all) {
  describe(readme, () => {
    for (const example of examples) {
      it(`${example.name} (line ${example.line})`, async () => {
        failures++;
        const ext = example.lang === 'js' || example.lang === 'mjs' ? 'mjs' : 'mts';
        const file = join(generated, `${example.name}.${ext}`);
        writeFileSync(file, `${instrument(example)}\n`);
        const cwd = process.cwd();
        const workdir = mkdtempSync(join(tmpdir(), `bnx-readme-${example.name}-`));
        workdirs.push(workdir);
        symlinkSync(join(root, 'examples'), join(workdir, 'examples'));
        process.chdir(workdir);
        try {
          await import(/* @vite-ignore */ pathToFileURL(file).href);
        } catch (err) {
          // The generated file keeps the block's lines, so its line in the stack maps straight back to the README.
          const stack = err instanceof Error ? (err.stack ?? '') : '';
          const at = new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+)`).exec(stack);
          const line = at ? example.line + Number(at[1]) - 1 : example.line;
          const where = `${readme}:${line} (generated: ${relative(root, file)})`;
          throw new Error(`the example at ${where} throws: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        } finally {
          process.chdir(cwd);
        }
        const logs = printed.get(example.name) ?? new Map<number, string[][]>();
        for (const [line, expected] of example.expectations) {
          const outputs = logs.get(line);
          const where = `${readme}:${expected.line}`;
          expect(outputs, `${where}: the console.log never ran`).toBeDefined();
          for (const forms of outputs!) {
            const ok = forms.some((output) => matches(output, expected.text));
            expect(ok, `${where} prints\n  ${collapse(forms.at(-1)!)}\nbut the README says\n  ${expected.text}`).toBe(true);
          }
        }
        failures--;
      });
    }
  });
}
