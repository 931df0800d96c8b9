// How large an experiment may be. Each limit is far above any real study and far below what would exhaust
// memory or time while expanding it; `bnx check` and `bnx run` apply the same ones, so a file that checks
// clean also runs.

/** Values in one list, range or repeat (seeds, sweep values, layers after unrolling `repeat`). */
export const MAX_LIST_VALUES = 10_000;

/** Runs in one plan: variants × sweep points × seeds. */
export const MAX_RUNS = 10_000;

/**
 * How many runs an experiment expands into (variants × sweep points × seeds) and how that product is made,
 * counted without expanding anything: a grid of three sweeps of 10,000 values must be refused, not built.
 */
export function planSize(variants: number, sweeps: readonly { key: string; values: readonly unknown[] }[], seeds: number): { runs: number; product: string } {
  const factors = [`${variants} variant${variants === 1 ? '' : 's'}`, ...sweeps.map((s) => `${s.values.length} ${s.key} values`), `${seeds} seed${seeds === 1 ? '' : 's'}`];
  const runs = variants * sweeps.reduce((n, s) => n * s.values.length, 1) * seeds;
  return { runs, product: factors.join(' × ') };
}
