// Validation of results.json against the JSON Schemas that ship in apps/runner/schema/: the current one
// (results.schema.json) and, for files written by an older bnx, the one of their version.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { RESULTS_SCHEMA, type ResultsFile } from '@bnx/metrics';

/** src/results/ and dist/results/ both sit two levels below the package root, beside schema/. */
export const RESULTS_SCHEMA_PATH = fileURLToPath(new URL('../../schema/results.schema.json', import.meta.url));

/** Every schema version `bnx report` reads, with the file that describes it. */
export const RESULTS_SCHEMA_FILES: Record<string, string> = {
  [RESULTS_SCHEMA]: RESULTS_SCHEMA_PATH,
  'bnx.results/1': fileURLToPath(new URL('../../schema/results-1.schema.json', import.meta.url)),
};

interface Validators {
  results: ValidateFunction;
  /** A run record (runs/<id>.json) is one element of results.json's "runs": the schema's run definition. */
  run: ValidateFunction;
}

const compiled = new Map<string, Validators>();

function validators(version: string): Validators {
  let v = compiled.get(version);
  if (!v) {
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    // ajv-formats is CommonJS; its default export arrives as the module object under NodeNext.
    const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
    (addFormats as unknown as (a: Ajv) => void)(ajv);
    const schema = JSON.parse(readFileSync(RESULTS_SCHEMA_FILES[version] ?? RESULTS_SCHEMA_PATH, 'utf8')) as { $id: string };
    const results = ajv.compile(schema);
    v = { results, run: ajv.getSchema(`${schema.$id}#/definitions/run`)! };
    compiled.set(version, v);
  }
  return v;
}

function problems(validate: ValidateFunction, value: unknown): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map(
    (e: ErrorObject) =>
      `${e.instancePath.slice(1) || '(root)'}: ${e.message ?? 'invalid'}${e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : ''}`,
  );
}

/**
 * Problems as "runs/0/status: must be equal to one of the allowed values", empty when valid. `version` picks
 * the schema (default: the current one).
 */
export function resultsSchemaErrors(value: unknown, version: string = RESULTS_SCHEMA): string[] {
  return problems(validators(version).results, value);
}

/** Problems of one run record as "history: must be array", empty when valid (current schema). */
export function runRecordSchemaErrors(value: unknown): string[] {
  return problems(validators(RESULTS_SCHEMA).run, value);
}

export function isResultsFile(value: unknown): value is ResultsFile {
  return resultsSchemaErrors(value).length === 0;
}
