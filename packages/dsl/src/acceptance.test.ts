// The acceptance contract of shared/bnx: every example parses and validates; every invalid file fails with
// the diagnostic its first line names, at exactly that line and column.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkFile, formatDiagnostic } from './index.js';
import { findExpected, readExpectation } from './testing/expectations.js';

const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));
const invalidCopies = fileURLToPath(new URL('./__fixtures__/acceptance/', import.meta.url));
/** The originals, in the shared/ folder beside this checkout where there is one (the copies must not drift from them). */
const sharedInvalid = process.env.BNX_SHARED_BNX ?? fileURLToPath(new URL('../../../../shared/bnx/invalid/', import.meta.url));
const sharedExamples = fileURLToPath(new URL('../', `file://${sharedInvalid.endsWith('/') ? sharedInvalid : `${sharedInvalid}/`}`));

const bnxFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.bnx'))
    .sort();
const show = (result: ReturnType<typeof checkFile>) => result.diagnostics.map((d) => formatDiagnostic(d, result.sources.get(d.range?.file ?? ''))).join('\n');

describe('examples (shared/bnx)', () => {
  it('has the shared examples', () => {
    expect(bnxFiles(examples).length).toBeGreaterThanOrEqual(7);
  });

  it.each(bnxFiles(examples))('%s parses and validates with no errors', (name) => {
    const result = checkFile(examples + name);
    expect(
      result.diagnostics.filter((d) => d.severity === 'error'),
      show(result),
    ).toEqual([]);
    expect(result.program?.experiments.length).toBeGreaterThan(0);
  });

  it.skipIf(!existsSync(sharedExamples))('the copies in examples/ match shared/bnx', () => {
    const shared = bnxFiles(sharedExamples);
    expect(shared.length).toBeGreaterThanOrEqual(7);
    for (const name of shared) {
      expect(readFileSync(examples + name, 'utf8'), name).toBe(readFileSync(sharedExamples + name, 'utf8'));
    }
  });
});

describe('shared/bnx/invalid', () => {
  const names = bnxFiles(invalidCopies);

  it('covers all eight files', () => {
    expect(names).toEqual([
      'bn-batch-one.bnx',
      'conv-on-flat.bnx',
      'dropout-rate.bnx',
      'duplicate-name.bnx',
      'negative-batch.bnx',
      'unclosed-block.bnx',
      'undefined-model.bnx',
      'unknown-layer.bnx',
    ]);
  });

  it.each(names)("%s fails with its first line's diagnostic at that line:column", (name) => {
    const path = invalidCopies + name;
    const text = readFileSync(path, 'utf8');
    const expectation = readExpectation(path, text);
    const result = checkFile(path);
    expect(result.program).toBeUndefined();
    const expected = findExpected(result.diagnostics, expectation);
    expect(expected, show(result)).toBeDefined();
    // It is the first error reported, not one among many.
    expect(result.diagnostics.find((d) => d.severity === 'error')).toBe(expected);
    // The message says the same thing: beyond quoted names, the numbers in the expectation appear too.
    const expectedNumbers =
      text
        .split('\n')[0]!
        .replace(/^# expect: \d+:\d+/, '')
        .match(/-?\d+(\.\d+)?/g) ?? [];
    for (const n of expectedNumbers) expect(`${expected!.message} ${expected!.hint ?? ''}`).toContain(n);
  });

  it.skipIf(!existsSync(sharedInvalid))('the copies match shared/bnx/invalid', () => {
    for (const name of bnxFiles(sharedInvalid)) {
      expect(readFileSync(invalidCopies + name, 'utf8'), name).toBe(readFileSync(sharedInvalid + name, 'utf8'));
    }
  });
});
