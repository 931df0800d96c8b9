// report.md: the same tables and verdicts as report.html, for terminals and pull requests.
import { type ResultsFile } from '@bnx/metrics';
import { explainBatchNorm } from './bn-explainer.js';
import { escapeMarkdown } from './escape.js';
import { analysisPlanUrl, comparisonTable, divergenceTable, headlineVerdicts, runsTable, stepTimeTable, summaryTable, testSplitNote, timeToTargetTable, type Table } from './report-tables.js';

function table(t: Table): string {
  const row = (cells: string[]) => `| ${cells.map(escapeMarkdown).join(' | ')} |`;
  return [row(t.headers), `|${t.headers.map(() => ' --- ').join('|')}|`, ...t.rows.map(row)].join('\n');
}

export function renderMarkdownReport(results: ResultsFile): string {
  const out: string[] = [];
  out.push(`# Experiment ${escapeMarkdown(results.experiment)}`, '');
  out.push(`${escapeMarkdown(results.source_file)} · backend ${escapeMarkdown(results.backend)} on ${escapeMarkdown(results.device)}${results.engine ? ` (${escapeMarkdown(results.engine)})` : ''} · ${results.runs.length} runs · started ${escapeMarkdown(results.started_at)} · bnx ${escapeMarkdown(results.bnx_version)}`, '');
  out.push('## Verdicts', '');
  const headline = headlineVerdicts(results);
  out.push(...(headline.length > 0 ? headline.map((v) => `- ${escapeMarkdown(v)}`) : ['No comparison between variants is possible in this experiment.']), '');
  if (results.claims && results.claims.length > 0) {
    out.push('## Claims about batch normalization', '', `Decided as the [analysis plan](${analysisPlanUrl(results)}) says: one declared endpoint and one test per claim, Holm-adjusted across the claims.`, '');
    out.push(table({ headers: ['claim', 'status', 'what decided it'], rows: results.claims.map((c) => [c.title, c.status.replace('_', ' '), c.verdict]) }), '');
  }
  out.push('## Summary', '', 'Mean ± half-width of the 95% confidence interval across seeds; accuracies in percent.', '', table(summaryTable(results)), '');
  const note = testSplitNote(results);
  if (note) out.push(escapeMarkdown(note), '');
  const ttt = timeToTargetTable(results);
  if (ttt) out.push('### Time to target', '', 'Kaplan-Meier median steps; runs that never reached the target are censored, not dropped.', '', table(ttt), '');
  if (results.comparisons.length > 0) out.push('### Comparisons', '', `Exploratory: called on Benjamini-Hochberg q-values ([analysis plan](${analysisPlanUrl(results)})).`, '', table(comparisonTable(results)), '');
  const st = stepTimeTable(results);
  if (st) out.push('## Step time', '', table(st), '');
  const div = divergenceTable(results);
  if (div) out.push('## Divergence', '', table(div), '');
  out.push('## What batch normalization does', '');
  for (const item of explainBatchNorm(results)) out.push(`- ${escapeMarkdown(item.statement)}  `, `  *${item.status.replace('_', ' ')}*: ${escapeMarkdown(item.evidence)}`);
  out.push('', '## Runs', '', table(runsTable(results)), '', 'Charts: see report.html beside this file.', '');
  return out.join('\n');
}
