// The JSON Schema document of results.json, built from the TypeBox definitions: plain JSON (no TypeBox
// markers), with the shared parts written once under `definitions` and referred to by `$ref`, so that a run
// record (runs/<id>.json) is checked against `#/definitions/run`. apps/runner ships this document as
// schema/results.schema.json (its test fails when the committed file differs).
import type { TSchema } from 'typebox';
import { ActivationTrace, BnStatsSeries, HistoryPoint, NormSeries, Params, RunResult, SweepValue } from './run.js';
import {
  AnalysisPlanInfo,
  ClaimVerdict,
  Comparison,
  ConfidenceInterval,
  CurveEntry,
  CurveStat,
  MetricStat,
  ResultsFile,
  SummaryEntry,
  TargetSpec,
  TimeToTargetEntry,
} from './results-file.js';

export const RESULTS_SCHEMA_ID = 'https://bnx.dev/schema/results.schema.json';

/** The named definitions, by the names the document has always used (`#/definitions/run` is public). */
const DEFINITIONS: Record<string, TSchema> = {
  sweep_value: SweepValue,
  params: Params,
  ci95: ConfidenceInterval,
  metric_stat: MetricStat,
  history_point: HistoryPoint,
  activation_trace: ActivationTrace,
  norm_series: NormSeries,
  bn_stats: BnStatsSeries,
  run: RunResult,
  summary_entry: SummaryEntry,
  curve_stat: CurveStat,
  curve_entry: CurveEntry,
  comparison: Comparison,
  claim: ClaimVerdict,
  target: TargetSpec,
  time_to_target_entry: TimeToTargetEntry,
  analysis_plan: AnalysisPlanInfo,
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Through JSON: drops TypeBox's symbol-keyed markers and gives a canonical text to recognize a definition by. */
const plain = (schema: unknown): Json => JSON.parse(JSON.stringify(schema)) as Json;

/** Replaces every sub-schema equal to a named definition (other than `self`) by a `$ref` to it. */
function withRefs(node: Json, byText: ReadonlyMap<string, string>, self?: string): Json {
  if (Array.isArray(node)) return node.map((n) => withRefs(n, byText, self));
  if (node === null || typeof node !== 'object') return node;
  const name = byText.get(JSON.stringify(node));
  if (name !== undefined && name !== self) return { $ref: `#/definitions/${name}` };
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, withRefs(value, byText, self)]));
}

/** The results.json JSON Schema (draft-07), as shipped in apps/runner/schema/results.schema.json. */
export function resultsJsonSchema(): Record<string, Json> {
  const definitions = Object.entries(DEFINITIONS).map(([name, schema]) => [name, plain(schema)] as const);
  const byText = new Map(definitions.map(([name, schema]) => [JSON.stringify(schema), name]));
  const root = withRefs(plain(ResultsFile), byText) as Record<string, Json>;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: RESULTS_SCHEMA_ID,
    ...root,
    definitions: Object.fromEntries(definitions.map(([name, schema]) => [name, withRefs(schema, byText, name)])),
  };
}

/** The document as the file is written: two-space indentation and a final newline. */
export function resultsJsonSchemaText(): string {
  return `${JSON.stringify(resultsJsonSchema(), null, 2)}\n`;
}
