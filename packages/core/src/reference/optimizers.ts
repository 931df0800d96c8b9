// Optimizer updates with PyTorch semantics (torch.optim, default dampening 0, maximize false), one parameter
// at a time, in place. Weight decay is coupled L2 (added to the gradient before anything else) and applies to
// EVERY trainable parameter: weights, biases and batch-norm gamma/beta, as torch.optim does by default.
//
//   sgd:     g' = g + wd*p;  with momentum: v = mu*v + g' (v starts at 0, so the first v is g');
//            step = nesterov ? g' + mu*v : v (plain sgd: g');  p -= lr*step
//   adam:    g' = g + wd*p;  m = b1*m + (1-b1)*g';  v = b2*v + (1-b2)*g'^2;
//            p -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)        (eps OUTSIDE the square root)
//   rmsprop: sq = rho*sq + (1-rho)*g^2;  d = g / (sqrt(sq) + eps)          (eps added AFTER the square root)
//            with momentum: v = mu*v + d, p -= lr*v;  else p -= lr*d       (centered = false)
//
// Slot names (the `<param>.<slot>` entries of a trainer's state): sgd with momentum `velocity`; adam `m`, `v`;
// rmsprop `sq`, plus `velocity` with momentum.
import type { Optimizer } from '@bnx/ir';

export type OptimizerSlots = Record<string, Float64Array>;

export function optimizerSlotNames(optimizer: Optimizer): string[] {
  switch (optimizer.kind) {
    case 'sgd':
      return optimizer.momentum !== 0 ? ['velocity'] : [];
    case 'adam':
      return ['m', 'v'];
    case 'rmsprop':
      return optimizer.momentum !== 0 ? ['sq', 'velocity'] : ['sq'];
  }
}

function slot(slots: OptimizerSlots, name: string): Float64Array {
  const s = slots[name];
  if (s === undefined) throw new Error(`optimizer slot '${name}' is missing`);
  return s;
}

/**
 * Updates `param` (and the slots) in place.
 * @param lr  this step's learning rate (the schedule already applied)
 * @param t   1-based count of updates including this one (Adam's bias correction)
 */
export function applyOptimizer(optimizer: Optimizer, param: Float64Array, grad: Float64Array, slots: OptimizerSlots, lr: number, t: number): void {
  switch (optimizer.kind) {
    case 'sgd': {
      const { momentum: mu, nesterov, weightDecay: wd } = optimizer;
      const velocity = mu !== 0 ? slot(slots, 'velocity') : null;
      for (let i = 0; i < param.length; i++) {
        const g = grad[i]! + wd * param[i]!;
        let step = g;
        if (velocity !== null) {
          velocity[i] = mu * velocity[i]! + g;
          step = nesterov ? g + mu * velocity[i]! : velocity[i]!;
        }
        param[i]! -= lr * step;
      }
      return;
    }
    case 'adam': {
      const { beta1, beta2, epsilon, weightDecay: wd } = optimizer;
      const m = slot(slots, 'm');
      const v = slot(slots, 'v');
      const correction1 = 1 - beta1 ** t;
      const correction2 = 1 - beta2 ** t;
      for (let i = 0; i < param.length; i++) {
        const g = grad[i]! + wd * param[i]!;
        m[i] = beta1 * m[i]! + (1 - beta1) * g;
        v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
        param[i]! -= (lr * (m[i]! / correction1)) / (Math.sqrt(v[i]! / correction2) + epsilon);
      }
      return;
    }
    case 'rmsprop': {
      const { rho, momentum: mu, epsilon } = optimizer;
      const sq = slot(slots, 'sq');
      const velocity = mu !== 0 ? slot(slots, 'velocity') : null;
      for (let i = 0; i < param.length; i++) {
        const g = grad[i]!;
        sq[i] = rho * sq[i]! + (1 - rho) * g * g;
        const d = g / (Math.sqrt(sq[i]!) + epsilon);
        if (velocity !== null) {
          velocity[i] = mu * velocity[i]! + d;
          param[i]! -= lr * velocity[i]!;
        } else {
          param[i]! -= lr * d;
        }
      }
      return;
    }
  }
}
