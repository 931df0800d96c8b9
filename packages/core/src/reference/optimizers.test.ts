// Each optimizer against a closed form for a CONSTANT gradient, derived by hand from the PyTorch update rules,
// so the check does not share code or loop structure with optimizers.ts.
import { describe, expect, it } from 'vitest';
import type { Optimizer } from '@bnx/ir';
import { applyOptimizer, optimizerSlotNames } from './optimizers.js';

function run(optimizer: Optimizer, p0: number, g: number, steps: number, lr: number): number {
  const param = Float64Array.of(p0);
  const slots = Object.fromEntries(optimizerSlotNames(optimizer).map((s) => [s, new Float64Array(1)]));
  for (let t = 1; t <= steps; t++) applyOptimizer(optimizer, param, Float64Array.of(g), slots, lr, t);
  return param[0]!;
}

const sgd = (momentum: number, nesterov: boolean, weightDecay = 0): Optimizer => ({
  kind: 'sgd',
  lr: 0,
  momentum,
  nesterov,
  weightDecay,
});

describe('optimizers (PyTorch semantics)', () => {
  it('plain sgd: p - steps*lr*g', () => {
    expect(run(sgd(0, false), 1, 0.5, 3, 0.1)).toBeCloseTo(1 - 3 * 0.1 * 0.5, 15);
  });

  it('sgd momentum: velocities g, (1+mu)g, (1+mu+mu^2)g', () => {
    const mu = 0.9;
    expect(run(sgd(mu, false), 1, 0.5, 3, 0.1)).toBeCloseTo(1 - 0.1 * 0.5 * (3 + 2 * mu + mu * mu), 14);
  });

  it('sgd nesterov: each step is g + mu*v', () => {
    const mu = 0.9;
    // v1 = g, v2 = (1+mu)g; steps g+mu*v1 = (1+mu)g and g+mu*v2 = (1+mu+mu^2)g.
    expect(run(sgd(mu, true), 1, 0.5, 2, 0.1)).toBeCloseTo(1 - 0.1 * 0.5 * (1 + mu + 1 + mu + mu * mu), 14);
  });

  it('sgd weight decay is L2 added to the gradient', () => {
    // g = 0: p_{t+1} = p_t (1 - lr*wd).
    expect(run(sgd(0, false, 0.01), 2, 0, 2, 0.5)).toBeCloseTo(2 * (1 - 0.5 * 0.01) ** 2, 15);
  });

  it('adam: with a constant gradient the bias-corrected moments are exactly g and g^2', () => {
    const adam: Optimizer = { kind: 'adam', lr: 0, beta1: 0.9, beta2: 0.999, epsilon: 0.1, weightDecay: 0 };
    // Each step moves by lr * g / (|g| + eps): eps outside the square root.
    expect(run(adam, 1, 0.2, 4, 0.01)).toBeCloseTo(1 - 4 * 0.01 * (0.2 / (0.2 + 0.1)), 14);
  });

  it('adam weight decay is coupled L2 (torch.optim.Adam), not decoupled (AdamW)', () => {
    const adam: Optimizer = { kind: 'adam', lr: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.1 };
    // g = 0, p = 3: the first step sees g' = 0.3 and moves by lr * 0.3 / (0.3 + 1e-8); AdamW would move by lr*wd*p + 0.
    expect(run(adam, 3, 0, 1, 0.01)).toBeCloseTo(3 - 0.01 * (0.3 / (0.3 + 1e-8)), 14);
  });

  it('rmsprop: sq = (1-rho) g^2 after one step, eps added after the square root', () => {
    const rms: Optimizer = { kind: 'rmsprop', lr: 0, rho: 0.9, momentum: 0, epsilon: 0.05 };
    const g = 0.4;
    expect(run(rms, 1, g, 1, 0.01)).toBeCloseTo(1 - (0.01 * g) / (Math.sqrt(0.1 * g * g) + 0.05), 15);
    const sq2 = 0.9 * 0.1 * g * g + 0.1 * g * g;
    const expected2 = 1 - (0.01 * g) / (Math.sqrt(0.1 * g * g) + 0.05) - (0.01 * g) / (Math.sqrt(sq2) + 0.05);
    expect(run(rms, 1, g, 2, 0.01)).toBeCloseTo(expected2, 15);
  });

  it('rmsprop with momentum accumulates the scaled steps in a velocity', () => {
    const rms: Optimizer = { kind: 'rmsprop', lr: 0, rho: 0.9, momentum: 0.5, epsilon: 0.05 };
    const g = 0.4;
    const d1 = g / (Math.sqrt(0.1 * g * g) + 0.05);
    const d2 = g / (Math.sqrt(0.19 * g * g) + 0.05);
    expect(run(rms, 1, g, 2, 0.01)).toBeCloseTo(1 - 0.01 * d1 - 0.01 * (0.5 * d1 + d2), 15);
  });

  it('slot names follow the <param>.<slot> convention', () => {
    expect(optimizerSlotNames(sgd(0, false))).toEqual([]);
    expect(optimizerSlotNames(sgd(0.9, true))).toEqual(['velocity']);
    expect(optimizerSlotNames({ kind: 'adam', lr: 1, beta1: 0.9, beta2: 0.99, epsilon: 1e-8, weightDecay: 0 })).toEqual(['m', 'v']);
    expect(optimizerSlotNames({ kind: 'rmsprop', lr: 1, rho: 0.9, momentum: 0.1, epsilon: 1e-8 })).toEqual(['sq', 'velocity']);
  });
});
