// Hand-built IR for the suite's models and recipes: plain data, so the suite needs neither the parser nor the
// driver, and every case states exactly the layer attributes it tests.
import type { BatchNormLayer, Conv2dLayer, DenseLayer, GroupNormLayer, LayerNormLayer, Layer, Loss, ModelIR, Optimizer, PoolLayer, TrainIR } from '@bnx/ir';

export const dense = (name: string, units: number, bias = true): DenseLayer => ({ op: 'dense', name, units, init: null, bias });

export function conv2d(name: string, filters: number, kernel: [number, number], stride: [number, number], padding: 'same' | 'valid', bias = true): Conv2dLayer {
  return { op: 'conv2d', name, filters, kernel, stride, padding, init: null, bias };
}

export const pool = (op: 'maxpool' | 'avgpool', name: string, size: [number, number], stride: [number, number]): PoolLayer => ({
  op,
  name,
  size,
  stride,
});

export function batchnorm(
  name: string,
  options: { momentum?: number; epsilon?: number; runningVar?: 'unbiased' | 'biased'; affine?: boolean } = {},
): BatchNormLayer {
  return {
    op: 'batchnorm',
    name,
    momentum: options.momentum ?? 0.1,
    epsilon: options.epsilon ?? 1e-5,
    runningVar: options.runningVar ?? 'unbiased',
    affine: options.affine ?? true,
  };
}

/** Epsilon 1e-2 is nobody's default, so a backend that hard-codes PyTorch's 1e-5 fails. */
export const layernorm = (name: string, affine = true): LayerNormLayer => ({ op: 'layernorm', name, epsilon: 1e-2, affine });

export const groupnorm = (name: string, groups: number, affine = true): GroupNormLayer => ({ op: 'groupnorm', name, groups, epsilon: 1e-2, affine });

/** Every parameter-free layer of the catalogue, by op, with non-default attributes where it has any. */
export function simple(op: 'relu' | 'sigmoid' | 'tanh' | 'softmax' | 'leaky_relu' | 'elu' | 'flatten' | 'dropout', name: string): Layer {
  switch (op) {
    case 'leaky_relu':
      return { op, name, alpha: 0.2 };
    case 'elu':
      return { op, name, alpha: 0.8 };
    case 'dropout':
      return { op, name, rate: 0.5 };
    default:
      return { op, name };
  }
}

export const model = (name: string, input: number[], layers: Layer[]): ModelIR => ({ name, input, layers });

export const sgd = (lr: number, momentum = 0, nesterov = false, weightDecay = 0): Optimizer => ({
  kind: 'sgd',
  lr,
  momentum,
  nesterov,
  weightDecay,
});

export function recipe(optimizer: Optimizer, loss: Loss = 'cross_entropy', batch = 8): TrainIR {
  return { name: 'conformance', optimizer, loss, steps: 1, batch, schedule: { kind: 'constant' }, initScale: 1 };
}
