// The Mann-Whitney U (Wilcoxon rank-sum) test: exact for small samples without ties, the normal
// approximation with tie correction otherwise. It does not assume normality, which three seeds cannot show.
import { normalCdf } from './distributions.js';
import { finiteValues } from './sample-summary.js';

export interface MannWhitneyResult {
  /** U statistic of sample a: the number of pairs (a_i, b_j) with a_i > b_j, ties counting one half. */
  u: number;
  /** Two-sided p-value. */
  pValue: number;
  /** true: exact permutation distribution; false: normal approximation. */
  exact: boolean;
  nA: number;
  nB: number;
}

/** Largest combined size for which the exact distribution is computed (the count table stays small). */
const EXACT_LIMIT = 50;

/** Number of ways to get each U value for sizes m and n: counts[m][n][u], by the classic recurrence. */
function exactUDistribution(m: number, n: number): number[] {
  // f(m, n, u) = f(m - 1, n, u - n) + f(m, n - 1, u), with f(0, n, 0) = f(m, 0, 0) = 1.
  const table: number[][][] = [];
  for (let i = 0; i <= m; i++) {
    const row: number[][] = [];
    for (let j = 0; j <= n; j++) {
      if (i === 0 || j === 0) {
        row.push([1]);
        continue;
      }
      const size = i * j + 1;
      const counts = new Array<number>(size).fill(0);
      const fromA = table[i - 1]![j]!;
      const fromB = row[j - 1]!;
      for (let u = 0; u < size; u++) {
        counts[u] = (u - j >= 0 ? (fromA[u - j] ?? 0) : 0) + (fromB[u] ?? 0);
      }
      row.push(counts);
    }
    table.push(row);
  }
  return table[m]![n]!;
}

export function mannWhitney(a: readonly (number | null)[], b: readonly (number | null)[]): MannWhitneyResult | null {
  const xa = finiteValues(a);
  const xb = finiteValues(b);
  const m = xa.length;
  const n = xb.length;
  if (m === 0 || n === 0) return null;
  let u = 0;
  for (const x of xa) for (const y of xb) u += x > y ? 1 : x === y ? 0.5 : 0;

  const all = [...xa, ...xb].sort((p, q) => p - q);
  let tieTerm = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j < all.length && all[j] === all[i]) j++;
    const t = j - i;
    tieTerm += t * t * t - t;
    i = j;
  }

  if (tieTerm === 0 && m + n <= EXACT_LIMIT) {
    const counts = exactUDistribution(m, n);
    const total = counts.reduce((s, c) => s + c, 0);
    let below = 0;
    let above = 0;
    for (let k = 0; k < counts.length; k++) {
      if (k <= u) below += counts[k]!;
      if (k >= u) above += counts[k]!;
    }
    return { u, pValue: Math.min(1, (2 * Math.min(below, above)) / total), exact: true, nA: m, nB: n };
  }

  const N = m + n;
  const meanU = (m * n) / 2;
  const varU = ((m * n) / 12) * (N + 1 - tieTerm / (N * (N - 1)));
  if (varU <= 0) return { u, pValue: 1, exact: false, nA: m, nB: n };
  // Continuity correction of one half, as in scipy's default.
  const z = (Math.abs(u - meanU) - 0.5) / Math.sqrt(varU);
  return { u, pValue: Math.min(1, 2 * (1 - normalCdf(Math.max(0, z)))), exact: false, nA: m, nB: n };
}
