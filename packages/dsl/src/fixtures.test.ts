import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkFile, formatDiagnostic } from './index.js';
import { findExpected, readExpectation } from './testing/expectations.js';

const fixtures = fileURLToPath(new URL('./__fixtures__/', import.meta.url));
const bnxFiles = (dir: string) =>
  readdirSync(fixtures + dir)
    .filter((f) => f.endsWith('.bnx'))
    .sort();
/** Paths in snapshots are relative to the fixtures folder, so the snapshots do not depend on the checkout. */
const relative = (text: string) => text.split(fixtures).join('');

const invalid = bnxFiles('invalid');
const valid = bnxFiles('valid');

describe('invalid fixtures', () => {
  it('has at least 30 of them', () => {
    expect(invalid.length).toBeGreaterThanOrEqual(30);
  });

  it.each(invalid)('%s fails where its first line says', (name) => {
    const path = `${fixtures}invalid/${name}`;
    const expectation = readExpectation(path, readFileSync(path, 'utf8'));
    const result = checkFile(path);
    expect(result.program).toBeUndefined();
    const shown = result.diagnostics.map((d) => relative(formatDiagnostic(d, result.sources.get(d.range?.file ?? '')))).join('\n');
    expect(findExpected(result.diagnostics, expectation), shown).toBeDefined();
    expect(shown).toMatchSnapshot();
  });
});

describe('valid fixtures', () => {
  it.each(valid)('%s parses and validates without errors', (name) => {
    const result = checkFile(`${fixtures}valid/${name}`);
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => relative(formatDiagnostic(d, result.sources.get(d.range?.file ?? ''))))).toEqual([]);
    expect(result.program).toBeDefined();
    // The resolved program without source locations: what lowering made of the file.
    const withoutLocations = JSON.parse(relative(JSON.stringify(result.program, (key, value: unknown) => (key === 'loc' ? undefined : value))));
    expect(withoutLocations).toMatchSnapshot();
  });
});
