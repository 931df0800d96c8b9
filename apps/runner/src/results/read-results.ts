// Loading results.json for `bnx report` and `bnx run --resume`: user-facing errors, not stack traces.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BnxError } from '@bnx/ir';
import { RESULTS_SCHEMA, type ResultsFile } from '@bnx/metrics';
import { readJsonFile } from '../files/read-json.js';
import { RESULTS_SCHEMA_FILES, resultsSchemaErrors } from './validate-results.js';

/** Accepts a results directory or the results.json file itself. */
export function resultsPath(dirOrFile: string): string {
  if (existsSync(dirOrFile) && statSync(dirOrFile).isDirectory()) return join(dirOrFile, 'results.json');
  return dirOrFile;
}

export function readResultsFile(dirOrFile: string): ResultsFile {
  if (!existsSync(dirOrFile))
    throw new BnxError(`${dirOrFile}: not found (expected a directory written by \`bnx run\`, or its results.json)`, 'E_RESULTS_MISSING');
  const path = resultsPath(dirOrFile);
  if (!existsSync(path)) throw new BnxError(`${path}: no such file (expected the results.json written by \`bnx run\`)`, 'E_RESULTS_MISSING');
  const parsed = readJsonFile(path, 'E_RESULTS_JSON');
  const schema = (parsed as { schema?: unknown } | null)?.schema;
  if (schema === undefined) {
    throw new BnxError(`${path}: not a bnx results file (it has no "schema": "${RESULTS_SCHEMA}" field)`, 'E_RESULTS_SCHEMA');
  }
  // Older versions are read too (their statistics are recomputed unless --keep-statistics asks otherwise).
  const known = Object.keys(RESULTS_SCHEMA_FILES);
  if (typeof schema !== 'string' || !known.includes(schema)) {
    throw new BnxError(`${path}: field "schema" is ${JSON.stringify(schema)}, expected one of ${known.map((k) => `"${k}"`).join(', ')}`, 'E_RESULTS_SCHEMA');
  }
  const errors = resultsSchemaErrors(parsed, schema);
  if (errors.length > 0) {
    const shown = errors.slice(0, 5).join('; ');
    throw new BnxError(
      `${path}: does not match the ${schema} schema: ${shown}${errors.length > 5 ? `; and ${errors.length - 5} more` : ''}`,
      'E_RESULTS_SCHEMA',
    );
  }
  return parsed as ResultsFile;
}
