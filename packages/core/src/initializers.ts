// Every initializer of the design, drawing from the one seeded PRNG so that every backend starts from the same
// numbers. Formulas follow Keras (VarianceScaling) and PyTorch; where they differ, the choice is stated.
//
// | kind            | distribution                                     | as in                                  |
// |-----------------|--------------------------------------------------|----------------------------------------|
// | glorot_uniform  | U(±sqrt(6 / (fanIn + fanOut)))                   | Keras GlorotUniform, torch xavier_uniform_ |
// | glorot_normal   | truncated N, std sqrt(2 / (fanIn + fanOut))      | Keras GlorotNormal                     |
// | he_normal       | truncated N, std sqrt(2 / fanIn)                 | Keras HeNormal                         |
// | he_uniform      | U(±sqrt(6 / fanIn))                              | Keras HeUniform                        |
// | lecun_normal    | truncated N, std sqrt(1 / fanIn)                 | Keras LecunNormal                      |
// | lecun_uniform   | U(±sqrt(3 / fanIn))                              | Keras LecunUniform                     |
// | normal(std, mean) | N(mean, std), not truncated                    | Keras RandomNormal, torch normal_      |
// | uniform(limit)  | U(±limit)                                        | Keras RandomUniform(-limit, limit)     |
// | zeros / ones    | constant                                         |                                        |
// | torch_default   | U(±1 / sqrt(fanIn)) for weights AND biases       | torch Linear/Conv2d reset_parameters   |
//
// "Truncated N, std s" is Keras's VarianceScaling(distribution='truncated_normal'): a normal cut at ±2 standard
// deviations (redrawn outside) and scaled by 1/0.8796 so that the TRUNCATED distribution has standard deviation
// s. PyTorch's kaiming_normal_/xavier_normal_ are plain normals with the same s; bnx takes Keras's variant
// because its samples have the variance the formula promises and no outliers beyond 2s.
//
// torch_default: PyTorch initializes Linear and Conv2d weights with kaiming_uniform_(a = sqrt(5)), whose bound
// gain * sqrt(3 / fanIn) with gain = sqrt(2 / (1 + 5)) is exactly 1 / sqrt(fanIn), and biases with
// U(±1 / sqrt(fanIn)). Fans of a conv weight [out, in, kh, kw] are in*kh*kw and out*kh*kw.
import type { Initializer } from '@bnx/ir';
import { normals, TRUNCATED_NORMAL_STD, truncatedNormals, uniforms } from '@bnx/data';

export interface InitTarget {
  /** Number of values to produce. */
  size: number;
  fanIn: number;
  fanOut: number;
  /** The seeded stream these values come from. */
  seed: number;
  purpose: string;
}

function uniformSymmetric(target: InitTarget, limit: number): Float32Array {
  const u = uniforms(target.seed, target.purpose, target.size);
  const out = new Float32Array(target.size);
  for (let i = 0; i < out.length; i++) out[i] = (2 * u[i]! - 1) * limit;
  return out;
}

function truncatedNormalWithStd(target: InitTarget, std: number): Float32Array {
  const z = truncatedNormals(target.seed, target.purpose, target.size);
  const scale = std / TRUNCATED_NORMAL_STD;
  const out = new Float32Array(target.size);
  for (let i = 0; i < out.length; i++) out[i] = z[i]! * scale;
  return out;
}

/** The values `init` gives an array with these fans, drawn from the target's stream. */
export function initialValues(init: Initializer, target: InitTarget): Float32Array {
  const { fanIn, fanOut } = target;
  switch (init.kind) {
    case 'glorot_uniform':
      return uniformSymmetric(target, Math.sqrt(6 / (fanIn + fanOut)));
    case 'glorot_normal':
      return truncatedNormalWithStd(target, Math.sqrt(2 / (fanIn + fanOut)));
    case 'he_normal':
      return truncatedNormalWithStd(target, Math.sqrt(2 / fanIn));
    case 'he_uniform':
      return uniformSymmetric(target, Math.sqrt(6 / fanIn));
    case 'lecun_normal':
      return truncatedNormalWithStd(target, Math.sqrt(1 / fanIn));
    case 'lecun_uniform':
      return uniformSymmetric(target, Math.sqrt(3 / fanIn));
    case 'normal': {
      const z = normals(target.seed, target.purpose, target.size);
      const mean = init.mean ?? 0;
      const out = new Float32Array(target.size);
      for (let i = 0; i < out.length; i++) out[i] = mean + z[i]! * init.std;
      return out;
    }
    case 'uniform':
      return uniformSymmetric(target, init.limit);
    case 'zeros':
      return new Float32Array(target.size);
    case 'ones':
      return new Float32Array(target.size).fill(1);
    case 'torch_default':
      return uniformSymmetric(target, 1 / Math.sqrt(fanIn));
  }
}
