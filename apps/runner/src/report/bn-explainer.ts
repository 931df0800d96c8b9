// The plain-language section: what batch normalization does, each statement tied to the measurement in
// this report that bears on it, or saying plainly that this experiment does not measure it.
import { type ClaimVerdict, type ResultsFile } from '@bnx/metrics';
import { variantOrder } from './report-charts.js';
import { headlineComparisons } from './report-tables.js';
import { claimVerdictText, comparisonSentence, type ShownStatus } from './wording.js';

export interface ExplainerItem {
  statement: string;
  /** What this report measured about it, in words. */
  evidence: string;
  /** Anchor of the section holding that measurement; null when nothing here measures it. */
  link: string | null;
  /** supported / contradicted / inconclusive / not_shown, or 'not_measured'. */
  status: ShownStatus;
}

function claim(results: ResultsFile, id: string): ClaimVerdict | undefined {
  return results.claims?.find((c) => c.claim === id);
}

function fromClaim(c: ClaimVerdict | undefined, statement: string, link: string, missing: string, names: readonly string[]): ExplainerItem {
  if (!c) return { statement, evidence: missing, link: null, status: 'not_measured' };
  return { statement, evidence: claimVerdictText(c, names), link, status: c.status };
}

export function explainBatchNorm(results: ResultsFile): ExplainerItem[] {
  const hasBn = results.variants?.some((v) => v.batchnorm) ?? true;
  const gap = headlineComparisons(results)[0];
  const names = variantOrder(results);
  const items: ExplainerItem[] = [
    fromClaim(
      claim(results, 'activation_stability'),
      'During training, a batch-normalization layer normalizes each feature (each channel after a convolution) with the mean and variance of the current mini-batch, so the next layer sees inputs with a steady distribution while the weights before it change.',
      '#figure-1',
      'This experiment does not probe activations; add `probe: activations(layer: last_hidden, point: pre_activation, percentiles: [15, 50, 85])` to measure how stable the distribution stays.',
      names,
    ),
    {
      statement:
        'A learnable scale (gamma) and shift (beta) follow the normalization, so the layer can still represent any mean and spread it needs; normalization does not cap what the network can express.',
      evidence: gap
        ? `The final accuracy comparison bears on it. ${comparisonSentence(results, gap)} A normalized network that reaches at least the baseline's accuracy lost nothing it needed.`
        : 'No accuracy comparison between a normalized and an unnormalized variant is available here.',
      link: gap ? '#comparisons' : null,
      status: 'context',
    },
    {
      statement:
        'At inference the layer uses running averages of the batch statistics collected during training, so a prediction does not depend on the other samples in its batch. Validation and test numbers in this report are computed that way.',
      evidence: (() => {
        const small = claim(results, 'small_batch_degradation');
        if (small)
          return `Running statistics are only as good as the batch statistics they average; with small batches those are noisy. ${claimVerdictText(small, names)}`;
        return 'Every validation and test number below comes from inference mode (running statistics). Sweep `batch` down to 2 or 4 to see how noisy batch statistics affect them.';
      })(),
      link: claim(results, 'small_batch_degradation')
        ? '#claim-small-batch-degradation'
        : results.runs.some((r) => r.probes.bn_stats)
          ? '#bn-stats'
          : '#summary',
      status: claim(results, 'small_batch_degradation')?.status ?? 'context',
    },
    fromClaim(
      claim(results, 'faster_convergence'),
      'Normalized networks usually reach a given accuracy in fewer steps.',
      '#curves',
      'No target or common accuracy level could be measured here.',
      names,
    ),
    fromClaim(
      claim(results, 'higher_learning_rates'),
      'They tolerate larger learning rates without diverging.',
      '#sweeps',
      'This experiment does not sweep `lr`.',
      names,
    ),
    fromClaim(
      claim(results, 'init_sensitivity'),
      'They depend less on the scale of the initial weights.',
      '#sweeps',
      'This experiment does not sweep `init_scale`.',
      names,
    ),
    {
      statement: 'The extra work costs time per step: statistics in the forward pass and their gradients in the backward pass.',
      evidence: 'The step-time section measures that overhead on this backend and device.',
      link: '#step-time',
      status: 'context',
    },
  ];
  return hasBn ? items : items.slice(0, 3);
}
