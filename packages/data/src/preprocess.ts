// `preprocess:` steps, applied in the order written, in place on every split's float32 buffer. The channel
// axis is the first axis of the sample shape (channels-first): 1 for MNIST (1, 28, 28), 3 for CIFAR-10, and
// for a flat vector (F) every feature is its own channel.
// - scale(k): x * k.
// - normalize(mean:, std:): (x - mean) / std, scalars or one value per channel (a one-element list counts
//   as a scalar).
// - standardize: (x - mean) / std with mean and (biased) std fitted on the TRAINING split only and applied
//   unchanged to validation and test, so no statistic leaks from them. Per channel for images (rank >= 2),
//   per feature for vectors (rank 1); a constant channel or feature (std < 1e-7, e.g. MNIST's border
//   pixels) is only centred, as scikit-learn's StandardScaler does.
// - flatten: the sample shape becomes (prod(shape)); no data moves.
import type { Preprocess } from '@bnx/ir';
import type { DataContext } from './context.js';
import { dataError } from './context.js';
import type { Split } from './types.js';

const CONSTANT_STD = 1e-7;

function stepLabel(step: Preprocess): string {
  const start = step.loc?.range.start;
  return `preprocess ${step.op}${step.loc && start ? ` (${step.loc.range.file}:${start.line}:${start.column})` : ''}`;
}

/** The sample shape after the steps; only `flatten` changes it. */
export function shapeAfter(steps: readonly Preprocess[], shape: readonly number[]): number[] {
  let out = [...shape];
  for (const step of steps) if (step.op === 'flatten') out = [out.reduce((a, b) => a * b, 1)];
  return out;
}

/** One value per channel from a scalar or a list; a wrong length names the step and the field. */
function perChannel(ctx: DataContext, step: Preprocess, field: string, value: number | number[], channels: number, shape: readonly number[]): Float64Array {
  const values = typeof value === 'number' ? [value] : value;
  if (values.length !== 1 && values.length !== channels) {
    throw dataError(
      ctx,
      `${stepLabel(step)}: ${field} has ${values.length} values but samples of shape (${shape.join(', ')}) have ${channels} channel${channels === 1 ? '' : 's'}; give one value or ${channels}`,
      'E_DATA_PREPROCESS',
    );
  }
  for (const v of values) {
    if (!Number.isFinite(v)) throw dataError(ctx, `${stepLabel(step)}: ${field} value ${v} is not a finite number`, 'E_DATA_PREPROCESS');
  }
  const out = new Float64Array(channels);
  for (let c = 0; c < channels; c++) out[c] = values.length === 1 ? values[0]! : values[c]!;
  return out;
}

/** x[c-th channel] = (x - shift[c]) * factor[c] over every sample of the split. */
function affinePerChannel(split: Split, channels: number, shift: Float64Array, factor: Float64Array): void {
  const plane = split.x.length / Math.max(1, split.count) / channels;
  const x = split.x;
  for (let s = 0, at = 0; s < split.count; s++) {
    for (let c = 0; c < channels; c++) {
      const m = shift[c]!;
      const k = factor[c]!;
      for (let end = at + plane; at < end; at++) x[at] = (x[at]! - m) * k;
    }
  }
}

/** Mean and biased std per channel of the training split, accumulated in float64 (two passes). */
function fitChannels(split: Split, channels: number): { mean: Float64Array; std: Float64Array } {
  const plane = split.x.length / Math.max(1, split.count) / channels;
  const n = split.count * plane;
  const sum = new Float64Array(channels);
  const x = split.x;
  for (let s = 0, at = 0; s < split.count; s++) {
    for (let c = 0; c < channels; c++) {
      let acc = 0;
      for (let end = at + plane; at < end; at++) acc += x[at]!;
      sum[c]! += acc;
    }
  }
  const mean = sum.map((v) => v / n);
  const sq = new Float64Array(channels);
  for (let s = 0, at = 0; s < split.count; s++) {
    for (let c = 0; c < channels; c++) {
      const m = mean[c]!;
      let acc = 0;
      for (let end = at + plane; at < end; at++) acc += (x[at]! - m) * (x[at]! - m);
      sq[c]! += acc;
    }
  }
  return { mean, std: sq.map((v) => Math.sqrt(v / n)) };
}

export interface PreprocessResult {
  sampleShape: number[];
  notes: string[];
}

/**
 * Applies `steps` in place to `train` and `others` (validation, test). All splits share `shape` on entry;
 * their `sampleShape` fields are updated on return.
 */
export function applyPreprocess(ctx: DataContext, steps: readonly Preprocess[], shape: readonly number[], train: Split, others: Split[]): PreprocessResult {
  let current = [...shape];
  const notes: string[] = [];
  const all = [train, ...others];
  for (const step of steps) {
    const channels = current[0] ?? 1;
    switch (step.op) {
      case 'scale': {
        if (!Number.isFinite(step.factor)) throw dataError(ctx, `${stepLabel(step)}: factor ${step.factor} is not a finite number`, 'E_DATA_PREPROCESS');
        const factor = step.factor;
        for (const split of all) {
          const x = split.x;
          for (let i = 0; i < x.length; i++) x[i] = x[i]! * factor;
        }
        break;
      }
      case 'normalize': {
        const mean = perChannel(ctx, step, 'mean', step.mean, channels, current);
        const std = perChannel(ctx, step, 'std', step.std, channels, current);
        if (std.some((v) => v <= 0)) throw dataError(ctx, `${stepLabel(step)}: std must be positive, got ${String(step.std)}`, 'E_DATA_PREPROCESS');
        for (const split of all)
          affinePerChannel(
            split,
            channels,
            mean,
            std.map((v) => 1 / v),
          );
        break;
      }
      case 'standardize': {
        const { mean, std } = fitChannels(train, channels);
        const constant = std.filter((v) => v < CONSTANT_STD).length;
        const factor = std.map((v) => (v < CONSTANT_STD ? 1 : 1 / v));
        for (const split of all) affinePerChannel(split, channels, mean, factor);
        notes.push(
          `standardize: ${channels} ${current.length >= 2 ? 'channel' : 'feature'} statistics fitted on the ${train.count} training samples` +
            (constant ? `; ${constant} constant ${current.length >= 2 ? 'channels' : 'features'} only centred` : ''),
        );
        break;
      }
      case 'flatten':
        break;
    }
    current = shapeAfter([step], current);
  }
  for (const split of all) split.sampleShape = [...current];
  return { sampleShape: current, notes };
}

export interface ByteTable {
  /** channels * 256 floats: the value byte v of channel c becomes table[c * 256 + v]. */
  table: Float32Array;
  channels: number;
  /** How many leading steps the table replaces. */
  folded: number;
}

/**
 * For sources stored as bytes: the leading run of `scale` and `normalize` steps folded into a per-channel
 * table of the 256 possible values, so converting to float32 and preprocessing take one pass over the data.
 * Each step is evaluated in the same order and with the same float32 rounding as applyPreprocess, so the
 * result is bit-identical to converting first and applying the steps one by one. null: nothing to fold.
 */
export function byteTable(ctx: DataContext, steps: readonly Preprocess[], shape: readonly number[]): ByteTable | null {
  let folded = 0;
  while (folded < steps.length && (steps[folded]!.op === 'scale' || steps[folded]!.op === 'normalize')) folded++;
  if (folded === 0) return null;
  const channels = shape[0] ?? 1;
  const table = new Float32Array(channels * 256);
  for (let c = 0; c < channels; c++) for (let v = 0; v < 256; v++) table[c * 256 + v] = v;
  for (const step of steps.slice(0, folded)) {
    if (step.op === 'scale') {
      if (!Number.isFinite(step.factor)) throw dataError(ctx, `${stepLabel(step)}: factor ${step.factor} is not a finite number`, 'E_DATA_PREPROCESS');
      for (let i = 0; i < table.length; i++) table[i] = table[i]! * step.factor;
    } else if (step.op === 'normalize') {
      const mean = perChannel(ctx, step, 'mean', step.mean, channels, shape);
      const std = perChannel(ctx, step, 'std', step.std, channels, shape);
      if (std.some((v) => v <= 0)) throw dataError(ctx, `${stepLabel(step)}: std must be positive, got ${String(step.std)}`, 'E_DATA_PREPROCESS');
      for (let c = 0; c < channels; c++) {
        const m = mean[c]!;
        const k = 1 / std[c]!;
        for (let v = 0; v < 256; v++) table[c * 256 + v] = (table[c * 256 + v]! - m) * k;
      }
    }
  }
  return { table, channels, folded };
}
