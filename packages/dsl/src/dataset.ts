// A `dataset NAME { ... }` block → DatasetIR. Paths are made absolute relative to the declaring file.
import { dirname, resolve } from 'node:path';
import type { DataSource, DatasetIR, Preprocess } from '@bnx/ir';
import type { Declaration, Expr } from './ast.js';
import { bindArgs, callArgs, fieldRanges } from './args.js';
import { collectEntries, requireEntry } from './entries.js';
import { didYouMean } from './suggest.js';
import { describeExpr, hyphenatedChoice, listItems, readChoice, readNumber, readNumberOrList, readString, type Diagnostics } from './values.js';

const KEYS = ['source', 'validation', 'subset', 'preprocess'] as const;
const SOURCES = ['mnist', 'fashion_mnist', 'idx', 'cifar10', 'csv', 'synthetic'] as const;
const PREPROCESSORS = ['scale', 'normalize', 'standardize', 'flatten'] as const;

function readSource(d: Diagnostics, expr: Expr, file: string): DataSource | undefined {
  const call = callArgs(expr);
  if (call === undefined && hyphenatedChoice(d, expr, 'dataset source', SOURCES) !== undefined) return undefined;
  if (call === undefined) return d.error('E0107', `source must name a dataset source (${SOURCES.join(', ')}); it is ${describeExpr(expr)}`, expr.range);
  const path = (value: Expr | undefined, what: string) => {
    if (value === undefined) return undefined;
    const text = readString(d, value, what);
    return text === undefined ? undefined : resolve(dirname(file), text);
  };
  switch (call.callee) {
    case 'mnist':
    case 'fashion_mnist':
      bindArgs(d, expr, { positional: [], named: [] }, call.callee);
      return { kind: call.callee };
    case 'idx': {
      const names = ['train_images', 'train_labels', 'test_images', 'test_labels'];
      const args = bindArgs(d, expr, { positional: [], named: names, required: names }, 'idx(...)');
      const [trainImages, trainLabels, testImages, testLabels] = names.map((n) => path(args.get(n), `idx ${n}`));
      if (trainImages === undefined || trainLabels === undefined || testImages === undefined || testLabels === undefined) return undefined;
      return { kind: 'idx', trainImages, trainLabels, testImages, testLabels };
    }
    case 'cifar10': {
      const args = bindArgs(d, expr, { positional: ['dir'], named: ['dir'], required: ['dir'] }, 'cifar10(...)');
      const dir = path(args.get('dir'), 'cifar10 dir');
      return dir === undefined ? undefined : { kind: 'cifar10', dir };
    }
    case 'csv': {
      const args = bindArgs(d, expr, { positional: ['file'], named: ['file', 'label'], required: ['file', 'label'] }, 'csv(...)');
      const csvFile = path(args.get('file'), 'csv file');
      const label = args.has('label') ? readString(d, args.get('label')!, 'csv label') : undefined;
      if (csvFile === undefined || label === undefined) return undefined;
      return { kind: 'csv', file: csvFile, label };
    }
    case 'synthetic': {
      const names = ['kind', 'samples', 'features', 'classes'];
      const args = bindArgs(d, expr, { positional: [], named: names, required: ['samples', 'features', 'classes'] }, 'synthetic(...)');
      const shape = args.has('kind') ? readChoice(d, args.get('kind')!, 'synthetic kind', ['blobs', 'spirals'] as const) : 'blobs';
      const [samples, features, classes] = ['samples', 'features', 'classes'].map((n) =>
        args.has(n) ? readNumber(d, args.get(n)!, `synthetic ${n}`) : undefined,
      );
      if (shape === undefined || samples === undefined || features === undefined || classes === undefined) return undefined;
      return { kind: 'synthetic', shape, samples, features, classes };
    }
    default:
      return d.error(
        'E0114',
        `unknown dataset source '${call.callee}'; the sources are ${SOURCES.join(', ')}`,
        call.calleeRange,
        didYouMean(call.callee, SOURCES),
      );
  }
}

function readPreprocess(d: Diagnostics, expr: Expr): Preprocess | undefined {
  const call = callArgs(expr);
  if (call === undefined) return d.error('E0107', `a preprocess step must be one of ${PREPROCESSORS.join(', ')}; it is ${describeExpr(expr)}`, expr.range);
  const where = (args: Map<string, Expr>) => ({ range: expr.range, fields: fieldRanges(args) });
  switch (call.callee) {
    case 'scale': {
      const args = bindArgs(d, expr, { positional: ['factor'], named: ['factor'], required: ['factor'] }, 'scale(...)');
      const factor = args.has('factor') ? readNumber(d, args.get('factor')!, 'scale factor') : undefined;
      return factor === undefined ? undefined : { op: 'scale', factor, loc: where(args) };
    }
    case 'normalize': {
      const args = bindArgs(d, expr, { positional: [], named: ['mean', 'std'], required: ['mean', 'std'] }, 'normalize(...)');
      const mean = args.has('mean') ? readNumberOrList(d, args.get('mean')!, 'normalize mean') : undefined;
      const std = args.has('std') ? readNumberOrList(d, args.get('std')!, 'normalize std') : undefined;
      if (mean === undefined || std === undefined) return undefined;
      return { op: 'normalize', mean, std, loc: where(args) };
    }
    case 'standardize':
    case 'flatten': {
      const args = bindArgs(d, expr, { positional: [], named: [] }, call.callee);
      return { op: call.callee, loc: where(args) };
    }
    default:
      return d.error(
        'E0114',
        `unknown preprocess step '${call.callee}'; the steps are ${PREPROCESSORS.join(', ')}`,
        call.calleeRange,
        didYouMean(call.callee, PREPROCESSORS),
      );
  }
}

export function lowerDataset(d: Diagnostics, decl: Declaration): DatasetIR | undefined {
  const before = d.list.length;
  const entries = collectEntries(d, decl, KEYS);
  const sourceEntry = requireEntry(d, decl, entries, 'source', 'source: mnist');
  const source = sourceEntry === undefined ? undefined : readSource(d, sourceEntry.value, decl.range.file);
  const dataset: DatasetIR = {
    name: decl.name,
    source: source ?? { kind: 'mnist' },
    preprocess: [],
    loc: { range: decl.range, fields: { ...entries.fields, name: decl.nameRange } },
  };
  const validation = entries.get('validation');
  if (validation !== undefined) {
    const value = readNumber(d, validation.value, 'validation');
    // Below 1 is a fraction of the training set, from 1 up a sample count; 0 is no validation split, as when
    // none is declared (the runs are evaluated on the test split, and the report says so).
    if (value !== undefined && value !== 0) dataset.validation = value < 1 ? { fraction: value } : { count: value };
  }
  const subset = entries.get('subset');
  if (subset !== undefined) {
    const value = readNumber(d, subset.value, 'subset');
    if (value !== undefined) dataset.subset = value;
  }
  const preprocess = entries.get('preprocess');
  if (preprocess !== undefined) {
    for (const item of listItems(preprocess.value)) {
      const step = readPreprocess(d, item);
      if (step !== undefined) dataset.preprocess.push(step);
    }
  }
  return d.list.length > before ? undefined : dataset;
}
