// docs/results.md from the results.json files that `pnpm reproduce` wrote: every number in the document is
// computed here from those files and from studies.json (what the studies published), never typed by hand.
// The statistics are @bnx/metrics' (docs/statistics.md): the claims' verdicts as results.json holds them,
// means with Student-t 95% intervals over seeds, and paired differences (pairedTest) for the measured tables
// beside them.
import { activationDrift, describeParams, lossVariation, meanGradientNorm, pairedTest, summarize } from '@bnx/metrics';

/** Which sweep points a results file has: one `params` object per point, in the order the runs list them. */
export function sweepPoints(results) {
  const seen = new Map();
  for (const run of results.runs) {
    const key = JSON.stringify(run.params ?? {});
    if (!seen.has(key)) seen.set(key, run.params ?? {});
  }
  return [...seen.values()];
}

const matches = (params, fixed) => Object.entries(fixed ?? {}).every(([k, v]) => params?.[k] === v);
const sameParams = (a, b) => JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});

/** The points a published row speaks about: those agreeing with its `params` (all of them when it fixes none). */
function pointsFor(results, fixed) {
  return sweepPoints(results).filter((p) => matches(p, fixed));
}

const finalValue = (run, metric) => {
  if (run.status !== 'completed') return null;
  if (metric === 'test_accuracy') return run.test?.accuracy ?? null;
  if (metric === 'test_loss') return run.test?.loss ?? null;
  const last = run.history?.[run.history.length - 1];
  return last?.[metric] ?? null;
};

function historyValue(run, metric, at) {
  const entry = run.history?.find((h) => (at.epoch !== undefined ? Math.abs(h.epoch - at.epoch) < 1e-9 : h.step === at.step));
  return entry?.[metric] ?? null;
}

/** One value per run (by seed) of a published row's measure, for the runs of `variant` at `point`. */
export function perSeedValues(results, spec, point, variant = spec.variant) {
  const runs = results.runs.filter((r) => r.variant === variant && sameParams(r.params, point));
  const bySeed = new Map();
  for (const run of runs) {
    let value = null;
    if (spec.measure === 'final') value = finalValue(run, spec.metric);
    else if (spec.measure === 'history') value = historyValue(run, spec.metric, spec);
    bySeed.set(run.seed, value);
  }
  return bySeed;
}

/** The median steps to the target of `variant` at `point`, from results.json's time-to-target table. */
function medianSteps(results, variant, point) {
  const row = (results.time_to_target ?? []).find((t) => t.variant === variant && sameParams(t.params, point));
  if (!row) return undefined;
  return { median: row.median_steps, ci: row.median_ci95, reached: row.reached, runs: row.runs };
}

// ---------------------------------------------------------------------------------------------------------
// Formatting

const isRate = (metric) => /accuracy/.test(metric ?? '');
export function formatNumber(value, metric) {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  if (isRate(metric)) return `${(value * 100).toFixed(1)}%`;
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(3);
  return value.toFixed(4);
}

/** "97.8% ± 0.1 (95% CI 97.7% to 97.9%, 5 seeds)" or the single value and "1 seed". */
export function formatSummary(summary, metric) {
  if (summary.mean === null) return 'no value';
  const seeds = `${summary.n} seed${summary.n === 1 ? '' : 's'}`;
  if (!summary.ci95) return `${formatNumber(summary.mean, metric)} (${seeds})`;
  const half = (summary.ci95[1] - summary.ci95[0]) / 2;
  const halfText = isRate(metric) ? `${(half * 100).toFixed(1)} points` : formatNumber(half, metric);
  return `${formatNumber(summary.mean, metric)} ± ${halfText} (${seeds})`;
}

/** A mean ± half-width of seconds per sample, in microseconds. */
function formatMicroseconds(summary) {
  if (summary.mean === null) return 'no value';
  const half = summary.ci95 ? ` ± ${(((summary.ci95[1] - summary.ci95[0]) / 2) * 1e6).toFixed(1)}` : '';
  return `${(summary.mean * 1e6).toFixed(1)}${half} µs/sample (${summary.n} seed${summary.n === 1 ? '' : 's'})`;
}

/** A mean ± half-width of a difference of two accuracies, in signed percentage points. */
function formatPoints(summary) {
  if (summary.mean === null) return 'no value';
  const half = summary.ci95 ? ` ± ${(((summary.ci95[1] - summary.ci95[0]) / 2) * 100).toFixed(1)}` : '';
  const mean = summary.mean * 100;
  return `${mean >= 0 ? '+' : ''}${mean.toFixed(1)}${half} points (${summary.n} seed${summary.n === 1 ? '' : 's'})`;
}

function formatDifference(test, metric, unit = '') {
  if (!test) return 'fewer than 2 seeds with values for both: no interval';
  const scale = isRate(metric) ? 100 : 1;
  const digits = isRate(metric) ? 1 : Math.abs(test.difference) >= 1 ? 2 : 4;
  const f = (x) => `${x >= 0 ? '+' : ''}${(x * scale).toFixed(digits)}`;
  const suffix = isRate(metric) ? ' points' : unit;
  const ci = test.ci95 ? `, 95% CI [${f(test.ci95[0])}, ${f(test.ci95[1])}]` : '';
  const p = test.p === null || test.p === undefined ? '' : `, ${test.test === 'paired_t' ? 'paired t' : 'sign-flip'} p ${test.p < 0.001 ? '< 0.001' : `= ${test.p.toFixed(3)}`}`;
  return `${f(test.difference)}${suffix}${ci} over ${test.n} seeds${p}`;
}

const pointLabel = (point) => (Object.keys(point).length === 0 ? '' : ` (${describeParams(point)})`);
const escapeCell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');

// ---------------------------------------------------------------------------------------------------------
// Published numbers beside bnx's

/** One row per published value and matching sweep point: bnx's mean ± CI, and whether it is within tolerance. */
export function publishedRows(entry, results) {
  const rows = [];
  for (const spec of entry.published ?? []) {
    for (const point of pointsFor(results, spec.params)) {
      const label = `${spec.label}${sameParams(point, spec.params ?? {}) ? '' : pointLabel(Object.fromEntries(Object.entries(point).filter(([k]) => !(k in (spec.params ?? {})))))}`;
      if (spec.measure === 'steps_to_target') {
        const m = medianSteps(results, spec.variant, point);
        const median = m?.median ?? null;
        const bnx = m === undefined ? 'no target in the file' : median === null ? `not reached (${m.reached}/${m.runs} runs reached it)` : `median ${formatNumber(median)} steps (95% CI ${m.ci?.[0] ?? 'open'} to ${m.ci?.[1] ?? 'open'}; ${m.reached}/${m.runs} runs reached it)`;
        const within = median !== null && Math.abs(median - spec.value) <= spec.tolerance;
        rows.push({ label, theirs: spec.shown ?? formatNumber(spec.value), bnx, within, point, excluded: spec.excluded });
        continue;
      }
      const summary = summarize([...perSeedValues(results, spec, point).values()]);
      const within = summary.mean !== null && Math.abs(summary.mean - spec.value) <= spec.tolerance;
      rows.push({ label, theirs: spec.shown ?? formatNumber(spec.value, spec.metric), bnx: formatSummary(summary, spec.metric), within, point, mean: summary.mean, excluded: spec.excluded });
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------------
// Measured quantities beside the claims' verdicts (paired against the reference variant)

const reference = (results) => (results.variants.find((v) => !v.batchnorm) ?? results.variants[0]).name;

/** Per-run value of a derived measure (`spec.measure`, or the measure's name); null where the run has none. */
export function derivedValue(run, spec) {
  const measure = typeof spec === 'string' ? spec : spec.measure;
  if (run.status !== 'completed') return null;
  const last = run.history?.[run.history.length - 1];
  switch (measure) {
    case 'generalization_gap':
      // Final validation loss minus the training loss averaged over the last evaluation interval.
      return last ? last.val_loss - last.train_loss : null;
    case 'mode_gap':
      // Training-mode accuracy (batch statistics, last interval) minus inference-mode validation accuracy.
      return last ? last.train_accuracy - last.val_accuracy : null;
    case 'loss_variation':
      return lossVariation(run);
    case 'grad_norm':
      return meanGradientNorm(run);
    case 'activation_drift': {
      // The relative drift of one activations probe (the claim uses the first; this reads any, e.g. one unit's).
      const trace = run.probes?.activations?.[spec.probe ?? 0];
      return trace ? (activationDrift(trace)?.relativeDrift ?? null) : null;
    }
    case 'step_time':
      return run.samples_per_second > 0 ? 1 / run.samples_per_second : null;
    default:
      throw new Error(`unknown measure '${measure}' in studies.json`);
  }
}

const MEASURE_TEXT = {
  generalization_gap: { what: 'validation loss minus training loss (last epoch)', metric: 'loss' },
  mode_gap: { what: 'training-mode accuracy (last epoch, batch statistics) minus inference-mode validation accuracy', metric: 'accuracy_gap' },
  loss_variation: { what: 'mean |change of the training loss| between consecutive steps, second half of training', metric: 'loss' },
  grad_norm: { what: 'whole-network gradient norm, averaged over training', metric: 'norm' },
  step_time: { what: 'seconds per training sample', metric: 'time' },
  activation_drift: { what: 'relative drift of the tracked percentiles (range over training / distribution width)', metric: 'drift' },
};

/**
 * For each sweep point and non-reference variant: the variant's and the reference's mean of the measure and
 * the paired per-seed difference (variant - reference) with its 95% interval. `final_by_point` uses the
 * final value of `metric`; `step_time_ratio` the per-seed ratio of step times (variant / reference).
 */
export function measuredRows(spec, results) {
  const ref = reference(results);
  const rows = [];
  for (const point of sweepPoints(results)) {
    const runs = results.runs.filter((r) => sameParams(r.params, point));
    const bySeed = (variant, fn) => new Map(runs.filter((r) => r.variant === variant).map((r) => [r.seed, fn(r)]));
    const value = (r) => {
      if (spec.measure === 'final_by_point') return finalValue(r, spec.metric);
      if (spec.measure === 'step_time_ratio') return derivedValue(r, 'step_time');
      return derivedValue(r, spec);
    };
    const refValues = bySeed(ref, value);
    for (const variant of results.variants.map((v) => v.name).filter((v) => v !== ref)) {
      const values = bySeed(variant, value);
      const seeds = [...values.keys()].filter((s) => refValues.has(s));
      const differences = seeds.map((s) => {
        const a = refValues.get(s);
        const b = values.get(s);
        if (a === null || b === null || a === undefined || b === undefined) return null;
        return spec.measure === 'step_time_ratio' ? b / a : b - a;
      });
      const metric = spec.measure === 'final_by_point' ? spec.metric : MEASURE_TEXT[spec.measure]?.metric;
      const paired = pairedTest(spec.measure === 'step_time_ratio' ? differences.map((d) => (d === null ? null : d - 1)) : differences);
      const test = paired && { n: paired.n, difference: paired.difference, ci95: paired.ci95, p: paired.pValue, test: paired.test };
      rows.push({
        point,
        variant,
        reference: ref,
        variantSummary: summarize([...values.values()]),
        referenceSummary: summarize([...refValues.values()]),
        metric,
        test,
      });
    }
  }
  return rows;
}

function measuredTable(spec, results) {
  const rows = measuredRows(spec, results);
  if (rows.length === 0) return '';
  const ratio = spec.measure === 'step_time_ratio';
  const what = spec.label ?? (spec.measure === 'final_by_point' ? `final ${spec.metric.replace('_', ' ')}` : ratio ? 'step time with the variant divided by the reference\'s (per seed)' : MEASURE_TEXT[spec.measure].what);
  const lines = [`**${what[0].toUpperCase()}${what.slice(1)}**`, '', `| sweep point | variant | variant mean | ${rows[0].reference} mean | paired ${ratio ? 'ratio - 1' : 'difference'} (variant - ${rows[0].reference}) |`, '|---|---|---|---|---|'];
  for (const row of rows) {
    const fmt = (s) => (ratio ? formatMicroseconds(s) : row.metric === 'accuracy_gap' ? formatPoints(s) : formatSummary(s, row.metric));
    const diffMetric = row.metric === 'accuracy_gap' ? 'accuracy' : row.metric;
    lines.push(`| ${escapeCell(describeParams(row.point) || 'all')} | ${row.variant} | ${fmt(row.variantSummary)} | ${fmt(row.referenceSummary)} | ${escapeCell(formatDifference(row.test, ratio ? 'ratio' : diffMetric))} |`);
  }
  return lines.join('\n');
}

/**
 * Sizes of each variant's model, from its IR (bnx measures no memory): trainable values, buffers (running
 * statistics), and the values of every layer's output for one sample, which training keeps for the
 * backward pass. `program` is the checked program of the entry's file.
 */
export function modelSizes(experiment, paramCount) {
  return experiment.variants.map((v) => {
    const count = paramCount(v.model);
    const activations = count.layers.reduce((sum, l) => sum + l.outputShape.reduce((a, b) => a * b, 1), 0);
    return { variant: v.name, trainable: count.trainable, nonTrainable: count.nonTrainable, activationsPerSample: activations };
  });
}

function modelSizeTable(sizes, batches) {
  const mb = (floats) => `${((floats * 4) / 1e6).toFixed(2)} MB`;
  const lines = [
    '**Model sizes** (from the IR: bnx measures no memory; float32, layer outputs kept for the backward pass)',
    '',
    `| variant | trainable values | buffers | layer outputs per sample | ${batches.map((b) => `outputs at batch ${b}`).join(' | ')} |`,
    `|---|---|---|---|${batches.map(() => '---|').join('')}`,
  ];
  for (const s of sizes) {
    lines.push(`| ${s.variant} | ${s.trainable.toLocaleString('en-US')} | ${s.nonTrainable.toLocaleString('en-US')} | ${s.activationsPerSample.toLocaleString('en-US')} | ${batches.map((b) => mb(s.activationsPerSample * b)).join(' | ')} |`);
  }
  return lines.join('\n');
}

/** One sentence of what a measured claim found, for the summary table: the first non-reference variant's difference, at each point. */
function measuredFinding(spec, results) {
  // The batch-normalized variant against the reference at every point; or, with `summary_point`, every
  // variant at that one point (e.g. layer and group norm at batch 2).
  const rows = measuredRows(spec, results).filter((r) =>
    spec.summary_point ? matches(r.point, spec.summary_point) : r.variant === results.variants.find((v) => v.batchnorm)?.name,
  );
  const ratio = spec.measure === 'step_time_ratio';
  const name = spec.measure === 'final_by_point' ? `final ${spec.metric.replace('_', ' ')}` : ratio ? 'step-time ratio - 1' : spec.measure.replace(/_/g, ' ');
  if (rows.length === 0) return '';
  const label = spec.label ? `${spec.label[0].toLowerCase()}${spec.label.slice(1)}` : name;
  return `${rows.map((r) => `${label}${spec.summary_point ? `, ${r.variant} against ${r.reference}` : ''}${pointLabel(r.point)}: ${formatDifference(r.test, ratio ? 'ratio' : r.metric === 'accuracy_gap' ? 'accuracy' : r.metric)}`).join('; ')}.`;
}

// ---------------------------------------------------------------------------------------------------------
// The document

function claimLines(entry, results) {
  return (results.claims ?? []).filter((c) => (entry.claims ?? []).includes(c.claim));
}

/** The summary verdict of one entry: from the published rows within tolerance and the claims' statuses. */
export function entryVerdict(entry, results, rows) {
  if (!results) return 'not run yet';
  const claims = claimLines(entry, results);
  if (entry.kind === 'claim') {
    if (claims.length === 1) return claims[0].status.replace('_', ' ');
    if (claims.length > 1) return claims.map((c) => `${c.claim.replace(/_/g, ' ')}: ${c.status.replace('_', ' ')}`).join(', ');
    return 'measured (no claim declared)';
  }
  if (entry.verdict_from_claims) {
    // The study's claims are qualitative (a figure, no numbers): the tested claims decide.
    if (claims.length === 0) return 'no claim could be tested';
    const statuses = new Set(claims.map((c) => c.status));
    if (statuses.size === 1 && statuses.has('supported')) return 'reproduced (every claim supported)';
    if (statuses.has('contradicted')) return 'contradicted';
    return `not reproduced here (${claims.map((c) => `${c.claim.replace(/_/g, ' ')}: ${c.status.replace('_', ' ')}`).join(', ')})`;
  }
  const considered = rows.filter((r) => !r.excluded);
  if (considered.length === 0) return claims.length > 0 ? `no published numbers; ${claims.map((c) => `${c.claim.replace(/_/g, ' ')}: ${c.status.replace('_', ' ')}`).join(', ')}` : 'no published numbers';
  const within = considered.filter((r) => r.within).length;
  if (within === considered.length) return 'reproduced';
  // Rows spread over sweep points the study did not fix (the rate it really ran): one point matching all of
  // its rows is a reproduction at that point.
  const groups = groupByFreePoint(considered);
  const matched = [...groups].filter(([, list]) => list.every((r) => r.within)).map(([label]) => label);
  if (groups.size > 1 && matched.length > 0) return `reproduced at ${matched.join(' and at ')} (${within} of ${considered.length} numbers over all sweep points)`;
  if (within === 0) return 'not reproduced';
  return `partly reproduced (${within} of ${considered.length} numbers)`;
}

function finding(entry, results, rows) {
  if (!results) return 'not run yet';
  const parts = [];
  const claims = claimLines(entry, results);
  for (const c of claims) parts.push(`${c.claim.replace(/_/g, ' ')}: ${c.status.replace('_', ' ')}${c.p_adjusted === null || c.p_adjusted === undefined ? '' : ` (Holm p ${c.p_adjusted < 0.001 ? '< 0.001' : `= ${c.p_adjusted.toFixed(3)}`})`}.`);
  // Entries with tested claims are summed up by them; the measured tables are in the section.
  for (const spec of entry.measured ?? []) if (spec.measure !== 'model_size' && (claims.length === 0 || spec.summary_point)) parts.push(measuredFinding(spec, results));
  const counted = rows.filter((r) => !r.excluded);
  if (counted.length > 0) parts.push(`${counted.filter((r) => r.within).length} of ${counted.length} published numbers within tolerance${matchesByPoint(counted)}.`);
  return parts.filter(Boolean).join(' ');
}

/** ": 6 of 6 at lr 0.01, 1 of 6 at lr 0.001" when the rows span sweep points the study did not fix; else "". */
function matchesByPoint(rows) {
  const groups = groupByFreePoint(rows);
  if (groups.size < 2) return '';
  return `: ${[...groups].map(([key, list]) => `${list.filter((r) => r.within).length} of ${list.length} at ${key}`).join(', ')}`;
}

/** Rows grouped by the part of their sweep point that differs between them ("lr 0.01"). */
function groupByFreePoint(rows) {
  const groups = new Map();
  if (rows.length === 0) return groups;
  const fixedKeys = Object.keys(rows[0].point).filter((k) => rows.every((r) => r.point[k] === rows[0].point[k]));
  for (const row of rows) {
    const key = describeParams(Object.fromEntries(Object.entries(row.point).filter(([k]) => !fixedKeys.includes(k))));
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return groups;
}

const minutes = (s) => (s < 90 ? `${Math.round(s)} s` : `${(s / 60).toFixed(1)} min`);

function runSummary(results, plan) {
  const done = results.runs.filter((r) => r.status === 'completed' || r.status === 'diverged').length;
  const diverged = results.runs.filter((r) => r.status === 'diverged').length;
  const planned = plan?.runs?.length ?? results.runs.length;
  const trainSeconds = results.runs.reduce((s, r) => s + (Number.isFinite(r.seconds) ? r.seconds : 0), 0);
  return { done, diverged, planned, trainSeconds, seeds: results.seeds ?? [] };
}

/**
 * The whole document. `found` maps an entry's name to { results, plan, wallSeconds, figures: [paths
 * relative to docs/] } or nothing when it has not run; `meta` says how the runs were made.
 */
export function renderResults(studies, found, meta) {
  const out = [];
  out.push('# What bnx found: the batch-normalization studies, reproduced');
  out.push('');
  out.push(`<!-- Generated by \`pnpm reproduce\` (scripts/reproduce.mjs) from ${meta.runsDir}/*/results.json and scripts/reproduce/studies.json. Do not edit by hand. -->`);
  out.push('');
  out.push(
    `Five students' studies of batch normalization, Figure 1 of Ioffe & Szegedy (2015), and every claim the studies make, each run by \`bnx\` on ${meta.machine} (${meta.budget}). Numbers are means over seeds with Student-t 95% intervals (± half-width); verdicts follow [docs/statistics.md](statistics.md). The "study" column is what the study published; "within tolerance" compares bnx's mean with it at the tolerance given in scripts/reproduce/studies.json.`,
  );
  out.push('');
  out.push('| study | what it claimed | what bnx found | verdict |');
  out.push('|---|---|---|---|');
  const sections = [];
  for (const entry of studies.entries) {
    const f = found[entry.name];
    const rows = f?.results ? publishedRows(entry, f.results) : [];
    out.push(`| [${escapeCell(entry.title)}](#${anchor(entry.title)}) | ${escapeCell(entry.claimed)} | ${escapeCell(finding(entry, f?.results, rows))} | ${escapeCell(entryVerdict(entry, f?.results, rows))} |`);
    sections.push(renderSection(entry, f, rows));
  }
  out.push('');
  out.push(`Total training time recorded in these results: ${minutes(Object.values(found).reduce((s, f) => s + (f?.results ? runSummary(f.results, f.plan).trainSeconds : 0), 0))}; wall time of \`pnpm reproduce\` (all invocations, with \`--jobs ${meta.jobs}\`): ${minutes(Object.values(found).reduce((s, f) => s + (f?.wallSeconds ?? 0), 0))}.`);
  out.push('');
  out.push(...sections);
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

export function anchor(title) {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .trim()
    .replace(/ /g, '-');
}

function renderSection(entry, f, rows) {
  const out = [`## ${entry.title}`, '', `**Question.** ${entry.question}`, ''];
  out.push(`**Setup.** bnx: [\`${entry.file}\`](../${entry.file}).${entry.their_setup ? ` The study: ${entry.their_setup}` : ''}`);
  out.push('');
  if (!f?.results) {
    out.push('**Not run yet.** `pnpm reproduce` has not produced a results.json for this file.');
    out.push('');
    for (const note of entry.notes ?? []) out.push(`- ${note}`);
    return out.join('\n');
  }
  const { results, plan } = f;
  const s = runSummary(results, plan);
  out.push(
    `**Runs.** ${s.done} of ${s.planned} planned runs finished${s.diverged ? ` (${s.diverged} diverged)` : ''}, seeds ${s.seeds.join(', ')}; backend ${results.backend} on ${results.device}${results.engine ? ` (${results.engine})` : ''}; training time ${minutes(s.trainSeconds)} (sum over runs)${f.wallSeconds ? `, wall time ${minutes(f.wallSeconds)}` : ''}.${s.done < s.planned ? ' **Budget cut:** the remaining runs did not finish in the time this document was generated in; the numbers below cover the finished ones.' : ''}${f.declaredSeeds && s.seeds.length < f.declaredSeeds.length ? ` **Fewer seeds than the file's ${f.declaredSeeds.length}** (${f.declaredSeeds.join(', ')}), to fit the time available.${s.seeds.length < 2 ? ' With one seed its numbers are single observations, without intervals or tests.' : ''}` : ''}`,
  );
  out.push('');
  if (rows.length > 0) {
    out.push('| quantity | study | bnx (mean ± 95% CI half-width) | within tolerance |');
    out.push('|---|---|---|---|');
    for (const row of rows) out.push(`| ${escapeCell(row.label)} | ${escapeCell(row.theirs)} | ${escapeCell(row.bnx)} | ${row.excluded ? `not counted: ${escapeCell(row.excluded)}` : row.within ? 'yes' : 'no'} |`);
    out.push('');
  }
  const claims = claimLines(entry, results);
  if (claims.length > 0) {
    out.push('**Claims tested** (Holm-adjusted within the experiment):');
    out.push('');
    for (const c of claims) out.push(`- \`${c.claim}\`: **${c.status.replace('_', ' ')}**. ${c.verdict}`);
    out.push('');
  }
  for (const spec of entry.measured ?? []) {
    if (spec.measure === 'model_size') {
      if (f.modelSizes) out.push(modelSizeTable(f.modelSizes, [...new Set(sweepPoints(results).map((p) => p.batch).filter((b) => b !== undefined))]), '');
      continue;
    }
    const table = measuredTable(spec, results);
    if (table) out.push(table, '');
  }
  const compared = (results.comparisons ?? []).filter((c) => c.metric === 'val_accuracy' || c.metric === 'test_accuracy');
  if (compared.length > 0 && rows.length === 0 && !(entry.measured ?? []).some((m) => m.measure === 'final_by_point')) {
    out.push('**Final accuracy, paired by seed** (Benjamini-Hochberg across the table):');
    out.push('');
    for (const c of compared) out.push(`- ${c.metric.replace('_', ' ')}${pointLabel(c.params)}, ${c.b} against ${c.a}: ${c.verdict}`);
    out.push('');
  }
  if ((f.figures ?? []).length > 0) {
    out.push('**Figures** (from the report, `figures/`):');
    out.push('');
    for (const fig of f.figures) out.push(`![${fig.replace(/^.*\//, '').replace(/\.svg$/, '')}](${fig})`);
    out.push('');
  }
  const reading = [...(entry.notes ?? [])];
  if (rows.length > 0) {
    const off = rows.filter((r) => !r.within && !r.excluded);
    const counted = rows.filter((r) => !r.excluded);
    if (counted.length > 0) reading.unshift(off.length === 0 ? 'Every published number that counts is matched within its tolerance.' : `Not matched: ${off.map((r) => `${r.label} (study ${r.theirs}, bnx ${r.bnx})`).join('; ')}.`);
  }
  if (reading.length > 0) {
    out.push('**Reading.**');
    out.push('');
    for (const r of reading) out.push(`- ${r}`);
    out.push('');
  }
  return out.join('\n');
}
