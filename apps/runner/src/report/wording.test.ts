import { describe, expect, it } from 'vitest';
import type { ClaimVerdict, Comparison } from '@bnx/metrics';
import { syntheticResults } from '../results/testing/synthetic-results.js';
import { buildLead } from './lead-section.js';
import { renderHtmlReport } from './html-report.js';
import { comparisonTable } from './report-tables.js';
import {
  claimLeadText,
  claimVerdictText,
  comparisonOutcomeText,
  comparisonSentence,
  sentenceCase,
  tidy,
  undecidedSentence,
  withoutStatusWord,
} from './wording.js';

const claim = (over: Partial<ClaimVerdict>): ClaimVerdict => ({
  claim: 'faster_convergence',
  title: 'Batch normalization makes training converge faster',
  status: 'supported',
  verdict: '',
  evidence: {},
  ...over,
});

describe('tidy', () => {
  it('writes every number the same way: no exponents, no negative zero', () => {
    expect(tidy('difference -0.0072, 95% CI [-0.0153, 9.12e-4]')).toBe('Difference -0.0072, 95% CI [-0.0153, 0.0009].');
    expect(tidy('+0.3 points, 95% CI [-0.0, 0.6]')).toBe('+0.3 points, 95% CI [0.0, 0.6].');
    expect(tidy('change -0.05 points')).toBe('Change -0.05 points.');
  });
  it('drops doubled phrases and uses words for names and operators', () => {
    expect(tidy('difference no detectable difference in activation drift')).toBe('No detectable difference in activation drift.');
    expect(tidy('reached val accuracy >= 97.0% sooner')).toBe('Reached validation accuracy ≥ 97.0% sooner.');
  });
  it('starts every sentence with a capital, except a setting and its value', () => {
    expect(sentenceCase('sooner. at batch 32: fine. lr 0.1: too high')).toBe('Sooner. At batch 32: fine. lr 0.1: too high');
  });
});

describe('claims', () => {
  it('never repeats the status word beside the status', () => {
    expect(withoutStatusWord('inconclusive: fewer than 2 finished seeds in some group')).toBe('fewer than 2 finished seeds in some group');
    expect(withoutStatusWord('inconclusive at batch 32: 1 seed')).toBe('at batch 32: 1 seed');
    expect(withoutStatusWord('inconclusive (too few seeds to test) for reaching val accuracy >= 90.0%')).toBe(
      'too few seeds to test for reaching val accuracy >= 90.0%',
    );
    const text = claimVerdictText(
      claim({ status: 'inconclusive', verdict: 'inconclusive: some runs were evaluated only 1 time; set `eval_every` to a few hundred steps.' }),
    );
    expect(text).toBe('Some runs were evaluated only 1 time; set `eval_every` to a few hundred steps.');
    expect(text.toLowerCase()).not.toContain('inconclusive');
  });
  it('builds a claim from its fields, never from the verdict text', () => {
    const names = ['baseline', 'batchnorm'];
    const c = claim({
      verdict: 'TERMINAL TEXT',
      finding: 'batchnorm converged faster',
      observed: 'batchnorm median 460 steps, 95% CI [400, 520] (5/5 runs reached it), baseline median 980 steps, 95% CI [900, 1100] (5/5 runs reached it)',
      test: 'log_rank_exact',
      n_seeds: 5,
      p_value: 0.0079,
      p_adjusted: 0.016,
      untested_reason: null,
      smallest_possible_p: 0.0079,
    });
    expect(claimLeadText(c, names)).toBe(
      'batchnorm converged faster. batchnorm median 460 steps, 95% CI [400, 520] (5/5 runs reached it), baseline median 980 steps, 95% CI [900, 1100] (5/5 runs reached it); exact log-rank test over 5 seeds, p = 0.008, Holm-adjusted across the claims p = 0.016.',
    );
    expect(claimVerdictText(c, names)).not.toContain('TERMINAL');
  });
  it('says when too few seeds make a claim undecidable, and what a not-shown test could have seen', () => {
    const few = claim({
      status: 'inconclusive',
      verdict: 'x',
      observed: 'relative drift: baseline 0.81, batchnorm 0.09',
      test: 'sign_flip_exact',
      n_seeds: 3,
      p_value: 0.25,
      p_adjusted: 0.5,
      untested_reason: null,
      smallest_possible_p: 0.25,
    });
    expect(undecidedSentence(few, ['baseline', 'batchnorm'])).toBe(
      'With 3 seeds the exact sign-flip test cannot go below p = 0.25, so this cannot be decided; 5 seeds would let the paired t-test decide.',
    );
    expect(claimVerdictText(few, ['baseline', 'batchnorm'])).toContain(
      'Observed relative drift: baseline 0.81, batchnorm 0.09; exact sign-flip test over 3 seeds, p = 0.250',
    );
    const coarse = claim({
      status: 'inconclusive',
      verdict: 'x',
      observed: 'n/a',
      test: 'none',
      p_value: null,
      p_adjusted: null,
      untested_reason: 'some runs were evaluated only 1 time; set `eval_every` to a few hundred steps',
      smallest_possible_p: 1,
    });
    expect(undecidedSentence(coarse)).toBe('Some runs were evaluated only 1 time; set `eval_every` to a few hundred steps.');
    const notShown = claim({
      status: 'not_shown',
      verdict: 'x',
      finding: 'no detectable difference in speed of convergence',
      observed: 'mean validation accuracy over steps 100-900: baseline 91.0%, batchnorm 91.2%',
      test: 'paired_t',
      n_seeds: 6,
      p_value: 0.4,
      p_adjusted: 0.8,
      untested_reason: null,
      smallest_possible_p: 0,
      detectable_effect: 'it could have detected a mean per-seed difference of about +0.9 points (80% power, p < 0.05)',
    });
    expect(undecidedSentence(notShown)).toBe(
      'No detectable difference in speed of convergence. Mean validation accuracy over steps 100-900: baseline 91.0%, batchnorm 91.2%; paired t-test over 6 seeds, p = 0.400, Holm-adjusted across the claims p = 0.800. It could have detected a mean per-seed difference of about +0.9 points (80% power, p < 0.05).',
    );
  });
  it('tidies the verdict of a /1 claim, which has no fields to build from', () => {
    const old = claim({ verdict: 'batchnorm reached val accuracy >= 97.0% sooner: p = 0.004.' });
    expect(claimVerdictText(old)).toBe('Batchnorm reached validation accuracy ≥ 97.0% sooner: p = 0.004.');
  });
});

describe('comparisons', () => {
  const three = syntheticResults({ seeds: [1, 2, 3], batches: [64] });
  const five = syntheticResults({ seeds: [1, 2, 3, 4, 5], batches: [64] });
  const accuracy = (r: typeof five) => r.comparisons.find((c) => c.metric === 'val_accuracy')!;
  it('says the means, the finding, the test, p and q in one sentence', () => {
    const s = comparisonSentence(five, accuracy(five));
    expect(s).toMatch(
      /^At batch 64, validation accuracy was \d+\.\d% for batchnorm and \d+\.\d% for baseline: batchnorm higher by \d+\.\d points \(95% CI \d+\.\d to \d+\.\d; paired t-test over 5 seeds, p [<=] [\d.]+, q [<=] [\d.]+\)\.$/,
    );
  });
  it('says once, in words, that 3 seeds cannot decide, with the floor of the exact test', () => {
    const c = accuracy(three);
    expect(c.outcome).toBe('inconclusive');
    const s = comparisonSentence(three, c);
    expect(s).toMatch(/: cannot tell \(\+\d\.\d points, 95% CI \d\.\d to \d\.\d\): with 3 seeds the exact sign-flip test cannot go below p = 0\.25\.$/);
    expect(s.match(/validation accuracy/g)).toHaveLength(1);
    expect(comparisonOutcomeText(c)).toBe('cannot tell: with 3 seeds the exact sign-flip test cannot go below p = 0.25');
  });
  it('says "no detectable difference" once, and why a comparison could not be made', () => {
    const none: Comparison = {
      ...accuracy(five),
      outcome: 'no_difference',
      difference: 0.003,
      ci95: [-0.0001, 0.006],
      p_value: 0.06,
      q_value: 0.25,
      verdict: 'no detectable difference in validation accuracy (+0.3 points)',
    };
    const s = comparisonSentence(five, none);
    expect(s).toContain(': no detectable difference (+0.3 points, 95% CI 0.0 to 0.6; paired t-test over 5 seeds, p = 0.060, q = 0.250).');
    expect(s.match(/difference/g)).toHaveLength(1);
    const cannot: Comparison = {
      ...accuracy(five),
      outcome: 'inconclusive',
      p_value: null,
      q_value: null,
      test: 'none',
      n_a: 1,
      n_b: 5,
      n_pairs: 1,
      verdict: 'inconclusive at batch 64: 1 seed',
    };
    expect(comparisonOutcomeText(cannot)).toBe('cannot tell: only 1 seed with a value for baseline');
  });
  it('names the test in the table, with q for a /2 file and Welch with its rank test for a /1 file', () => {
    const t = comparisonTable(five);
    expect(t.headers).toEqual(expect.arrayContaining(['Test', 'p', 'q']));
    expect(t.headers).not.toContain('Rank test p');
    expect(t.rows[0]![t.headers.indexOf('Test')]).toBe('Paired t');
    const old = {
      ...five,
      schema: 'bnx.results/1' as const,
      comparisons: five.comparisons.map(({ q_value: _q, test: _t, n_pairs: _n, smallest_possible_p: _s, ...c }) => c),
    };
    const o = comparisonTable(old);
    expect(o.headers).not.toContain('q');
    expect(o.headers).toContain('Rank test p');
    expect(o.rows[0]![o.headers.indexOf('Test')]).toBe('Welch (unpaired)');
  });
});

describe('the lead', () => {
  const results = syntheticResults({ divergeBaselineAtLargestBatch: true });
  const lead = buildLead(results);
  it('states every decided claim and only those, each with links to its evidence', () => {
    const decided = results.claims!.filter((c) => c.status === 'supported' || c.status === 'contradicted').map((c) => c.claim);
    expect(lead.decided.map((d) => d.claim)).toEqual(decided);
    for (const d of lead.decided) expect(d.links.map((l) => l.href)).toContain(`#claim-${d.claim!.replace(/_/g, '-')}`);
  });
  it('says what could not be decided, and why', () => {
    const open = results.claims!.filter((c) => c.status === 'not_shown' || c.status === 'inconclusive').map((c) => c.claim);
    expect(lead.undecided.filter((u) => u.claim).map((u) => u.claim)).toEqual(open);
    expect(lead.undecided.map((u) => u.text).join(' ')).toMatch(/Not tested by this experiment: .*a sweep of `lr`/);
    expect(lead.undecided.map((u) => u.text).join(' ')).toMatch(/reached by 17 of 18 runs/);
  });
  it('comes first in the page', () => {
    const html = renderHtmlReport(results);
    expect(html.indexOf('<h2')).toBe(html.indexOf('<h2>Findings</h2>'));
    expect(html).not.toMatch(/inconclusive inconclusive|difference no detectable difference|\(n=\d+\)|\d\.\d+e-\d|T\d\d:\d\d:\d\d/i);
  });
});
