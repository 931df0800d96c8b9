// The first section of the report: every claim the data decided, the main comparison, then what could not
// be decided and why. Built once as plain text and links; the HTML and Markdown reports render it.
import { CLAIMS, CLAIM_IDS, isClaimId, type ClaimId } from '@bnx/ir';
import { timeToTarget, type ResultsFile } from '@bnx/metrics';
import { slug, variantOrder } from './report-charts.js';
import { headlineComparisons, timeToTargetTable, typicalSeedCount } from './report-tables.js';
import {
  claimLeadText,
  comparisonSentence,
  isDecided,
  missingRunsSentence,
  notTestedSentence,
  STATUS_LABEL,
  targetReachSentence,
  undecidedSentence,
  type ShownStatus,
} from './wording.js';

export interface LeadLink {
  href: string;
  label: string;
}

export interface FigureLink extends LeadLink {
  /** The link in a sentence: "the learning curves". */
  see: string;
}

export interface LeadItem {
  /** The claim's id, for claims. */
  claim?: string;
  status?: ShownStatus;
  /** The claim, as a heading: "Batch normalization makes training converge faster". */
  title?: string;
  text: string;
  links: LeadLink[];
}

export interface Lead {
  decided: LeadItem[];
  /** Label of the compared metric: "final validation accuracy". */
  comparisonMetric: string | null;
  comparisons: LeadItem[];
  /** Comparisons left out of the lead, found in the comparison table. */
  moreComparisons: number;
  undecided: LeadItem[];
}

/** The figure that shows each claim's evidence (its full verdict is at #claim-<id>). */
export const CLAIM_FIGURE: Record<ClaimId, FigureLink | null> = {
  faster_convergence: { href: '#curves', label: 'learning curves', see: 'the learning curves' },
  activation_stability: { href: '#figure-1', label: 'Figure 1', see: 'Figure 1' },
  higher_learning_rates: { href: `#sweep-${slug('lr')}`, label: 'learning-rate sweep', see: 'the learning-rate sweep' },
  init_sensitivity: { href: `#sweep-${slug('init_scale')}`, label: 'initialization sweep', see: 'the initialization sweep' },
  small_batch_degradation: { href: `#sweep-${slug('batch')}`, label: 'batch-size sweep', see: 'the batch-size sweep' },
  deeper_networks: { href: `#sweep-${slug('depth')}`, label: 'depth sweep', see: 'the depth sweep' },
  regularization: { href: '#curves', label: 'learning curves', see: 'the learning curves (training against evaluation loss)' },
  smoother_optimization: { href: '#gradients', label: 'gradient norms', see: 'the gradient norms per layer' },
  train_inference_gap: { href: '#curves', label: 'learning curves', see: 'the learning curves (training against evaluation accuracy)' },
  step_cost: { href: '#step-time', label: 'step time', see: 'the step time' },
};

/** The figure of a claim id read from a results file (which may come from another bnx version). */
export function claimFigure(id: string): FigureLink | null {
  return isClaimId(id) ? CLAIM_FIGURE[id] : null;
}

/** Comparisons the lead states one by one; more are in the table. */
const LEAD_COMPARISONS = 6;

export function buildLead(results: ResultsFile): Lead {
  const claims = results.claims ?? [];
  const seeds = typicalSeedCount(results);
  const names = variantOrder(results);
  const claimLinks = (id: string): LeadLink[] => [{ href: `#claim-${slug(id)}`, label: 'details' }, ...(claimFigure(id) ? [claimFigure(id)!] : [])];

  const decided = claims
    .filter((c) => isDecided(c.status))
    .map((c) => ({ claim: c.claim, status: c.status, title: c.title, text: claimLeadText(c, names), links: claimLinks(c.claim) }));

  const headline = headlineComparisons(results);
  const comparisons = headline.slice(0, LEAD_COMPARISONS).map((c) => ({
    text: comparisonSentence(results, c),
    links: [
      { href: '#comparisons', label: 'table' },
      { href: '#curves', label: 'curves' },
    ],
  }));

  const undecided: LeadItem[] = claims
    .filter((c) => !isDecided(c.status) && c.status !== 'not_applicable')
    .map((c) => ({ claim: c.claim, status: c.status, title: c.title, text: undecidedSentence(c, names), links: claimLinks(c.claim) }));
  const hasPair = (results.variants?.some((v) => v.batchnorm) ?? false) && (results.variants?.some((v) => !v.batchnorm) ?? false);
  // Only the claims tested by default are "missing" from an experiment that declared none; a declaration is the whole family.
  const untested = results.declared_claims ? [] : CLAIM_IDS.filter((id) => CLAIMS[id].byDefault && !claims.some((c) => c.claim === id));
  if (hasPair && untested.length > 0 && results.runs.length > 0)
    undecided.push({ text: notTestedSentence(untested), links: [{ href: '#what-bn-does', label: 'what batch normalization does' }] });
  const interrupted = results.runs.filter((r) => r.status === 'interrupted').length;
  const failed = results.runs.filter((r) => r.status === 'failed').length;
  if (interrupted + failed > 0)
    undecided.push({ text: missingRunsSentence({ interrupted, failed }, results.runs.length), links: [{ href: '#runs', label: 'runs' }] });
  if (results.target && results.runs.length > 0) {
    const reached = results.runs.filter((r) => timeToTarget(r, results.target!) !== null).length;
    if (reached < results.runs.length)
      undecided.push({
        text: targetReachSentence(results.target, reached, results.runs.length),
        links: timeToTargetTable(results) ? [{ href: '#time-to-target', label: 'time to target' }] : [{ href: '#summary', label: 'summary' }],
      });
  }

  const metric = headline[0]?.metric;
  return {
    decided,
    comparisonMetric: metric ? `final ${metric === 'val_accuracy' ? 'validation' : 'test'} accuracy` : null,
    comparisons,
    moreComparisons: Math.max(0, headline.length - LEAD_COMPARISONS),
    undecided,
  };
}

/** The lead as plain lines, for the terminal summary of `bnx run`: the same sentences as the report. */
export function leadLines(lead: Lead): string[] {
  const claim = (i: LeadItem) => `${i.status ? `${STATUS_LABEL[i.status]}: ` : ''}${i.title ? `${i.title}. ` : ''}${i.text}`;
  return [...lead.decided.map(claim), ...lead.comparisons.map((i) => i.text), ...lead.undecided.filter((i) => i.claim).map(claim)];
}
