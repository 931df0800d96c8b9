// Losses on the model's output z [N, K] against one-hot targets t, with their gradients and the number of
// correct predictions (argmax of z equal to the target's class).
// cross_entropy: mean over the batch of -sum(t · log_softmax(z)); dz = (softmax(z) - t) / N.
// mse: mean over batch and classes of (z - t)²; dz = 2 (z - t) / (N·K).
import type { Loss } from '@bnx/ir';
import type { GraphBuilder } from './graph-builder.js';

export interface LossTensors {
  loss: string;
  dz: string;
  correct: string;
}

/** The batch size as a float scalar, read from the tensor's shape at run time. */
function batchCount(g: GraphBuilder, z: string): string {
  if (g.batch !== undefined) return g.constFloat(g.batch);
  const n = g.node('Gather', [g.node('Shape', [z]), g.constInt64([0])], { axis: 0 });
  return g.reshape(g.node('Cast', [n], { to: 1 }), []);
}

export function correctCount(g: GraphBuilder, z: string, targets: string): string {
  const predicted = g.node('ArgMax', [z], { axis: 1, keepdims: 0 });
  const actual = g.node('ArgMax', [targets], { axis: 1, keepdims: 0 });
  const hits = g.node('Cast', [g.node('Equal', [predicted, actual])], { to: 1 });
  return g.node('ReduceSum', [hits], { keepdims: 0 });
}

export function emitLoss(g: GraphBuilder, loss: Loss, z: string, targets: string, numClasses: number): LossTensors {
  g.scope = loss;
  const n = batchCount(g, z);
  let lossValue: string;
  let dz: string;
  if (loss === 'cross_entropy') {
    const logp = g.node('LogSoftmax', [z], { axis: 1 });
    const total = g.node('ReduceSum', [g.mul(targets, logp)], { keepdims: 0 });
    lossValue = g.node('Neg', [g.div(total, n)]);
    g.scope = `${loss}/grad`;
    dz = g.div(g.sub(g.node('Exp', [logp]), targets), n);
  } else {
    const diff = g.sub(z, targets);
    const total = g.node('ReduceSum', [g.mul(diff, diff)], { keepdims: 0 });
    const count = g.scale(n, numClasses);
    lossValue = g.div(total, count);
    g.scope = `${loss}/grad`;
    dz = g.div(g.scale(diff, 2), count);
  }
  g.scope = 'metrics';
  return { loss: lossValue, dz, correct: correctCount(g, z, targets) };
}
