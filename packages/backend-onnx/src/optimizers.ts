// Optimizer updates as graph nodes, with PyTorch's semantics (torch.optim, default flags):
//   sgd:     g += wd·p; v = μ·v + g; d = nesterov ? g + μ·v : v (d = g without momentum); p -= lr·d
//   adam:    g += wd·p (coupled L2); m = β1·m + (1-β1)·g; v = β2·v + (1-β2)·g²;
//            p -= (lr / (1-β1^t)) · m / (sqrt(v) / sqrt(1-β2^t) + ε)     (ε outside the square root)
//   rmsprop: s = ρ·s + (1-ρ)·g²; a = sqrt(s) + ε; with momentum: b = μ·b + g/a, p -= lr·b; else p -= lr·g/a
// The learning rate and (for adam) the 1-based step count t are graph inputs, so schedules cost nothing.
import type { Optimizer } from '@bnx/ir';
import type { GraphBuilder } from './graph-builder.js';

/** Optimizer state slots per parameter (`<param>.<slot>` in the state), named as @bnx/core's reference names them. */
export function optimizerSlots(opt: Optimizer): string[] {
  switch (opt.kind) {
    case 'sgd':
      return opt.momentum > 0 ? ['velocity'] : [];
    case 'adam':
      return ['m', 'v'];
    case 'rmsprop':
      return opt.momentum > 0 ? ['sq', 'velocity'] : ['sq'];
  }
}

export interface OptimizerInputs {
  lr: string;
  /** Adam only: the 1-based step count t as a float scalar. */
  t: string;
}

export interface UpdateResult {
  param: string;
  slots: Record<string, string>;
}

export function emitUpdate(
  g: GraphBuilder,
  opt: Optimizer,
  p: string,
  grad: string,
  slots: Record<string, string>,
  inputs: OptimizerInputs,
  /** Whether the graph reads the gradient elsewhere (gradient norms), after the update. */
  readGrad = false,
): UpdateResult {
  const slot = (name: string) => slots[name]!;
  const step = (direction: string) => g.sub(p, g.mul(inputs.lr, direction));
  switch (opt.kind) {
    case 'sgd': {
      const gr = opt.weightDecay > 0 ? g.add(grad, g.scale(p, opt.weightDecay)) : grad;
      if (opt.momentum === 0) return { param: step(gr), slots: {} };
      // The weight gradient's Gemm computes μ·v + g itself where nothing else reads g (Nesterov's step and
      // gradient norms do).
      const fused = gr === grad && !opt.nesterov && !readGrad ? g.accumulateIntoGemm(grad, slot('velocity'), opt.momentum) : undefined;
      const v = fused ?? g.add(g.scale(slot('velocity'), opt.momentum), gr);
      const d = opt.nesterov ? g.add(gr, g.scale(v, opt.momentum)) : v;
      return { param: step(d), slots: { velocity: v } };
    }
    case 'adam': {
      const gr = opt.weightDecay > 0 ? g.add(grad, g.scale(p, opt.weightDecay)) : grad;
      const m = g.add(g.scale(slot('m'), opt.beta1), g.scale(gr, 1 - opt.beta1));
      const v = g.add(g.scale(slot('v'), opt.beta2), g.scale(g.mul(gr, gr), 1 - opt.beta2));
      const one = g.constFloat(1);
      const bc1 = g.sub(one, g.node('Pow', [g.constFloat(opt.beta1), inputs.t]));
      const bc2 = g.sub(one, g.node('Pow', [g.constFloat(opt.beta2), inputs.t]));
      const denom = g.add(g.div(g.node('Sqrt', [v]), g.node('Sqrt', [bc2])), g.constFloat(opt.epsilon));
      const newP = g.sub(p, g.mul(g.div(inputs.lr, bc1), g.div(m, denom)));
      return { param: newP, slots: { m, v } };
    }
    case 'rmsprop': {
      const s = g.add(g.scale(slot('sq'), opt.rho), g.scale(g.mul(grad, grad), 1 - opt.rho));
      const avg = g.add(g.node('Sqrt', [s]), g.constFloat(opt.epsilon));
      if (opt.momentum === 0) return { param: step(g.div(grad, avg)), slots: { sq: s } };
      const b = g.add(g.scale(slot('velocity'), opt.momentum), g.div(grad, avg));
      return { param: step(b), slots: { sq: s, velocity: b } };
    }
  }
}
