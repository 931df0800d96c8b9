// metrics.csv: one row per run and evaluation point, for spreadsheets and pandas.
import type { ResultsFile, SweepValue } from '@bnx/metrics';

const FIXED = ['run_id', 'variant', 'seed', 'status', 'step', 'epoch', 'seconds', 'train_loss', 'train_accuracy', 'val_loss', 'val_accuracy'] as const;

/** A text that spreadsheets read as a plain number, never as a formula: `-0.5`, `+3`, `1e-4`. */
const NUMBER_TEXT = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/**
 * RFC 4180 quoting (fields with a comma, quote or line break are quoted, quotes doubled), and no formula
 * injection: results.json can be edited by anyone, and a text cell that starts with =, +, -, @, a tab or a
 * carriage return is run as a formula by Excel and LibreOffice (`=cmd|' /C calc'!A0`). Such a cell gets a
 * leading single quote and is quoted, as OWASP's CSV-injection guidance says; numbers, and texts that are
 * plain numbers (a negative sweep value), are written as they are.
 */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text) && !NUMBER_TEXT.test(text)) text = `'${text}`;
  else if (!/[",\r\n]/.test(text)) return text;
  return `"${text.replace(/"/g, '""')}"`;
}

export function metricsCsv(results: ResultsFile): string {
  const paramKeys = [...new Set(results.runs.flatMap((r) => Object.keys(r.params)))];
  const rows: string[] = [[...FIXED.slice(0, 3), ...paramKeys, ...FIXED.slice(3)].map(csvField).join(',')];
  for (const run of results.runs) {
    const params = paramKeys.map((k) => csvField(run.params[k] as SweepValue | undefined));
    for (const h of run.history) {
      rows.push(
        [
          csvField(run.id),
          csvField(run.variant),
          csvField(run.seed),
          ...params,
          csvField(run.status),
          csvField(h.step),
          csvField(h.epoch),
          csvField(h.seconds),
          csvField(h.train_loss),
          csvField(h.train_accuracy),
          csvField(h.val_loss),
          csvField(h.val_accuracy),
        ].join(','),
      );
    }
  }
  return `${rows.join('\n')}\n`;
}
