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
  const factors = [
    `${variants} variant${variants === 1 ? '' : 's'}`,
    ...sweeps.map((s) => `${s.values.length} ${s.key} values`),
    `${seeds} seed${seeds === 1 ? '' : 's'}`,
  ];
  const runs = variants * sweeps.reduce((n, s) => n * s.values.length, 1) * seeds;
  return { runs, product: factors.join(' × ') };
}

/**
 * Parameters of one model (weights, biases, batch-norm scales and running statistics), in float32 values:
 * 400 MB a copy, and training holds several (weights, gradients, optimizer moments).
 */
export const MAX_PARAMETERS = 100_000_000;

/**
 * Values a model computes for one batch: batch × (input + every layer's output), 2^28 float32 values (1 GiB).
 * The backends allocate for the batch as declared, even where the training split is smaller; a single array
 * could not hold more than 2^32 values (Node's typed-array limit) in any case.
 */
export const MAX_BATCH_VALUES = 2 ** 28;

/**
 * Classes of one dataset. The data split counts samples per class, and cross_entropy and mse compare with
 * one-hot targets of this width: a CSV label of 1000000000 once made Node run out of memory.
 */
export const MAX_CLASSES = 10_000;

/** Values in a generated dataset (samples × features), 2^30 float32 values (4 GiB): one typed array holds them. */
export const MAX_DATASET_VALUES = 2 ** 30;

/** `1234567` → `1,234,567`, as the limits are stated in messages. */
export const formatCount = (n: number): string => (Number.isSafeInteger(n) ? n.toLocaleString('en-US') : n.toExponential(2).replace('e+', 'e'));
