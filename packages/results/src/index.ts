// @bnx/results: the one definition of what bnx records, the run record (@bnx/core's driver writes it) and
// results.json (@bnx/metrics adds the statistics, apps/runner writes the file). Each definition is a TypeBox
// schema, that is JSON Schema, and, with the same name, its TypeScript type. It sits below core and metrics
// and imports no other bnx package, so that core (which may not import the statistics) and metrics (which
// knows nothing of training, and is installed without core) share it.
export * from './run.js';
export * from './results-file.js';
export { resultsJsonSchema, resultsJsonSchemaText, RESULTS_SCHEMA_ID } from './json-schema.js';
