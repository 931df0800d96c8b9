// report.html: one self-contained page (inline CSS and SVG, no scripts, no network) that opens from disk.
import { type ResultsFile } from '@bnx/metrics';
import { explainBatchNorm } from './bn-explainer.js';
import { escapeHtml } from './escape.js';
import { activationCharts, bnStatsCharts, CURVE_POINTS, curveCharts, layerNormCharts, stepTimeChart, sweepCharts, type ReportChart } from './report-charts.js';
import { analysisPlanUrl, comparisonTable, divergenceTable, headlineVerdicts, runsTable, stepTimeTable, summaryTable, testSplitNote, timeToTargetTable, type Table } from './report-tables.js';

const STYLE = `
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1b1b1b;max-width:1180px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.meta{color:#555;margin:0 0 16px}table{border-collapse:collapse;margin:8px 0;font-size:13px}
th,td{border:1px solid #d5d5d5;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f3f3f3}
td.num{text-align:right;font-variant-numeric:tabular-nums}.charts{display:flex;flex-wrap:wrap;gap:12px}
.charts svg{border:1px solid #eee;background:#fff;max-width:100%;height:auto}
.status{display:inline-block;min-width:96px;font-weight:600;padding:0 6px;border-radius:3px;border:1px solid}
.status.supported{color:#05603a;border-color:#05603a}.status.contradicted{color:#9b1c1c;border-color:#9b1c1c}
.status.inconclusive,.status.not_shown,.status.not_measured,.status.context{color:#555;border-color:#999}
ul.verdicts li{margin:4px 0}code{background:#f4f4f4;padding:0 3px}
`;

function table(t: Table, numericFrom = -1): string {
  const head = `<tr>${t.headers.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = t.rows.map((r) => `<tr>${r.map((c, i) => `<td${numericFrom >= 0 && i >= numericFrom && i < r.length ? ' class="num"' : ''}>${escapeHtml(c)}</td>`).join('')}</tr>`).join('');
  return `<table><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

function charts(list: ReportChart[]): string {
  return `<div class="charts">${list.map((c) => `<figure id="${escapeHtml(c.id)}" style="margin:0">${c.svg}</figure>`).join('')}</div>`;
}

function statusBadge(status: string): string {
  return `<span class="status ${escapeHtml(status)}">${escapeHtml(status.replace('_', ' '))}</span>`;
}

export function renderHtmlReport(results: ResultsFile): string {
  const name = escapeHtml(results.experiment);
  const counts = ['completed', 'diverged', 'failed', 'interrupted']
    .map((s) => [s, results.runs.filter((r) => r.status === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  const seeds = [...new Set(results.runs.map((r) => r.seed))];
  const parts: string[] = [];
  parts.push(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`,
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>bnx report: ${name}</title><style>${STYLE}</style></head><body>`,
    `<h1>Experiment <code>${name}</code></h1>`,
    `<p class="meta">${escapeHtml(results.source_file)} · backend ${escapeHtml(results.backend)} on ${escapeHtml(results.device)}${results.engine ? ` (${escapeHtml(results.engine)})` : ''} · ${results.runs.length} runs (${escapeHtml(counts || 'none')}) · seeds ${escapeHtml(seeds.join(', '))} · started ${escapeHtml(results.started_at)} · bnx ${escapeHtml(results.bnx_version)}</p>`,
  );

  parts.push('<h2 id="verdicts">Verdicts</h2>');
  const headline = headlineVerdicts(results);
  parts.push(headline.length > 0 ? `<ul class="verdicts">${headline.map((v) => `<li>${escapeHtml(v)}</li>`).join('')}</ul>` : '<p>No comparison between variants is possible in this experiment.</p>');
  if (results.claims && results.claims.length > 0) {
    parts.push(`<h2 id="claims">Claims about batch normalization</h2><p>Each claim is decided on an endpoint fixed before the data, by one test, with the claims of the experiment adjusted together (Holm): see the <a href="${escapeHtml(analysisPlanUrl(results))}">analysis plan</a>.</p><table><thead><tr><th>claim</th><th>status</th><th>what decided it</th></tr></thead><tbody>`);
    for (const c of results.claims) parts.push(`<tr><td>${escapeHtml(c.title)}</td><td>${statusBadge(c.status)}</td><td>${escapeHtml(c.verdict)}</td></tr>`);
    parts.push('</tbody></table>');
  }

  parts.push('<h2 id="summary">Summary</h2><p>Mean ± half-width of the 95% confidence interval (Student t) across seeds; accuracies in percent. Diverged runs count in the last column, not in the means.</p>', table(summaryTable(results), 1));
  if (testSplitNote(results)) parts.push(`<p>${escapeHtml(testSplitNote(results)!)}</p>`);
  const ttt = timeToTargetTable(results);
  if (ttt) parts.push('<h3>Time to target</h3><p>Kaplan-Meier median steps to the declared target; runs that never reached it are censored, not dropped.</p>', table(ttt));
  if (results.comparisons.length > 0) parts.push(`<h3>Comparisons</h3><p>Exploratory: per-seed differences (paired t-test, or the exact sign-flip test below 5 seeds; Welch only where seeds cannot be paired), time to target by log-rank test; a difference is called when its Benjamini-Hochberg q-value over the whole table is below 0.05. See the <a href="${escapeHtml(analysisPlanUrl(results))}">analysis plan</a>.</p>`, table(comparisonTable(results)));

  const points = new Set(results.runs.map((r) => JSON.stringify(r.params))).size;
  const shownNote = points > CURVE_POINTS ? ` The first ${CURVE_POINTS} of ${points} sweep points are drawn; the sweep charts and tables cover all.` : '';
  parts.push(`<h2 id="curves">Learning curves</h2><p>Shaded bands: 95% confidence interval of the mean across seeds.${shownNote}</p>`, charts(curveCharts(results)));
  const sweeps = sweepCharts(results);
  if (sweeps.length > 0) parts.push('<h2 id="sweeps">Sweeps</h2><p>Error bars: 95% confidence interval across seeds.</p>', charts(sweeps));
  const acts = activationCharts(results);
  if (acts.length > 0) parts.push('<h2 id="activations">Activation distributions over training</h2><p>As in Ioffe &amp; Szegedy (2015), Figure 1: the tracked percentiles of one layer\'s inputs as training proceeds. Flat lines mean a stable distribution.</p>', charts(acts));
  const grads = layerNormCharts(results, 'grad_norm');
  if (grads.length > 0) parts.push('<h2 id="gradients">Gradient norms per layer</h2>', charts(grads));
  const weights = layerNormCharts(results, 'weight_norm');
  if (weights.length > 0) parts.push('<h2 id="weights">Weight norms per layer</h2>', charts(weights));

  const bnStats = bnStatsCharts(results);
  if (bnStats.length > 0) parts.push('<h2 id="bn-stats">Batch-norm running statistics</h2><p>What a batch-normalization layer uses in place of batch statistics at inference, as it is updated during training.</p>', charts(bnStats));

  parts.push('<h2 id="step-time">Step time</h2>');
  const st = stepTimeTable(results);
  const stc = stepTimeChart(results);
  parts.push(st ? table(st) : '<p>No throughput was recorded.</p>', stc ? charts([stc]) : '');
  const div = divergenceTable(results);
  if (div) parts.push('<h2 id="divergence">Divergence</h2><p>Runs whose loss became NaN or infinite stop there; they are results, not crashes.</p>', table(div));

  parts.push('<h2 id="what-bn-does">What batch normalization does, and what this report says about it</h2><ul>');
  for (const item of explainBatchNorm(results)) {
    const link = item.link ? ` <a href="${escapeHtml(item.link)}">(see measurement)</a>` : '';
    parts.push(`<li><p>${escapeHtml(item.statement)}</p><p>${statusBadge(item.status)} ${escapeHtml(item.evidence)}${link}</p></li>`);
  }
  parts.push('</ul>');

  parts.push('<h2 id="runs">Runs</h2><details><summary>Every run</summary>', table(runsTable(results), 2), '</details>');
  parts.push('<p class="meta">Generated by bnx. Data: results.json and metrics.csv beside this file.</p></body></html>\n');
  return parts.join('\n');
}
