// Validation of results.json against the JSON Schema that ships in apps/runner/schema/.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { ResultsFile } from '@bnx/metrics';

/** src/results/ and dist/results/ both sit two levels below the package root, beside schema/. */
export const RESULTS_SCHEMA_PATH = fileURLToPath(new URL('../../schema/results.schema.json', import.meta.url));

let compiled: { results: ValidateFunction; run: ValidateFunction } | undefined;

function validators(): { results: ValidateFunction; run: ValidateFunction } {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    // ajv-formats is CommonJS; its default export arrives as the module object under NodeNext.
    const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
    (addFormats as unknown as (a: Ajv) => void)(ajv);
    const schema = JSON.parse(readFileSync(RESULTS_SCHEMA_PATH, 'utf8')) as { $id: string };
    const results = ajv.compile(schema);
    // A run record (runs/<id>.json) is one element of results.json's "runs": the schema's run definition.
    const run = ajv.getSchema(`${schema.$id}#/definitions/run`)!;
    compiled = { results, run };
  }
  return compiled;
}

function problems(validate: ValidateFunction, value: unknown): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath.slice(1) || '(root)'}: ${e.message ?? 'invalid'}${e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : ''}`);
}

/** Problems as "runs/0/status: must be equal to one of the allowed values", empty when valid. */
export function resultsSchemaErrors(value: unknown): string[] {
  return problems(validators().results, value);
}

/** Problems of one run record as "history: must be array", empty when valid. */
export function runRecordSchemaErrors(value: unknown): string[] {
  return problems(validators().run, value);
}

export function isResultsFile(value: unknown): value is ResultsFile {
  return resultsSchemaErrors(value).length === 0;
}
