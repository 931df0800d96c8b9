import { describe, expect, it } from 'vitest';
import type { ClaimVerdict, Comparison } from '@bnx/metrics';
import { syntheticResults } from '../results/testing/synthetic-results.js';
import { buildLead } from './lead-section.js';
import { renderHtmlReport } from './html-report.js';
import { comparisonTable } from './report-tables.js';
import { claimLeadText, claimVerdictText, comparisonOutcomeText, comparisonSentence, sentenceCase, tidy, withoutStatusWord } from './wording.js';

const claim = (over: Partial<ClaimVerdict>): ClaimVerdict => ({ claim: 'faster_convergence', title: 'Batch normalization makes training converge faster', status: 'supported', verdict: '', evidence: {}, ...over });

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
    expect(withoutStatusWord('inconclusive (too few seeds to test) for reaching val accuracy >= 90.0%')).toBe('too few seeds to test for reaching val accuracy >= 90.0%');
    const text = claimVerdictText(claim({ status: 'inconclusive', verdict: 'inconclusive: some runs were evaluated only 1 time; set `eval_every` to a few hundred steps.' }));
    expect(text).toBe('Some runs were evaluated only 1 time; set `eval_every` to a few hundred steps.');
    expect(text.toLowerCase()).not.toContain('inconclusive');
  });
  it('leads with the first sentence and the numbers of the next, and the p that decided it', () => {
    const c = claim({ verdict: 'batchnorm reached val accuracy >= 97.0% sooner. batchnorm at step 460 (5/5 seeds), baseline at step 980 (5/5 seeds); batchnorm reached the target sooner than baseline: -520 steps, 95% CI [-655, -385], 5 seeds each, p < 0.001.' });
    expect(claimLeadText(c)).toBe('Batchnorm reached validation accuracy ≥ 97.0% sooner. Batchnorm at step 460 (5/5 seeds), baseline at step 980 (5/5 seeds); p < 0.001.');
    // Variant names keep their declared spelling at the start of a sentence.
    expect(claimLeadText(c, ['baseline', 'batchnorm'])).toBe('batchnorm reached validation accuracy ≥ 97.0% sooner. batchnorm at step 460 (5/5 seeds), baseline at step 980 (5/5 seeds); p < 0.001.');
  });
  it('shows an adjusted p-value and the test when the results carry them', () => {
    const c = { ...claim({ verdict: 'batchnorm reached it sooner: p = 0.004.' }), p_adjusted: 0.012, method: 'log-rank' } as ClaimVerdict;
    expect(claimVerdictText(c)).toBe('Batchnorm reached it sooner: p = 0.004. (test: log-rank; Holm-adjusted p = 0.012 across the claims.)');
  });
});

describe('comparisons', () => {
  const results = syntheticResults({ seeds: [1, 2, 3], batches: [64] });
  const accuracy = results.comparisons.find((c) => c.metric === 'val_accuracy')!;
  it('says the means, the finding and its numbers in one sentence', () => {
    const s = comparisonSentence(results, accuracy);
    expect(s).toMatch(/^At batch 64, validation accuracy was \d+\.\d% for batchnorm and \d+\.\d% for baseline: batchnorm higher by \d+\.\d points \(95% CI \d+\.\d to \d+\.\d, p [<=] [\d.]+, 3 seeds each\)\.$/);
  });
  it('says "no detectable difference" once, and why a comparison could not be made', () => {
    const none: Comparison = { ...accuracy, outcome: 'no_difference', difference: 0.003, ci95: [-0.0001, 0.006], p_value: 0.06, verdict: 'no detectable difference in validation accuracy (+0.3 points)' };
    const s = comparisonSentence(results, none);
    expect(s).toContain(': no detectable difference (+0.3 points, 95% CI 0.0 to 0.6, p = 0.060, 3 seeds each).');
    expect(s.match(/difference/g)).toHaveLength(1);
    const cannot: Comparison = { ...accuracy, outcome: 'inconclusive', verdict: 'inconclusive at batch 64: 1 seed' };
    expect(comparisonOutcomeText(cannot)).toBe('cannot tell: 1 seed');
  });
  it('adds q-value and adjusted p columns only when the results carry them', () => {
    expect(comparisonTable(results).headers).not.toContain('q');
    const withQ = { ...results, comparisons: results.comparisons.map((c, i) => ({ ...c, q_value: 0.01 * (i + 1), p_adjusted: 0.02 })) };
    const t = comparisonTable(withQ);
    expect(t.headers).toEqual(expect.arrayContaining(['q', 'Adjusted p']));
    expect(t.rows[0]![t.headers.indexOf('q')]).toBe('0.010');
    expect(comparisonSentence(withQ, withQ.comparisons[0]!)).toContain('q = 0.010');
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
