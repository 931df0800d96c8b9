// report.html: one self-contained page (inline CSS and SVG, no scripts, no network) that opens from disk,
// reads the same with JavaScript off, and fits a phone: findings first, then the figures, then the tables.
import { type ResultsFile } from '@bnx/metrics';
import { explainBatchNorm } from './bn-explainer.js';
import { escapeHtml } from './escape.js';
import { buildLead, claimFigure, type LeadItem } from './lead-section.js';
import { buildFigures, CURVE_POINTS, slug, variantOrder, type ReportChart, type ReportFigures } from './report-charts.js';
import {
  analysisPlanUrl,
  comparisonTable,
  divergenceTable,
  runsTable,
  stepTimeTable,
  summaryTable,
  testSplitNote,
  timeToTargetTable,
  typicalSeedCount,
  type Table,
} from './report-tables.js';
import { variantColor } from './svg/series-styles.js';
import { claimsIntro, claimVerdictText, comparisonsIntro, settingName, STATUS_LABEL, tidy, type ShownStatus } from './wording.js';

/** Folder beside report.html holding each figure as SVG and CSV. */
export const FIGURES_DIR = 'figures';

const STYLE = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{font:15px/1.55 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1b1b1b;max-width:1240px;margin:0 auto;padding:16px 12px 40px}
@media (min-width:700px){body{padding:24px 28px 48px}}
h1{font-size:25px;line-height:1.25;margin:0 0 6px}h2{font-size:20px;line-height:1.3;margin:36px 0 10px;border-bottom:1px solid #ddd;padding-bottom:4px}
h3{font-size:16px;margin:20px 0 6px}
h1,h2,h3,p,li,figcaption,dd,dt,td,th{overflow-wrap:break-word}
a{color:#0b5cad}
.meta{color:#555;margin:0 0 18px;font-size:14px}
code{background:#f1f1f1;padding:0 3px;border-radius:3px;font-size:.93em}
.lead{background:#f6f8fa;border:1px solid #d9e0e7;border-radius:8px;padding:2px 16px 10px;margin-top:18px}
.lead h2{border:none;margin-top:14px}
ul.findings{list-style:none;padding:0;margin:6px 0}
ul.findings li{margin:0 0 12px}
.claim-title{font-weight:600}
.links{font-size:14px;white-space:nowrap}
.status{display:inline-block;font-weight:600;font-size:13px;padding:0 6px;margin-right:4px;border-radius:4px;border:1px solid;white-space:nowrap}
.status.supported{color:#05603a;border-color:#05603a;background:#eefaf3}.status.contradicted{color:#9b1c1c;border-color:#9b1c1c;background:#fdf0f0}
.status.inconclusive,.status.not_shown,.status.not_measured,.status.not_applicable,.status.context{color:#4a4a4a;border-color:#999;background:#fff}
.variant{font-weight:600;white-space:nowrap}.nowrap{white-space:nowrap}.variant::before{content:"";display:inline-block;width:.62em;height:.62em;border-radius:50%;background:currentColor;margin:0 .25em .05em 0}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,360px),1fr));gap:18px 24px;margin:10px 0}
figure{margin:0;min-width:0}
figure svg{display:block;width:100%;max-width:540px;height:auto}
figcaption{font-size:13px;color:#555;margin-top:2px}
.fig1{display:grid;grid-template-columns:1fr;gap:16px 20px;margin:10px 0}
@media (min-width:760px){.fig1{grid-template-columns:1fr 1fr}.fig1 .fig1-accuracy{grid-column:1/-1;justify-self:center;width:min(100%,600px)}}
.table-wrap{max-width:100%;overflow-x:auto;margin:8px 0}
table{border-collapse:collapse;font-size:14px}
th,td{border:1px solid #d5d5d5;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f3f3f3;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
dl.notes{font-size:13px;color:#444;margin:6px 0 14px}dl.notes dt{font-weight:600;display:inline}dl.notes dt::after{content:": "}dl.notes dd{display:inline;margin:0}dl.notes dd::after{content:"";display:block;margin-bottom:2px}
article.claim{border-left:3px solid #ccc;padding:2px 0 2px 12px;margin:12px 0}
article.claim h3{margin:0 0 4px}
ul.explainer li{margin:0 0 10px}ul.explainer p{margin:2px 0}
@media (max-width:640px){
 table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
 table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;width:100%}
 table.stack tr{border:1px solid #d5d5d5;border-radius:6px;margin:0 0 10px;padding:4px 0}
 table.stack td{border:none;display:flex;justify-content:space-between;gap:12px;text-align:right;padding:2px 10px}
 table.stack td.num{white-space:normal}
 table.stack td::before{content:attr(data-label);font-weight:600;text-align:left;color:#333;flex:0 1 50%}
}
`;

/** Escaped text with `code` spans and each variant name (also capitalized at a sentence start) in its chart colour. */
function rich(text: string, variants: string[]): string {
  // "p = 0.011" and "q < 0.001" stay on one line.
  const html = escapeHtml(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\b([pq]) (=|&lt;) (?=\d)/g, '$1&nbsp;$2&nbsp;');
  const forms = new Map<string, number>();
  variants.forEach((v, i) => {
    const e = escapeHtml(v);
    forms.set(e, i);
    if (!forms.has(e.charAt(0).toUpperCase() + e.slice(1))) forms.set(e.charAt(0).toUpperCase() + e.slice(1), i);
  });
  if (forms.size === 0) return html;
  const alternatives = [...forms.keys()].sort((a, b) => b.length - a.length).map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`(?<![\\w&#;<>/-])(${alternatives.join('|')})(?![\\w-])`, 'g');
  // An opening parenthesis stays with the name after it, not alone at the end of a line.
  return html
    .replace(pattern, (m) => `<span class="variant v${forms.get(m)}">${escapeHtml(variants[forms.get(m)!]!)}</span>`)
    .replace(/\((<span class="variant [^"]+">[^<]*<\/span>)/g, '<span class="nowrap">($1</span>');
}

function table(t: Table, variants: string[]): string {
  const numericFrom = t.numericFrom ?? Infinity;
  const numeric = (i: number) => i >= numericFrom || (t.numericColumns?.includes(i) ?? false);
  const head = `<tr>${t.headers.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = t.rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => `<td data-label="${escapeHtml(t.headers[i] ?? '')}"${numeric(i) ? ' class="num"' : ''}>${numeric(i) ? escapeHtml(c) : rich(c, variants)}</td>`).join('')}</tr>`,
    )
    .join('');
  const notes =
    t.notes && t.notes.length > 0 ? `<dl class="notes">${t.notes.map(([h, e]) => `<dt>${escapeHtml(h)}</dt><dd>${escapeHtml(e)}</dd>`).join('')}</dl>` : '';
  return `<div class="table-wrap"><table class="stack"><thead>${head}</thead><tbody>${body}</tbody></table></div>${notes}`;
}

function figure(c: ReportChart, className = ''): string {
  const files = `<a href="${FIGURES_DIR}/${escapeHtml(c.id)}.svg">SVG</a> · <a href="${FIGURES_DIR}/${escapeHtml(c.id)}.csv">CSV</a>`;
  return `<figure id="${escapeHtml(c.id)}"${className ? ` class="${className}"` : ''}>${c.svg}<figcaption>Data: ${files}</figcaption></figure>`;
}

function charts(list: ReportChart[]): string {
  return `<div class="charts">${list.map((c) => figure(c)).join('')}</div>`;
}

/** The one link that leaves the page: the written analysis plan, the same address everywhere. */
function planLink(results: ResultsFile): string {
  return `The rules are written down in the <a href="${escapeHtml(analysisPlanUrl(results))}">analysis plan</a>.`;
}

function statusBadge(status: ShownStatus): string {
  return `<span class="status ${escapeHtml(status)}">${escapeHtml(STATUS_LABEL[status])}</span>`;
}

function leadItem(item: LeadItem, variants: string[]): string {
  const links = item.links.map((l) => `<a href="${escapeHtml(l.href)}">${escapeHtml(l.label)}</a>`).join(' · ');
  const title = item.title ? `<span class="claim-title">${escapeHtml(item.title)}.</span> ` : '';
  const status = item.status ? `${statusBadge(item.status)} ` : '';
  return `<li${item.claim ? ` data-claim="${escapeHtml(item.claim)}"` : ''}>${status}${title}${rich(item.text, variants)} <span class="links">(${links})</span></li>`;
}

/** "1 January 2026 at 00:00 UTC", and how long the experiment took. */
function when(results: ResultsFile): string {
  const started = new Date(results.started_at);
  if (Number.isNaN(started.getTime())) return results.started_at;
  const format = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
  const finished = results.finished_at ? new Date(results.finished_at) : null;
  const span = finished && !Number.isNaN(finished.getTime()) ? (finished.getTime() - started.getTime()) / 60000 : null;
  // A resumed experiment keeps its first start, so the span also counts the time it lay stopped: the runs'
  // own time, summed, is then the shorter and truer figure (with --jobs N the span is the shorter one).
  const runMinutes = results.runs.reduce((sum, r) => sum + (r.seconds ?? Number.NaN), 0) / 60;
  const minutes = span === null ? null : Number.isFinite(runMinutes) && runMinutes >= 0 ? Math.min(span, runMinutes) : span;
  const took =
    minutes === null || minutes < 0
      ? ''
      : `, took ${minutes < 1 ? 'under a minute' : minutes < 120 ? `${Math.round(minutes)} min` : `${(minutes / 60).toFixed(1)} h`}`;
  return `started ${format.format(started)} UTC${took}`;
}

export function renderHtmlReport(results: ResultsFile, figures: ReportFigures = buildFigures(results)): string {
  const name = escapeHtml(results.experiment);
  const variants = variantOrder(results);
  const counts = ['completed', 'diverged', 'failed', 'interrupted']
    .map((s) => [s, results.runs.filter((r) => r.status === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  const seeds = [...new Set(results.runs.map((r) => r.seed))];
  const variantCss = variants.map((v, i) => `.v${i}{color:${variantColor(i)}}`).join('');
  const parts: string[] = [];
  parts.push(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`,
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>bnx report: ${name}</title><style>${STYLE}${variantCss}</style></head><body>`,
    `<h1>${name}</h1>`,
    `<p class="meta">${variants.map((v) => rich(v, variants)).join(' vs ')} · ${results.runs.length} runs (${escapeHtml(counts || 'none')}), seeds ${escapeHtml(seeds.join(', ') || 'none')} · backend ${escapeHtml(results.backend)} on ${escapeHtml(results.device)}${results.engine ? ` (${escapeHtml(results.engine)})` : ''} · ${escapeHtml(when(results))} · <code>${escapeHtml(results.source_file)}</code> · bnx ${escapeHtml(results.bnx_version)}</p>`,
  );

  // Findings first: decided claims, the main comparison, then what could not be decided.
  const lead = buildLead(results);
  parts.push('<section class="lead" id="findings"><h2>Findings</h2>');
  if (lead.decided.length > 0)
    parts.push('<h3 id="decided">What the data decided</h3>', `<ul class="findings">${lead.decided.map((i) => leadItem(i, variants)).join('')}</ul>`);
  else if ((results.claims ?? []).length > 0) parts.push('<p>No claim about batch normalization was decided by this experiment; see below for why.</p>');
  if (lead.comparisonMetric && lead.comparisons.length > 0) {
    parts.push(
      `<h3 id="main-comparison">Main comparison: ${escapeHtml(lead.comparisonMetric)}</h3>`,
      `<ul class="findings">${lead.comparisons.map((i) => leadItem(i, variants)).join('')}</ul>`,
    );
    if (lead.moreComparisons > 0) parts.push(`<p>${lead.moreComparisons} more sweep points are in the <a href="#comparisons">comparison table</a>.</p>`);
  } else {
    parts.push('<p>No comparison between variants is possible in this experiment.</p>');
  }
  if (lead.undecided.length > 0)
    parts.push(
      '<h3 id="undecided">What could not be decided, and why</h3>',
      `<ul class="findings">${lead.undecided.map((i) => leadItem(i, variants)).join('')}</ul>`,
    );
  parts.push('</section>');

  const claims = results.claims ?? [];
  if (claims.length > 0) {
    parts.push(`<h2 id="claims">Claims about batch normalization</h2><p>${rich(claimsIntro(results), variants)} ${planLink(results)}</p>`);
    for (const c of claims) {
      const fig = claimFigure(c.claim);
      parts.push(
        `<article class="claim" id="claim-${escapeHtml(slug(c.claim))}"><h3>${escapeHtml(c.title)}</h3><p>${statusBadge(c.status)} ${rich(claimVerdictText(c, variants), variants)}${fig ? ` <a href="${fig.href}">See ${escapeHtml(fig.see)}.</a>` : ''}</p></article>`,
      );
    }
  }

  const fig1 = figures.figureOne;
  if (fig1) {
    parts.push(
      '<h2 id="figure-1">Figure 1 of Ioffe &amp; Szegedy (2015), side by side</h2>',
      "<p>Above: accuracy against training steps. Below: the 15th, 50th and 85th percentiles of one layer's inputs as training proceeds, for each variant on the same y scale (the middle line solid). In the paper the baseline's percentiles wander while batch normalization keeps them steady.</p>",
      `<div class="fig1">${figure(fig1.accuracy, 'fig1-accuracy')}${fig1.rows.map((r) => r.panels.map((p) => figure(p)).join('')).join('')}</div>`,
    );
  }

  const points = new Set(results.runs.map((r) => JSON.stringify(r.params))).size;
  const shownNote = points > CURVE_POINTS ? ` The first ${CURVE_POINTS} of ${points} sweep points are drawn; the sweep figures and tables cover all.` : '';
  parts.push(
    `<h2 id="curves">Learning curves</h2><p>One colour per variant: solid lines for training, dashed for evaluation; shaded bands are the 95% confidence interval of the mean across seeds. Accuracy is drawn as error rate (100% minus accuracy) on a log axis, so differences near the top stay visible${results.target ? '; the dotted line is the declared target' : ''}.${shownNote}</p>`,
    charts(figures.curves),
  );
  if (figures.sweeps.length > 0) {
    parts.push(
      '<h2 id="sweeps">Sweeps</h2><p>Final results against each swept setting, one line per variant; error bars are 95% confidence intervals across seeds.</p>',
    );
    for (const s of figures.sweeps) parts.push(`<h3 id="sweep-${escapeHtml(slug(s.key))}">By ${escapeHtml(settingName(s.key))}</h3>`, charts(s.charts));
  }

  const seedCount = typicalSeedCount(results);
  parts.push(
    `<h2 id="summary">Summary</h2><p>Mean ± half-width of the 95% confidence interval (Student t) across ${seedCount} seed${seedCount === 1 ? '' : 's'}; a cell computed from fewer says so. Accuracies in percent.</p>`,
    table(summaryTable(results), variants),
  );
  const splitNote = testSplitNote(results);
  if (splitNote) parts.push(`<p>${escapeHtml(splitNote)}</p>`);
  const ttt = timeToTargetTable(results);
  if (ttt)
    parts.push(
      '<h3 id="time-to-target">Time to target</h3><p>Kaplan-Meier median steps to the declared target; runs that never reached it are censored, not dropped.</p>',
      table(ttt, variants),
    );
  if (results.comparisons.length > 0) {
    parts.push(
      `<h3 id="comparisons">Comparisons between variants</h3><p>${rich(comparisonsIntro(results), variants)} ${planLink(results)}</p>`,
      table(comparisonTable(results), variants),
    );
  }

  parts.push('<h2 id="step-time">Step time</h2>');
  const st = stepTimeTable(results);
  parts.push(figures.stepTime ? charts([figures.stepTime]) : '', st ? table(st, variants) : '<p>No throughput was recorded.</p>');

  if (figures.gradients.length > 0) parts.push('<h2 id="gradients">Gradient norms per layer</h2>', charts(figures.gradients));
  if (figures.weights.length > 0) parts.push('<h2 id="weights">Weight norms per layer</h2>', charts(figures.weights));
  if (figures.bnStats.length > 0)
    parts.push(
      '<h2 id="bn-stats">Batch-norm running statistics</h2><p>What a batch-normalization layer uses in place of batch statistics at inference, as it is updated during training.</p>',
      charts(figures.bnStats),
    );

  const div = divergenceTable(results);
  if (div)
    parts.push(
      '<h2 id="divergence">Divergence</h2><p>Runs whose loss became NaN or infinite stop there; they are results, not crashes.</p>',
      table(div, variants),
    );

  parts.push('<h2 id="what-bn-does">What batch normalization does, and what this report says about it</h2><ul class="explainer">');
  for (const item of explainBatchNorm(results)) {
    const link = item.link ? ` <a href="${escapeHtml(item.link)}">See the measurement.</a>` : '';
    parts.push(`<li><p>${rich(item.statement, variants)}</p><p>${statusBadge(item.status)} ${rich(tidy(item.evidence, variants), variants)}${link}</p></li>`);
  }
  parts.push('</ul>');

  parts.push('<h2 id="runs">Runs</h2><details><summary>Every run</summary>', table(runsTable(results), variants), '</details>');
  parts.push(
    `<p class="meta">Generated by bnx. Data: results.json and metrics.csv beside this file; each figure as SVG and CSV in ${FIGURES_DIR}/.</p></body></html>\n`,
  );
  return parts.join('\n');
}
