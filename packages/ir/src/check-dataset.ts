// Checks one dataset declaration on its own: value ranges, and that subset and validation leave training data.
import { diagnostic } from './codes.js';
import { MAX_CLASSES } from './limits.js';
import { fieldRange, formatShape, formatValue } from './format.js';
import { rangeProblem } from './ranges.js';
import { settingSpec } from './settings.js';
import { sourceSampleShape, sourceTrainingSize, validationHoldout } from './datasets.js';
import type { DatasetIR, Diagnostic, Preprocess } from './types.js';

function checkSource(dataset: DatasetIR, out: Diagnostic[]): void {
  const source = dataset.source;
  if (source?.kind !== 'synthetic') return;
  const fields: [keyof typeof source, number, number | undefined][] = [
    ['samples', 1, undefined],
    ['features', 1, undefined],
    ['classes', 2, MAX_CLASSES],
  ];
  for (const [field, min, max] of fields) {
    const problem = rangeProblem(source[field], max === undefined ? { integer: true, min } : { integer: true, min, max });
    if (problem) out.push(diagnostic('E1203', `synthetic ${field} ${problem}`, fieldRange(dataset.loc, field, 'source')));
  }
}

function checkSplit(dataset: DatasetIR, out: Diagnostic[]): void {
  const loc = dataset.loc;
  let pool = sourceTrainingSize(dataset.source);
  const sourceName = dataset.source?.kind;
  if (dataset.subset !== undefined) {
    const problem = settingSpec('subset')?.check(dataset.subset);
    if (problem) out.push(diagnostic('E1203', `subset ${problem}`, fieldRange(loc, 'subset')));
    else if (pool !== undefined && dataset.subset > pool) {
      out.push(diagnostic('E1208', `subset ${dataset.subset} is more than the ${pool} training samples of ${sourceName}`, fieldRange(loc, 'subset')));
    } else pool = dataset.subset;
  }
  const validation = dataset.validation as { count?: unknown; fraction?: unknown } | undefined;
  if (validation === undefined || validation === null) return;
  const value = 'count' in validation ? validation.count : validation.fraction;
  const problem = settingSpec('validation')?.check(value);
  if (value === 0) return; // no validation split
  if (problem) {
    out.push(diagnostic('E1203', `validation ${problem}`, fieldRange(loc, 'validation')));
    return;
  }
  if (pool === undefined) return;
  const held = validationHoldout(dataset.validation, pool);
  if (held < 1) {
    out.push(diagnostic('E1208', `validation ${formatValue(value)} of ${pool} training samples is less than one sample`, fieldRange(loc, 'validation')));
  } else if (pool - held < 1) {
    const of = dataset.subset !== undefined ? `the subset of ${pool}` : `the ${pool} training samples of ${sourceName}`;
    out.push(diagnostic('E1208', `validation ${formatValue(value)} takes ${held} of ${of}, leaving none to train on`, fieldRange(loc, 'validation')));
  }
}

function checkPreprocess(dataset: DatasetIR, out: Diagnostic[]): void {
  let shape = sourceSampleShape(dataset.source);
  const steps: unknown[] = Array.isArray(dataset.preprocess) ? dataset.preprocess : [];
  for (const item of steps) {
    if (item === null || typeof item !== 'object') continue;
    const step = item as Preprocess;
    const at = (field: string) => fieldRange(step.loc, field) ?? fieldRange(dataset.loc, 'preprocess');
    if (step.op === 'scale') {
      const problem = typeof step.factor === 'number' && Number.isFinite(step.factor) ? undefined : `must be a number; it is ${formatValue(step.factor)}`;
      if (problem) out.push(diagnostic('E1203', `scale factor ${problem}`, at('factor')));
    } else if (step.op === 'normalize') {
      for (const [name, values, range] of [
        ['mean', step.mean, {}],
        ['std', step.std, { min: 0, minExclusive: true }],
      ] as const) {
        const list = Array.isArray(values) ? values : [values];
        const bad = list.map((v) => rangeProblem(v, range)).find((p) => p !== undefined);
        if (bad) out.push(diagnostic('E1203', `normalize ${name} ${bad}`, at(name)));
        const channels = shape?.[0];
        if (Array.isArray(values) && values.length !== 1 && channels !== undefined && values.length !== channels) {
          out.push(
            diagnostic(
              'E1211',
              `normalize ${name} has ${values.length} values but samples of shape ${formatShape(shape ?? [])} have ${channels} ${shape?.length === 3 ? 'channels' : 'features'}`,
              at(name),
            ),
          );
        }
      }
    } else if (step.op === 'flatten' && shape !== undefined) {
      shape = [shape.reduce((a, b) => a * b, 1)];
    }
  }
}

export function checkDataset(dataset: DatasetIR): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (dataset === null || typeof dataset !== 'object') return out;
  checkSource(dataset, out);
  checkSplit(dataset, out);
  checkPreprocess(dataset, out);
  return out;
}
