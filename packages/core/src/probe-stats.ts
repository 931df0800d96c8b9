// The numbers the weight_norm and bn_stats probes record, computed from a trainer's state().
import type { NamedArrays } from './backend.js';

/** L2 norm of an array, accumulated in float64. */
export function l2norm(data: ArrayLike<number>): number {
  let sq = 0;
  for (let i = 0; i < data.length; i++) sq += data[i]! * data[i]!;
  return Math.sqrt(sq);
}

/** Mean and population standard deviation of an array, in float64. */
export function meanAndStd(data: ArrayLike<number>): { mean: number; std: number } {
  const n = data.length;
  if (n === 0) return { mean: Number.NaN, std: Number.NaN };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += data[i]!;
  const mean = sum / n;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += (data[i]! - mean) ** 2;
  return { mean, std: Math.sqrt(sq / n) };
}

/** L2 norm of each named tensor of `state` (names missing from the state are an error of the backend). */
export function tensorNorms(state: NamedArrays, names: readonly string[]): Record<string, number> {
  const norms: Record<string, number> = {};
  for (const name of names) {
    const entry = state[name];
    if (!entry) throw new Error(`the backend's state has no tensor '${name}'`);
    norms[name] = l2norm(entry.data);
  }
  return norms;
}
