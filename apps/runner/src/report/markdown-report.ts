// report.md: the same findings and tables as report.html, for terminals and pull requests.
import { type ResultsFile } from '@bnx/metrics';
import { explainBatchNorm } from './bn-explainer.js';
import { escapeMarkdown } from './escape.js';
import { buildLead, type LeadItem } from './lead-section.js';
import {
  analysisPlanUrl,
  comparisonTable,
  divergenceTable,
  runsTable,
  stepTimeTable,
  summaryTable,
  testSplitNote,
  timeToTargetTable,
  type Table,
} from './report-tables.js';
import { variantOrder } from './report-charts.js';
import { claimsIntro, claimVerdictText, comparisonsIntro, STATUS_LABEL, tidy } from './wording.js';

function table(t: Table): string {
  const row = (cells: string[]) => `| ${cells.map(escapeMarkdown).join(' | ')} |`;
  const lines = [row(t.headers), `|${t.headers.map(() => ' --- ').join('|')}|`, ...t.rows.map(row)];
  if (t.notes && t.notes.length > 0) lines.push('', ...t.notes.map(([h, e]) => `- **${escapeMarkdown(h)}**: ${escapeMarkdown(e)}`));
  return lines.join('\n');
}

/** Markdown-escaped text that keeps its `code` spans. */
function text(s: string): string {
  return s
    .split(/(`[^`]+`)/)
    .map((part) => (part.startsWith('`') && part.endsWith('`') && part.length > 1 ? part : escapeMarkdown(part)))
    .join('');
}

function planLink(results: ResultsFile): string {
  return `The rules are written down in the [analysis plan](${analysisPlanUrl(results)}).`;
}

function leadItem(item: LeadItem): string {
  const status = item.status ? `**${STATUS_LABEL[item.status]}.** ` : '';
  const title = item.title ? `${escapeMarkdown(item.title)}: ` : '';
  return `- ${status}${title}${text(item.text)}`;
}

export function renderMarkdownReport(results: ResultsFile): string {
  const out: string[] = [];
  out.push(`# ${escapeMarkdown(results.experiment)}`, '');
  out.push(
    `${escapeMarkdown(results.source_file)} · backend ${escapeMarkdown(results.backend)} on ${escapeMarkdown(results.device)}${results.engine ? ` (${escapeMarkdown(results.engine)})` : ''} · ${results.runs.length} runs · started ${escapeMarkdown(results.started_at.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC'))} · bnx ${escapeMarkdown(results.bnx_version)}`,
    '',
  );
  const lead = buildLead(results);
  const names = variantOrder(results);
  out.push('## Findings', '');
  if (lead.decided.length > 0) out.push('### What the data decided', '', ...lead.decided.map(leadItem), '');
  if (lead.comparisonMetric && lead.comparisons.length > 0) {
    out.push(`### Main comparison: ${lead.comparisonMetric}`, '', ...lead.comparisons.map(leadItem), '');
    if (lead.moreComparisons > 0) out.push(`${lead.moreComparisons} more sweep points are in the comparison table.`, '');
  } else {
    out.push('No comparison between variants is possible in this experiment.', '');
  }
  if (lead.undecided.length > 0) out.push('### What could not be decided, and why', '', ...lead.undecided.map(leadItem), '');
  if (results.claims && results.claims.length > 0) {
    out.push('## Claims about batch normalization', '', `${text(claimsIntro(results))} ${planLink(results)}`, '');
    for (const c of results.claims) out.push(`- **${STATUS_LABEL[c.status]}.** ${escapeMarkdown(c.title)}: ${text(claimVerdictText(c, names))}`);
    out.push('');
  }
  out.push('## Summary', '', 'Mean ± half-width of the 95% confidence interval across seeds; accuracies in percent.', '', table(summaryTable(results)), '');
  const note = testSplitNote(results);
  if (note) out.push(escapeMarkdown(note), '');
  const ttt = timeToTargetTable(results);
  if (ttt)
    out.push(
      '### Time to target',
      '',
      'Kaplan-Meier median steps to the declared target; runs that never reached it are censored, not dropped.',
      '',
      table(ttt),
      '',
    );
  if (results.comparisons.length > 0)
    out.push('### Comparisons between variants', '', `${text(comparisonsIntro(results))} ${planLink(results)}`, '', table(comparisonTable(results)), '');
  const st = stepTimeTable(results);
  if (st) out.push('## Step time', '', table(st), '');
  const div = divergenceTable(results);
  if (div) out.push('## Divergence', '', table(div), '');
  out.push('## What batch normalization does', '');
  for (const item of explainBatchNorm(results))
    out.push(`- ${text(item.statement)}  `, `  *${STATUS_LABEL[item.status]}*: ${text(tidy(item.evidence, names))}`);
  out.push('', '## Runs', '', table(runsTable(results)), '', 'Charts: see report.html beside this file, and each figure as SVG and CSV in figures/.', '');
  return out.join('\n');
}
