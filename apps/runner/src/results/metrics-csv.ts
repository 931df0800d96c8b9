// metrics.csv: one row per run and evaluation point, for spreadsheets and pandas.
import type { ResultsFile, SweepValue } from '@bnx/metrics';

const FIXED = ['run_id', 'variant', 'seed', 'status', 'step', 'epoch', 'seconds', 'train_loss', 'train_accuracy', 'val_loss', 'val_accuracy'] as const;

/** RFC 4180 quoting: fields with a comma, quote or line break are quoted, quotes doubled. */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function metricsCsv(results: ResultsFile): string {
  const paramKeys = [...new Set(results.runs.flatMap((r) => Object.keys(r.params)))];
  const rows: string[] = [[...FIXED.slice(0, 3), ...paramKeys, ...FIXED.slice(3)].map(csvField).join(',')];
  for (const run of results.runs) {
    const params = paramKeys.map((k) => csvField(run.params[k] as SweepValue | undefined));
    for (const h of run.history) {
      rows.push(
        [csvField(run.id), csvField(run.variant), csvField(run.seed), ...params, csvField(run.status), csvField(h.step), csvField(h.epoch), csvField(h.seconds), csvField(h.train_loss), csvField(h.train_accuracy), csvField(h.val_loss), csvField(h.val_accuracy)].join(','),
      );
    }
  }
  return `${rows.join('\n')}\n`;
}
