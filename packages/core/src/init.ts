// The initial state of a run: every parameter and buffer of the model, drawn from the seeded PRNG so that every
// backend starts from the same numbers. Which initializer applies to which tensor (layer's own, recipe's
// `init:`, glorot_uniform; zero biases except under torch_default; BN gamma/running_var ones, beta/running_mean
// zeros) is decided by @bnx/ir's paramSpecs; the numbers are drawn here (see initializers.ts).
import { paramSpecs } from '@bnx/ir';
import type { ModelIR, TrainIR } from '@bnx/ir';
import type { NamedArrays } from './backend.js';
import { initialValues } from './initializers.js';

/** The PRNG purpose of a tensor's initial values: one independent stream per tensor name. */
export function initPurpose(tensorName: string): string {
  return `init/${tensorName}`;
}

/**
 * Every parameter and buffer of `model` (`dense_1.weight` [in, out], `conv_1.weight` [out, in, kh, kw],
 * `bn_1.gamma` [C], ...) as drawn for `seed`. `recipe.initScale` multiplies every weight (role `weight`), not
 * biases or BN tensors. Throws BnxError when the model does not check.
 */
export function initialState(model: ModelIR, recipe: Pick<TrainIR, 'init' | 'initScale'>, seed: number): NamedArrays {
  const state: NamedArrays = {};
  for (const spec of paramSpecs(model, recipe)) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const data = initialValues(spec.init, {
      size,
      fanIn: spec.fanIn,
      fanOut: spec.fanOut,
      seed,
      purpose: initPurpose(spec.name),
    });
    if (spec.role === 'weight' && recipe.initScale !== 1) {
      for (let i = 0; i < data.length; i++) data[i] = data[i]! * recipe.initScale;
    }
    state[spec.name] = { shape: [...spec.shape], data };
  }
  return state;
}
