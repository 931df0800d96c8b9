// Fisher's exact test of a 2x2 table (e.g. diverged / not diverged × variant): exact for any counts, which
// matters because divergences are rare and a handful of runs is the usual sample.
import { logChoose } from './distributions.js';

/**
 * Two-sided p for the table [[a, b], [c, d]]: the total probability (hypergeometric, margins fixed) of every
 * table no more likely than the observed one, with scipy's relative tolerance of 1e-7 for ties.
 */
export function fisherExact(a: number, b: number, c: number, d: number): number {
  for (const x of [a, b, c, d]) if (!Number.isInteger(x) || x < 0) throw new RangeError(`a 2x2 table needs counts, got ${[a, b, c, d].join(', ')}`);
  const row1 = a + b;
  const col1 = a + c;
  const n = a + b + c + d;
  if (n === 0 || row1 === 0 || row1 === n || col1 === 0 || col1 === n) return 1;
  const logDenominator = logChoose(n, col1);
  const prob = (x: number) => Math.exp(logChoose(row1, x) + logChoose(n - row1, col1 - x) - logDenominator);
  const observed = prob(a);
  let p = 0;
  for (let x = Math.max(0, col1 - (n - row1)); x <= Math.min(row1, col1); x++) {
    const px = prob(x);
    if (px <= observed * (1 + 1e-7)) p += px;
  }
  return Math.min(1, p);
}
