import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES } from './codes.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const sources = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'codes.ts')
  .map((f) => readFileSync(`${here}/${f}`, 'utf8'))
  .join('\n');
const readme = readFileSync(`${here}/../README.md`, 'utf8');

describe('diagnostic codes', () => {
  it('every code is produced somewhere and documented in the README table', () => {
    for (const code of Object.keys(DIAGNOSTIC_CODES)) {
      expect(sources, `${code} is never produced`).toContain(`'${code}'`);
      expect(readme, `${code} is not in README.md`).toMatch(new RegExp(`^\\| \`${code}\` \\|`, 'm'));
    }
  });

  it('the README documents no code that does not exist', () => {
    const documented = [...readme.matchAll(/^\| `([EW]\d{4})` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(DIAGNOSTIC_CODES).sort());
  });
});
