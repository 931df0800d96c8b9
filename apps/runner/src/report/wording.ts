// Every sentence the report says about a claim or a comparison, in one place: status words, the tidying of
// the verdict text that @bnx/metrics writes, and the sentences composed from a comparison's numbers. When
// the results schema gains or renames fields (adjusted p-values, q-values, the test used), adapt here.
import { describeParams, formatMetricValue, formatP, metricInfo, unitSuffix, type ClaimStatus, type ClaimVerdict, type Comparison, type ResultsFile, type TestName } from '@bnx/metrics';

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
// Statistics that results.json /2 carries and /1 files lack: shown when present.

/** The Holm-adjusted p-value of a claim (results.json /2; absent in /1 files). */
export function adjustedP(o: ClaimVerdict | Comparison): number | null {
  const p = (o as ClaimVerdict).p_adjusted;
  return typeof p === 'number' && Number.isFinite(p) ? p : null;
}

/** The Benjamini-Hochberg q-value of a comparison (results.json /2; absent in /1 files). */
export function qValue(c: Comparison): number | null {
  return typeof c.q_value === 'number' && Number.isFinite(c.q_value) ? c.q_value : null;
}

/** How the tests are named for a reader; the ids are those of docs/statistics.md. */
const TEST_WORDS: Record<TestName, string | null> = {
  paired_t: 'paired t',
  sign_flip_exact: 'exact sign-flip',
  welch: 'Welch (unpaired)',
  permutation_exact: 'exact permutation (unpaired)',
  log_rank: 'log-rank',
  log_rank_exact: 'exact log-rank',
  none: null,
};

/** The test that produced a p-value, in words, when the results say (results.json /2). */
export function testMethod(o: ClaimVerdict | Comparison): string | null {
  return o.test === undefined ? null : TEST_WORDS[o.test];
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
 * 9.12e-4 as 0.0009: one notation for every number in a sentence, with the four decimals @bnx/metrics
 * gives other small values (an interval reads [-0.0153, 0.0009], not [-0.0153, 9.12e-4]).
 */
function plainNumber(match: string): string {
  const v = Number(match);
  if (!Number.isFinite(v)) return match;
  const abs = Math.abs(v);
  if (abs >= 1e5) return v.toLocaleString('en-US', { maximumFractionDigits: 0, useGrouping: false });
  return abs >= 5e-5 ? v.toFixed(4) : v.toLocaleString('en-US', { maximumSignificantDigits: 2, useGrouping: false });
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

/** The full verdict of a claim, as shown beside its status; `names` are the variants, never capitalized. */
export function claimVerdictText(c: ClaimVerdict, names: readonly string[] = []): string {
  const adjusted = adjustedP(c);
  const method = testMethod(c);
  const extra = [method ? `test: ${method}` : null, adjusted !== null ? `Holm-adjusted ${formatP(adjusted)} across the claims` : null].filter(Boolean);
  return tidy(withoutStatusWord(c.verdict), names) + (extra.length > 0 ? ` (${extra.join('; ')}.)` : '');
}

function sentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+(?=[A-Za-z])/);
}

/**
 * The claim in a sentence or two for the lead: the verdict's first sentence and, when there is one, the
 * first clause of the next (where it holds the measured numbers, e.g. the steps each variant needed).
 */
export function claimLeadText(c: ClaimVerdict, names: readonly string[] = []): string {
  const all = sentences(claimVerdictText(c, names));
  const first = all[0] ?? '';
  if (all.length < 2) return first;
  const [clause, ...rest] = all[1]!.split(/;\s*/);
  // The test that decided it, when the rest of that sentence gives one.
  const p = rest.join('; ').match(/\bp (?:<|=) \d+(?:\.\d+)?/)?.[0];
  return `${first} ${clause!.replace(/[.!?]?$/, '')}${p ? `; ${p}` : ''}.`;
}

// ---------------------------------------------------------------------------------------------------------
// Comparisons, written from their numbers.

function interval(metric: string, ci: [number, number]): string {
  return tidy(`${formatMetricValue(metric, ci[0])} to ${formatMetricValue(metric, ci[1])}`).replace(/\.$/, '');
}

function seedsPhrase(c: Comparison): string {
  return c.n_a === c.n_b ? `${c.n_a} seed${c.n_a === 1 ? '' : 's'} each` : `${c.n_b} and ${c.n_a} seeds`;
}

/** The numbers of a comparison in one parenthesis: difference (unless the sentence gave it), interval, p (adjusted, q), seeds. */
export function comparisonNumbers(c: Comparison, withDifference = true): string {
  const parts: string[] = [];
  if (c.difference !== null && withDifference) parts.push(`${tidy(formatMetricValue(c.metric, c.difference, true)).replace(/\.$/, '')}${unitSuffix(c.metric)}`);
  if (c.ci95) parts.push(`95% CI ${interval(c.metric, c.ci95)}`);
  if (c.p_value !== null) parts.push(formatP(c.p_value));
  const q = qValue(c);
  if (q !== null) parts.push(`q = ${pCell(q)}`);
  parts.push(seedsPhrase(c));
  return parts.join(', ');
}

/** What was found, in a few words: the verdict column of the comparison table. */
export function comparisonOutcomeText(c: Comparison): string {
  const info = metricInfo(c.metric);
  const timing = c.metric === 'steps_to_target' || c.metric === 'seconds_to_target';
  switch (c.outcome) {
    case 'b_higher':
      return timing ? `${c.b} later` : `${c.b} higher`;
    case 'b_lower':
      return timing ? `${c.b} sooner` : `${c.b} lower`;
    case 'no_difference':
      return 'no detectable difference';
    case 'inconclusive': {
      const reason = withoutStatusWord(c.verdict).replace(/^[^:]*:\s*/, '');
      return `cannot tell: ${reason || `too few values of ${info.label}`}`;
    }
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
 * and 93.8% for baseline: batchnorm higher by 2.4 points (95% CI 1.9 to 2.9, p < 0.001, 3 seeds each)."
 */
export function comparisonSentence(results: ResultsFile, c: Comparison): string {
  const info = metricInfo(c.metric);
  const where = describeParams(c.params);
  const head = `${where ? `At ${where}, ` : ''}${info.label} was ${meanText(results, c, c.b)} and ${meanText(results, c, c.a)}`;
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
    case 'inconclusive':
      finding = comparisonOutcomeText(c);
      break;
  }
  return tidy(`${head}: ${finding}`, [c.a, c.b]);
}

/** Why a claim that was not decided could not be: the first sentence of its verdict. */
export function undecidedReason(c: ClaimVerdict, names: readonly string[] = []): string {
  return sentences(claimVerdictText(c, names))[0] ?? '';
}

// ---------------------------------------------------------------------------------------------------------
// What the lead says about what could not be decided.

/** What each claim needs from an experiment, for "not tested here". */
export const CLAIM_NEEDS: Record<string, { topic: string; needs: string }> = {
  faster_convergence: { topic: 'faster convergence', needs: 'a `target:` and several evaluations per run' },
  activation_stability: { topic: 'stable activation distributions', needs: 'an activations probe' },
  higher_learning_rates: { topic: 'tolerance of higher learning rates', needs: 'a sweep of `lr`' },
  init_sensitivity: { topic: 'less sensitivity to initialization', needs: 'a sweep of `init_scale`' },
  small_batch_degradation: { topic: 'degradation at small batch sizes', needs: 'a sweep of `batch`' },
};

/** Why a claim was not decided, with what would decide it. */
export function undecidedSentence(c: ClaimVerdict, seeds: number, names: readonly string[] = []): string {
  const reason = undecidedReason(c, names);
  if (c.status === 'not_shown') return `${reason} With ${seeds} seed${seeds === 1 ? '' : 's'} a side, a smaller effect could go undetected; more seeds would narrow the intervals.`;
  return reason;
}

export function notTestedSentence(claimIds: string[]): string {
  const items = claimIds.map((id) => CLAIM_NEEDS[id]).filter((x) => x !== undefined);
  return `Not tested by this experiment: ${items.map((x) => `${x.topic} (needs ${x.needs})`).join('; ')}.`;
}

export function missingRunsSentence(counts: { interrupted: number; failed: number }, total: number): string {
  const parts = [counts.interrupted > 0 ? `${counts.interrupted} interrupted` : '', counts.failed > 0 ? `${counts.failed} failed` : ''].filter(Boolean);
  return `${parts.join(' and ')} of ${total} runs did not finish; the numbers above leave them out. Resume the experiment with \`bnx run --resume\` to complete it.`;
}

/** "The target (validation accuracy ≥ 97%) was reached by 7 of 10 runs within the training budget." */
export function targetReachSentence(target: NonNullable<ResultsFile['target']>, reached: number, total: number): string {
  const value = target.metric.endsWith('accuracy') ? `${Number((target.value * 100).toPrecision(4))}%` : String(target.value);
  const what = tidy(`${metricInfo(target.metric).label} ${target.op} ${value}`).replace(/\.$/, '').toLowerCase();
  return `The declared target (${what}) was reached by ${reached} of ${total} runs within the training budget${reached < total ? '; the rest ran out of steps (or diverged) first, so times to the target are only over the runs that got there' : ''}.`;
}
