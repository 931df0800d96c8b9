import * as tf from '@tensorflow/tfjs-core';
import type { Optimizer } from '@bnx/ir';

/**
 * One optimizer's update rule, PyTorch semantics (torch.optim, default flags): weight decay is L2 added to the
 * gradient; SGD momentum v = mu*v + g (no dampening), Nesterov steps along g + mu*v; Adam is bias-corrected
 * with epsilon outside the square root; RMSprop is torch's (epsilon outside the root, optional momentum on
 * g / (sqrt(v) + eps)).
 */
export interface UpdateRule {
  /** Per-parameter state, stored as `<param>.<slot>` (the names @bnx/core's reference uses). */
  readonly slots: string[];
  /** `t`: 1-based count of updates including this one. Returns the new parameter and new slot values. */
  update(p: tf.Tensor, g: tf.Tensor, slots: tf.Tensor[], lr: number, t: number): { p: tf.Tensor; slots: tf.Tensor[] };
}

export function updateRule(opt: Optimizer): UpdateRule {
  switch (opt.kind) {
    case 'sgd': {
      const { momentum: mu, nesterov, weightDecay: wd } = opt;
      return {
        slots: mu !== 0 ? ['velocity'] : [],
        update(p, g, slots, lr) {
          const grad = wd > 0 ? tf.add(g, tf.mul(p, wd)) : g;
          if (mu === 0) return { p: tf.sub(p, tf.mul(grad, lr)), slots: [] };
          const v = tf.add(tf.mul(slots[0]!, mu), grad);
          const direction = nesterov ? tf.add(grad, tf.mul(v, mu)) : v;
          return { p: tf.sub(p, tf.mul(direction, lr)), slots: [v] };
        },
      };
    }
    case 'adam': {
      const { beta1, beta2, epsilon, weightDecay: wd } = opt;
      return {
        slots: ['m', 'v'],
        update(p, g, slots, lr, t) {
          const grad = wd > 0 ? tf.add(g, tf.mul(p, wd)) : g;
          const m = tf.add(tf.mul(slots[0]!, beta1), tf.mul(grad, 1 - beta1));
          const v = tf.add(tf.mul(slots[1]!, beta2), tf.mul(tf.square(grad), 1 - beta2));
          const stepSize = lr / (1 - beta1 ** t);
          const denom = tf.add(tf.div(tf.sqrt(v), Math.sqrt(1 - beta2 ** t)), epsilon);
          return { p: tf.sub(p, tf.mul(tf.div(m, denom), stepSize)), slots: [m, v] };
        },
      };
    }
    case 'rmsprop': {
      const { rho, momentum: mu, epsilon } = opt;
      return {
        slots: mu !== 0 ? ['sq', 'velocity'] : ['sq'],
        update(p, g, slots, lr) {
          const v = tf.add(tf.mul(slots[0]!, rho), tf.mul(tf.square(g), 1 - rho));
          const scaled = tf.div(g, tf.add(tf.sqrt(v), epsilon));
          if (mu === 0) return { p: tf.sub(p, tf.mul(scaled, lr)), slots: [v] };
          const buf = tf.add(tf.mul(slots[1]!, mu), scaled);
          return { p: tf.sub(p, tf.mul(buf, lr)), slots: [v, buf] };
        },
      };
    }
  }
}
