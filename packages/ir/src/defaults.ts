// Every default value of the language in one place: the DSL fills omitted arguments from here, the op
// catalogue documents them, and the README table quotes them.
import type { Initializer, Optimizer, Schedule, TransformPlacement } from './types.js';

/** PyTorch conventions (docs/batchnorm-conventions.md): momentum is the weight of the NEW batch statistic. */
export const BATCHNORM_DEFAULTS = {
  momentum: 0.1,
  epsilon: 1e-5,
  runningVar: 'unbiased',
  affine: true,
} as const satisfies { momentum: number; epsilon: number; runningVar: 'unbiased' | 'biased'; affine: boolean };

/** PyTorch LayerNorm / GroupNorm: epsilon 1e-5, learnable scale and shift. */
export const LAYERNORM_DEFAULTS = { epsilon: 1e-5, affine: true } as const;
export const GROUPNORM_DEFAULTS = { epsilon: 1e-5, affine: true } as const;

export const DENSE_DEFAULTS = { init: null, bias: true } as const;

export const CONV2D_DEFAULTS = {
  stride: [1, 1] as [number, number],
  padding: 'valid',
  init: null,
  bias: true,
} as const;

/** A pool's stride defaults to its size (non-overlapping windows); there is no constant for it. */
export function defaultPoolStride(size: [number, number]): [number, number] {
  return [size[0], size[1]];
}

export const LEAKY_RELU_DEFAULTS = { alpha: 0.01 } as const;
export const ELU_DEFAULTS = { alpha: 1 } as const;

/**
 * `MODEL with batchnorm(...)` (and layernorm, groupnorm): before the activation (Ioffe & Szegedy), nothing on
 * the input, biases dropped. The inserted layer's own attributes default as the op's do.
 */
export const TRANSFORM_DEFAULTS: TransformPlacement = {
  placement: 'before_activation',
  input: false,
  keepBias: false,
};

/** Initializer for weights when neither the layer nor the recipe names one (Keras' default). */
export const DEFAULT_WEIGHT_INIT: Initializer = { kind: 'glorot_uniform' };

/**
 * Optimizer arguments left out in the file (PyTorch defaults). `lr` has no default for sgd, as in PyTorch:
 * the DSL reports it missing.
 */
export const OPTIMIZER_DEFAULTS = {
  sgd: { momentum: 0, nesterov: false, weightDecay: 0 },
  adam: { lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 },
  rmsprop: { lr: 0.01, rho: 0.99, momentum: 0, epsilon: 1e-8 },
} as const satisfies { [K in Optimizer['kind']]: Partial<Extract<Optimizer, { kind: K }>> };

export const TRAIN_DEFAULTS = {
  schedule: { kind: 'constant' } as Schedule,
  initScale: 1,
} as const;

/**
 * Seeds of an experiment that lists none: five, the fewest with which bnx's paired tests can reach p < 0.05
 * (below five seeds they use the exact sign-flip test, whose smallest p is 2 / 2^n; see docs/statistics.md).
 */
export const DEFAULT_SEEDS: readonly number[] = [1, 2, 3, 4, 5];
