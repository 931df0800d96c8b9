// Multiplicity: the claims are one confirmatory family (Holm's step-down adjustment controls the chance of
// any false claim); the comparison table is exploratory (Benjamini-Hochberg q-values control the expected
// share of false discoveries among the differences it calls).

/**
 * Holm-adjusted p-values (Holm 1979), in the input order. A missing p (a claim that applies but could not
 * be tested) counts as 1: the family is fixed by the experiment's design, not by which tests could run.
 */
export function holmAdjust(pValues: readonly (number | null)[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p: p ?? 1, i })).sort((x, y) => x.p - y.p || x.i - y.i);
  const adjusted = new Array<number>(m).fill(1);
  let running = 0;
  order.forEach(({ p, i }, k) => {
    running = Math.max(running, Math.min(1, (m - k) * p));
    adjusted[i] = running;
  });
  return adjusted;
}

/**
 * Benjamini-Hochberg q-values (as scipy.stats.false_discovery_control(method='bh')), in the input order;
 * null where the p-value is null (nothing was tested), and those do not count in the family.
 */
export function benjaminiHochberg(pValues: readonly (number | null)[]): (number | null)[] {
  const tested = pValues.map((p, i) => ({ p, i })).filter((x): x is { p: number; i: number } => x.p !== null);
  const m = tested.length;
  const out: (number | null)[] = pValues.map(() => null);
  tested.sort((x, y) => y.p - x.p || y.i - x.i);
  let running = 1;
  tested.forEach(({ p, i }, k) => {
    const rank = m - k;
    running = Math.min(running, (p * m) / rank);
    out[i] = Math.min(1, running);
  });
  return out;
}
