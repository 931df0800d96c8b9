// `csv("file.csv", label: "column")`: a header row naming the columns, then one sample per line, every value
// numeric; the label column holds class indices 0..K-1 and every other column is a feature, in file order.
// Fields may be wrapped in double quotes ("" inside quotes is one quote); blank lines are skipped. There is
// no official test set, so 20% of the rows form a fixed, stratified test split (see split.ts).
import { isUtf8 } from 'node:buffer';
import { formatCount, MAX_CLASSES } from '@bnx/ir';
import type { DataContext } from './context.js';
import { dataError } from './context.js';
import { readDataFile } from './files.js';
import type { RawDataset } from './raw.js';
import { takeRows } from './raw.js';
import { fixedHoldout } from './split.js';

/** Splits one CSV line into fields, honouring double quotes. Returns null on an unclosed quote. */
export function splitCsvLine(line: string): string[] | null {
  const fields: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < line.length) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (ch === ',') {
      fields.push(field.trim());
      field = '';
    } else {
      field += ch;
    }
    i++;
  }
  if (quoted) return null;
  fields.push(field.trim());
  return fields;
}

export const CSV_TEST_FRACTION = 0.2;

/**
 * The file's text, or an error naming the line where it stops being text: a binary file (a zero byte) or
 * another encoding than UTF-8 would otherwise surface as a "header" of garbage or a non-number value.
 */
function csvText(ctx: DataContext, file: string, bytes: Buffer): string {
  const lineOf = (text: string) => text.split('\n').length;
  const zero = bytes.indexOf(0);
  if (zero >= 0) {
    const line = lineOf(bytes.subarray(0, zero).toString('utf8'));
    throw dataError(ctx, `csv file ${file} line ${line}: binary data (a zero byte); expected comma-separated text`, 'E_DATA_CSV');
  }
  const text = bytes.toString('utf8');
  if (!isUtf8(bytes)) {
    const line = lineOf(text.slice(0, Math.max(0, text.indexOf('\uFFFD'))));
    throw dataError(ctx, `csv file ${file} line ${line}: not UTF-8 text; save the file as UTF-8`, 'E_DATA_CSV');
  }
  return text.replace(/^\uFEFF/, '');
}

/** At most this many column names in a message. */
const LISTED_COLUMNS = 12;

export function loadCsv(ctx: DataContext, file: string, labelColumn: string): RawDataset {
  const text = csvText(ctx, file, readDataFile(ctx, file, 'csv'));
  const lines = text.split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '');
  if (!header || header.every((h) => h === '')) throw dataError(ctx, `csv file ${file} line 1: expected a header row naming the columns`, 'E_DATA_CSV');
  // A repeated name would make `label:` (and the reports) pick one of two columns silently.
  const firstAt = new Map<string, number>();
  header.forEach((name, c) => {
    const first = firstAt.get(name);
    if (name !== '' && first !== undefined) {
      throw dataError(
        ctx,
        `csv file ${file} line 1: columns ${first + 1} and ${c + 1} are both named '${name}'; every column needs its own name`,
        'E_DATA_CSV',
      );
    }
    if (!firstAt.has(name)) firstAt.set(name, c);
  });
  const labelAt = header.indexOf(labelColumn);
  if (labelAt < 0) {
    const listed = header.slice(0, LISTED_COLUMNS).join(', ');
    const more = header.length > LISTED_COLUMNS ? `, … (${header.length} in all)` : '';
    throw dataError(ctx, `csv file ${file} has no column '${labelColumn}' for the label (columns: ${listed}${more})`, 'E_DATA_CSV');
  }
  const features = header.length - 1;
  if (features < 1) throw dataError(ctx, `csv file ${file} has no feature columns besides the label '${labelColumn}'`, 'E_DATA_CSV');
  let rows = 0;
  for (let l = 1; l < lines.length; l++) if (lines[l]!.trim() !== '') rows++;
  const x = new Float32Array(rows * features);
  const y = new Int32Array(rows);
  let row = 0;
  let maxLabel = -1;
  for (let l = 1; l < lines.length; l++) {
    if (lines[l]!.trim() === '') continue;
    const lineNo = l + 1;
    const fields = splitCsvLine(lines[l]!);
    if (!fields) throw dataError(ctx, `csv file ${file} line ${lineNo}: unclosed double quote`, 'E_DATA_CSV');
    if (fields.length !== header.length) {
      throw dataError(ctx, `csv file ${file} line ${lineNo}: ${fields.length} values, but the header has ${header.length} columns`, 'E_DATA_CSV');
    }
    let f = 0;
    for (let c = 0; c < fields.length; c++) {
      const raw = fields[c]!;
      if (raw === '') throw dataError(ctx, `csv file ${file} line ${lineNo}: missing value in column '${header[c]}'`, 'E_DATA_CSV');
      const value = Number(raw);
      if (!Number.isFinite(value)) {
        throw dataError(ctx, `csv file ${file} line ${lineNo}: value '${raw}' in column '${header[c]}' is not a number`, 'E_DATA_CSV');
      }
      if (c === labelAt) {
        if (!Number.isInteger(value) || value < 0) {
          throw dataError(
            ctx,
            `csv file ${file} line ${lineNo}: label '${raw}' in column '${labelColumn}' is not a class index (a whole number 0, 1, 2, ...)`,
            'E_DATA_LABEL',
          );
        }
        if (value >= MAX_CLASSES) {
          throw dataError(
            ctx,
            `csv file ${file} line ${lineNo}, column ${c + 1} ('${labelColumn}'): label ${raw} is not a class index of at most ${formatCount(MAX_CLASSES)} classes (0 to ${formatCount(MAX_CLASSES - 1)})`,
            'E_DATA_LABEL',
          );
        }
        y[row] = value;
        if (value > maxLabel) maxLabel = value;
      } else {
        x[row * features + f++] = value;
      }
    }
    row++;
  }
  if (rows === 0) throw dataError(ctx, `csv file ${file} has a header but no data rows`, 'E_DATA_EMPTY');
  const testCount = Math.round(rows * CSV_TEST_FRACTION);
  if (testCount < 1) {
    throw dataError(
      ctx,
      `csv file ${file} has ${rows} data row${rows === 1 ? '' : 's'}: too few for a test split of ${CSV_TEST_FRACTION * 100}% (at least 3 rows)`,
      'E_DATA_EMPTY',
    );
  }
  const numClasses = maxLabel + 1;
  const split = fixedHoldout(y, numClasses, testCount, 'csv');
  const take = (indices: Uint32Array) => takeRows(x, y, indices, features);
  return {
    train: take(split.train),
    test: take(split.test),
    sampleShape: [features],
    numClasses,
    droppedRecords: 0,
    notes: [`csv ${file}: ${rows} rows, ${features} features, label column '${labelColumn}', fixed stratified ${CSV_TEST_FRACTION * 100}% test split`],
  };
}
