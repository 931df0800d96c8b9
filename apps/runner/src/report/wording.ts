// Every sentence the report says about a claim or a comparison, in one place: status words, the tidying of
// the verdict text that @bnx/metrics writes, and the sentences composed from a comparison's numbers. When
// the results schema gains or renames fields (adjusted p-values, q-values, the test used), adapt here.
import { CLAIMS, type ClaimId } from '@bnx/ir';
import {
  describeParams,
  evaluationSplit,
  formatMetricValue,
  formatP,
  formatPlain,
  metricInfo,
  metricLabel,
  MIN_PAIRS_FOR_T,
  SIGNIFICANCE,
  unitSuffix,
  type ClaimStatus,
  type ClaimVerdict,
  type Comparison,
  type ResultsFile,
  type TestName,
} from '@bnx/metrics';

/** Statuses a claim can show in the report: the claim statuses, and the explainer's two of its own. */
export type ShownStatus = ClaimStatus | 'not_measured' | 'context';

/** The one word (or two) shown for a status: badges, the lead, the Markdown report. */
export const STATUS_LABEL: Record<ShownStatus, string> = {
  supported: 'Supported',
  contradicted: 'Contradicted',
  not_shown: 'Not shown',
  inconclusive: 'Inconclusive',
  not_applicable: 'Not applicable',
  not_measured: 'Not measured',
  context: 'Background',
};

/** A claim is decided when the data supported or contradicted it; the rest go under "not decided". */
export function isDecided(status: ClaimStatus): boolean {
  return status === 'supported' || status === 'contradicted';
}

// ---------------------------------------------------------------------------------------------------------
// The statistics of results.json /2 (absent in /1 files, whose comparisons were all Welch's test).

/** The Holm-adjusted p-value of a claim (results.json /2). */
export function adjustedP(c: ClaimVerdict): number | null {
  return typeof c.p_adjusted === 'number' && Number.isFinite(c.p_adjusted) ? c.p_adjusted : null;
}

/** The Benjamini-Hochberg q-value of a comparison (results.json /2). */
export function qValue(c: Comparison): number | null {
  return typeof c.q_value === 'number' && Number.isFinite(c.q_value) ? c.q_value : null;
}

/** How the tests of docs/statistics.md are named: in a table cell, and in a sentence. */
const TEST_WORDS: Record<Exclude<TestName, 'none'>, { cell: string; sentence: string; exact: boolean }> = {
  paired_t: { cell: 'Paired t', sentence: 'paired t-test', exact: false },
  sign_flip_exact: { cell: 'Exact sign-flip', sentence: 'exact sign-flip test', exact: true },
  welch: { cell: 'Welch (unpaired)', sentence: "Welch's t-test (unpaired)", exact: false },
  permutation_exact: { cell: 'Exact permutation (unpaired)', sentence: 'exact permutation test (unpaired)', exact: true },
  log_rank: { cell: 'Log-rank', sentence: 'log-rank test', exact: false },
  log_rank_exact: { cell: 'Exact log-rank', sentence: 'exact log-rank test', exact: true },
};

/** The test behind a comparison's p: as recorded, or Welch's for a /1 file (the only test bnx then used). */
function comparisonTest(c: Comparison): TestName {
  return c.test ?? (c.p_value !== null ? 'welch' : 'none');
}

/** The test of a comparison or claim for a table cell ("Paired t"); null when none ran or a /1 claim does not say. */
export function testMethod(o: ClaimVerdict | Comparison): string | null {
  const test = 'outcome' in o ? comparisonTest(o) : o.test;
  return test === undefined || test === 'none' ? null : TEST_WORDS[test].cell;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** 0.25, 0.125, 0.333: the floor of an exact test, as short as it is exact. */
function pFloor(p: number): string {
  return String(Number(p.toPrecision(3)));
}

/** "paired t-test over 5 seeds", "exact log-rank test, 3 runs each": the test and what it was computed over. */
function comparisonTestPhrase(c: Comparison): string | null {
  const test = comparisonTest(c);
  if (test === 'none') return null;
  const name = TEST_WORDS[test].sentence;
  if (test === 'paired_t' || test === 'sign_flip_exact') return `${name} over ${plural(c.n_pairs ?? Math.min(c.n_a, c.n_b), 'seed')}`;
  const unit = test === 'log_rank' || test === 'log_rank_exact' ? 'run' : 'seed';
  return `${name}, ${c.n_a === c.n_b ? `${plural(c.n_a, unit)} each` : `${c.n_b} and ${plural(c.n_a, unit)}`}`;
}

/**
 * Why a row the test could not decide is undecidable, when the sample is too small for it at all:
 * "with 3 seeds the exact sign-flip test cannot go below p = 0.25". Null when that is not the reason.
 */
function undecidableComparison(c: Comparison): string | null {
  const test = comparisonTest(c);
  if (test === 'none' || c.smallest_possible_p === undefined || c.smallest_possible_p < SIGNIFICANCE) return null;
  const n =
    test === 'sign_flip_exact'
      ? plural(c.n_pairs ?? 0, 'seed')
      : c.n_a === c.n_b
        ? `${plural(c.n_a, test === 'permutation_exact' ? 'seed' : 'run')} each`
        : `${c.n_b} and ${c.n_a}`;
  return `with ${n} the ${TEST_WORDS[test].sentence} cannot go below p = ${pFloor(c.smallest_possible_p)}`;
}

/** Why nothing was tested: too few values on a side, or no run reached the target. */
function untestedComparison(c: Comparison): string {
  if (c.metric === 'steps_to_target') return c.n_a === 0 || c.n_b === 0 ? `no evaluated run of ${c.n_a === 0 ? c.a : c.b}` : 'no run reached the target';
  const fewer = c.n_a <= c.n_b ? { n: c.n_a, variant: c.a } : { n: c.n_b, variant: c.b };
  return `only ${plural(fewer.n, 'seed')} with a value for ${fewer.variant}`;
}

/** "p = 0.012" without the leading "p": for table cells. */
export function pCell(p: number | null | undefined): string {
  return p === null || p === undefined || !Number.isFinite(p) ? 'n/a' : formatP(p).replace(/^p\s*=?\s*/, '');
}

/** Words for the settings experiments sweep most, for headers and axis titles; others read as written. */
const SETTING_WORDS: Record<string, string> = {
  lr: 'learning rate',
  batch: 'batch size',
  init_scale: 'initial weight scale',
  epochs: 'epochs',
  momentum: 'momentum',
  weight_decay: 'weight decay',
};

/** "learning rate (lr)": a swept setting in words, with its name in the file when that differs. */
export function settingName(key: string): string {
  const words = SETTING_WORDS[key];
  return words ? (words.replace(/ /g, '_') === key ? words : `${words} (${key})`) : key.replace(/_/g, ' ');
}

// ---------------------------------------------------------------------------------------------------------
// Tidying text written elsewhere.

/**
 * 9.12e-4 as 0.0009: one notation for every number in a sentence, @bnx/metrics' plain decimals (an interval
 * reads [-0.0153, 0.0009], not [-0.0153, 9.12e-4]), also for texts written before it used them.
 */
function plainNumber(match: string): string {
  const v = Number(match);
  return Number.isFinite(v) ? formatPlain(v) : match;
}

/**
 * Capitalizes the first letter of the text and of every sentence in it, except where a sentence starts with
 * a name that is spelled as declared (a variant in `names`), or with a setting and its value ("lr 0.1: ...").
 */
export function sentenceCase(text: string, names: readonly string[] = []): string {
  return text.replace(/(^\s*|[.!?]\s+)([a-z])(?![\w-]* -?[\d.]+:)/g, (match, lead: string, c: string, offset: number) => {
    const rest = text.slice(offset + lead.length);
    return names.some((n) => n.length > 0 && rest.startsWith(n) && !/[\w-]/.test(rest.charAt(n.length))) ? match : lead + c.toUpperCase();
  });
}

/**
 * Text from @bnx/metrics made consistent: plain decimals, no negative zero, words for metric names and
 * comparison operators, no doubled phrases, sentence case, a final full stop.
 */
export function tidy(text: string, names: readonly string[] = []): string {
  let t = text.trim();
  t = t.replace(/-?\d+(?:\.\d+)?e[+-]?\d+/gi, plainNumber);
  t = t.replace(/(^|[^\d.])-(0(?:\.0+)?)(?![\d.]*[1-9])/g, '$1$2');
  t = t.replace(/\bval accuracy\b/g, 'validation accuracy').replace(/\bval loss\b/g, 'validation loss');
  t = t.replace(/ >= /g, ' ≥ ').replace(/ <= /g, ' ≤ ');
  t = t.replace(/\bdifference no detectable difference\b/g, 'no detectable difference');
  t = t.replace(/\b(\w+) \1\b/g, (m, w: string) => (/^\d+$/.test(w) ? m : w));
  t = sentenceCase(t, names);
  if (!/[.!?]$/.test(t)) t += '.';
  return t;
}

/**
 * A verdict without a leading status word: shown beside its status badge, "inconclusive: 1 seed" would
 * read "Inconclusive inconclusive: 1 seed".
 */
export function withoutStatusWord(text: string): string {
  return text
    .replace(/^inconclusive \(([^)]*)\) for (.*)$/s, '$1 for $2')
    .replace(/^inconclusive( at [^:]+)?:\s*/s, (_, where: string | undefined) => (where ? `${where.trim()}: ` : ''))
    .replace(/^inconclusive\s+/s, '');
}

// ---------------------------------------------------------------------------------------------------------
// Claims, written from their fields: finding, observed numbers, test, p and Holm-adjusted p. A /1 file has
// none of these but the verdict text, which is then tidied instead.

/** Whether the claim carries the structured fields (results.json /2 from this bnx on). */
function structured(c: ClaimVerdict): c is ClaimVerdict & { observed: string } {
  return typeof c.observed === 'string' && c.test !== undefined;
}

/** "exact log-rank test over 3 seeds, p < 0.001, Holm-adjusted across the claims p = 0.002". */
function claimTestText(c: ClaimVerdict): string {
  if (c.test === undefined || c.test === 'none') return '';
  const seeds = c.n_seeds !== undefined ? ` over ${plural(c.n_seeds, 'seed')}` : '';
  const p = c.p_value !== null && c.p_value !== undefined ? `, ${formatP(c.p_value)}` : '';
  const adjusted = adjustedP(c);
  return `${TEST_WORDS[c.test].sentence}${seeds}${p}${adjusted !== null ? `, Holm-adjusted across the claims ${formatP(adjusted)}` : ''}`;
}

/** "With 3 seeds the exact sign-flip test cannot go below p = 0.25", when that is why the claim is undecided. */
function undecidableClaim(c: ClaimVerdict): string | null {
  if (c.status !== 'inconclusive' || c.test === undefined || c.test === 'none' || c.smallest_possible_p === undefined || c.smallest_possible_p < SIGNIFICANCE)
    return null;
  const seeds = c.n_seeds !== undefined ? `with ${plural(c.n_seeds, 'seed')} ` : '';
  const advice = c.test === 'sign_flip_exact' ? `; ${MIN_PAIRS_FOR_T} seeds would let the paired t-test decide` : '';
  return `${seeds}the ${TEST_WORDS[c.test].sentence} cannot go below p = ${pFloor(c.smallest_possible_p)}, so this cannot be decided${advice}`;
}

/** The full verdict of a claim, as shown beside its status; `names` are the variants, never capitalized. */
export function claimVerdictText(c: ClaimVerdict, names: readonly string[] = []): string {
  if (!structured(c)) return tidy(withoutStatusWord(c.verdict), names);
  const test = claimTestText(c);
  if (c.status === 'inconclusive') {
    const why = c.untested_reason ?? undecidableClaim(c) ?? 'nothing could be tested';
    return tidy(`${why}. Observed ${c.observed}${test && c.p_value !== null ? `; ${test}` : ''}`, names);
  }
  const detectable = c.status === 'not_shown' && c.detectable_effect ? `. ${c.detectable_effect}` : '';
  return tidy(`${c.finding ?? STATUS_LABEL[c.status]}. ${c.observed}${test ? `; ${test}` : ''}${detectable}`, names);
}

function sentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+(?=[A-Za-z])/);
}

/** The claim in a sentence for the lead: what was found, the numbers, and the test that decided it. */
export function claimLeadText(c: ClaimVerdict, names: readonly string[] = []): string {
  if (!structured(c)) return sentences(claimVerdictText(c, names))[0] ?? '';
  return claimVerdictText(c, names);
}

/** Why a claim was not decided, for the lead: the reason, or what was seen and what could have been. */
export function undecidedSentence(c: ClaimVerdict, names: readonly string[] = []): string {
  if (!structured(c)) return sentences(claimVerdictText(c, names))[0] ?? '';
  if (c.status === 'inconclusive') return tidy(c.untested_reason ?? undecidableClaim(c) ?? 'nothing could be tested', names);
  return claimVerdictText(c, names);
}

// ---------------------------------------------------------------------------------------------------------
// Comparisons, written from their numbers (never from the verdict text @bnx/metrics writes for the terminal).

function interval(metric: string, ci: [number, number]): string {
  return tidy(`${formatMetricValue(metric, ci[0])} to ${formatMetricValue(metric, ci[1])}`).replace(/\.$/, '');
}

function signedDifference(c: Comparison): string | null {
  return c.difference === null ? null : `${tidy(formatMetricValue(c.metric, c.difference, true)).replace(/\.$/, '')}${unitSuffix(c.metric)}`;
}

/** The estimate of a comparison: "+1.9 points, 95% CI 1.4 to 2.4" (the difference unless the sentence gave it). */
function estimateText(c: Comparison, withDifference: boolean): string {
  const parts: string[] = [];
  const difference = signedDifference(c);
  if (difference !== null && withDifference) parts.push(difference);
  if (c.ci95) parts.push(`95% CI ${interval(c.metric, c.ci95)}`);
  return parts.join(', ');
}

/** The test and its p-values: "paired t-test over 5 seeds, p = 0.001, q = 0.004". */
function testText(c: Comparison): string {
  const parts = [comparisonTestPhrase(c)];
  if (c.p_value !== null) parts.push(formatP(c.p_value));
  const q = qValue(c);
  if (q !== null) parts.push(formatP(q).replace(/^p/, 'q'));
  return parts.filter((x): x is string => x !== null).join(', ');
}

/** The numbers of a comparison in one parenthesis: estimate; test, p and q (the table's rows are exploratory: q decides). */
export function comparisonNumbers(c: Comparison, withDifference = true): string {
  return [estimateText(c, withDifference), testText(c)].filter((x) => x.length > 0).join('; ');
}

/** What was found, in a few words: the finding column of the comparison table. */
export function comparisonOutcomeText(c: Comparison): string {
  const timing = c.metric === 'steps_to_target' || c.metric === 'seconds_to_target';
  switch (c.outcome) {
    case 'b_higher':
      return timing ? `${c.b} later` : `${c.b} higher`;
    case 'b_lower':
      return timing ? `${c.b} sooner` : `${c.b} lower`;
    case 'no_difference':
      return 'no detectable difference';
    case 'inconclusive':
      return c.p_value === null ? `cannot tell: ${untestedComparison(c)}` : `cannot tell: ${undecidableComparison(c) ?? 'too few seeds'}`;
  }
}

/** A variant's mean of the compared metric at the comparison's sweep point, in words. */
function meanText(results: ResultsFile, c: Comparison, variant: string): string {
  const key = JSON.stringify(c.params);
  const entry = results.summary.find((s) => s.variant === variant && JSON.stringify(s.params) === key);
  const v = entry?.metrics[c.metric]?.mean ?? null;
  if (v === null) return entry && entry.diverged === entry.runs ? `nothing for ${variant} (all ${entry.runs} runs diverged)` : `no value for ${variant}`;
  return `${valueText(c.metric, v)} for ${variant}`;
}

function valueText(metric: string, v: number): string {
  return metricInfo(metric).unit === 'points' ? `${formatMetricValue(metric, v)}%` : `${formatMetricValue(metric, v)}${unitSuffix(metric)}`;
}

/**
 * One comparison as a sentence for the lead, e.g. "At batch 32, validation accuracy was 96.2% for batchnorm
 * and 93.8% for baseline: batchnorm higher by 2.4 points (95% CI 1.9 to 2.9; paired t-test over 5 seeds,
 * p < 0.001, q < 0.001)."
 */
export function comparisonSentence(results: ResultsFile, c: Comparison): string {
  const where = describeParams(c.params);
  const head = `${where ? `At ${where}, ` : ''}${metricLabel(c.metric, evaluationSplit(results.runs))} was ${meanText(results, c, c.b)} and ${meanText(results, c, c.a)}`;
  const size = c.difference === null ? '' : `${formatMetricValue(c.metric, Math.abs(c.difference))}${unitSuffix(c.metric)}`;
  let finding: string;
  switch (c.outcome) {
    case 'b_higher':
    case 'b_lower':
      finding = `${c.b} ${c.outcome === 'b_higher' ? 'higher' : 'lower'} by ${size} (${comparisonNumbers(c, false)})`;
      break;
    case 'no_difference':
      finding = `no detectable difference (${comparisonNumbers(c)})`;
      break;
    case 'inconclusive': {
      const estimate = estimateText(c, true);
      const undecidable = undecidableComparison(c);
      finding =
        c.p_value !== null && undecidable !== null
          ? `cannot tell${estimate ? ` (${estimate})` : ''}: ${undecidable}`
          : `cannot tell: ${c.p_value === null ? untestedComparison(c) : 'too few seeds'}`;
      break;
    }
  }
  return tidy(`${head}: ${finding}`, [c.a, c.b]);
}

// ---------------------------------------------------------------------------------------------------------
// What the lead says about what could not be decided.

/** "Not tested by this experiment: faster convergence (needs ...); ...", from the claim catalogue. */
export function notTestedSentence(claimIds: ClaimId[]): string {
  const items = claimIds.map((id) => CLAIMS[id]);
  return `Not tested by this experiment: ${items.map((x) => (x.needs ? `${x.topic} (needs ${x.needs})` : x.topic)).join('; ')}.`;
}

export function missingRunsSentence(counts: { interrupted: number; failed: number }, total: number): string {
  const parts = [counts.interrupted > 0 ? `${counts.interrupted} interrupted` : '', counts.failed > 0 ? `${counts.failed} failed` : ''].filter(Boolean);
  return `${parts.join(' and ')} of ${total} runs did not finish; the numbers above leave them out. Resume the experiment with \`bnx run --resume\` to complete it.`;
}

/**
 * "The declared target (validation accuracy ≥ 97%) was reached by 7 of 10 runs within the training budget; ..."
 * Runs that never reached it are censored at their last evaluation (docs/statistics.md, section 3), not left out.
 */
export function targetReachSentence(target: NonNullable<ResultsFile['target']>, reached: number, total: number): string {
  const value = target.metric.endsWith('accuracy') ? `${Number((target.value * 100).toPrecision(4))}%` : String(target.value);
  const what = tidy(`${metricInfo(target.metric).label} ${target.op} ${value}`)
    .replace(/\.$/, '')
    .toLowerCase();
  if (reached === 0)
    return `No run reached the declared target (${what}) within the training budget, so the time to reach it cannot be compared; train longer, or declare a target the runs can reach.`;
  return `The declared target (${what}) was reached by ${reached} of ${total} runs within the training budget; the others count as not having reached it by their last evaluation (censored), not as missing.`;
}

// ---------------------------------------------------------------------------------------------------------
// How the statistics were decided, before the claims and the comparison table (each followed by a link to
// the analysis plan). A /1 file kept with `--keep-statistics` was decided by older rules, and says so.

function decidedByOlderBnx(results: ResultsFile): boolean {
  return results.schema === 'bnx.results/1';
}

export function claimsIntro(results: ResultsFile): string {
  if (decidedByOlderBnx(results))
    return 'Decided by an older bnx (results schema bnx.results/1), without adjustment across the claims; `bnx report` without `--keep-statistics` decides them again by the current rules.';
  return 'Each claim is decided on an endpoint fixed before the data, by one test; the claims of an experiment are one family, so each status follows the Holm-adjusted p.';
}

export function comparisonsIntro(results: ResultsFile): string {
  if (decidedByOlderBnx(results))
    return "Computed by an older bnx (results schema bnx.results/1): Welch's test on unpaired seeds, each row called at p < 0.05 without adjustment; `bnx report` without `--keep-statistics` recomputes them by the current rules.";
  return `Exploratory: the mean per-seed difference with its 95% interval, by the paired t-test (the exact sign-flip test below ${MIN_PAIRS_FOR_T} seeds; Welch's test only where seeds cannot be paired; the log-rank test for steps to target). A finding is called when its Benjamini-Hochberg q-value over the whole table is below ${SIGNIFICANCE}.`;
}
