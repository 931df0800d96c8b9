import * as tf from '@tensorflow/tfjs-core';
import type { Loss } from '@bnx/ir';

// cross_entropy: softmax of the logits, then mean negative log-likelihood over the batch (PyTorch
// CrossEntropyLoss). mse: squared error against the one-hot target, mean over batch AND classes (PyTorch MSELoss
// on one-hot targets). The gradient is computed in tfjs; the loss value and the correct count are computed in
// float64 from the logits read back once per step: that read is needed anyway for the step record, and it saves
// a dozen small kernels per step on the wasm engine.

/** d(mean loss)/d(logits) for logits [N, K] and one-hot targets [N, K]. */
export function lossGradient(kind: Loss, logits: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Tensor2D {
  const [n, k] = logits.shape;
  if (kind === 'cross_entropy') return tf.mul(tf.sub(tf.softmax(logits), oneHot), 1 / n) as tf.Tensor2D;
  return tf.mul(tf.sub(logits, oneHot), 2 / (n * k)) as tf.Tensor2D;
}

export interface LossSummary {
  /** Sum over the samples of each sample's loss (a sample's mse is its mean over classes). */
  lossSum: number;
  /** Samples whose largest logit (the first, on ties) is the label's. */
  correct: number;
}

export function summarizeLogits(kind: Loss, logits: ArrayLike<number>, labels: Int32Array, count: number, classes: number): LossSummary {
  let lossSum = 0;
  let correct = 0;
  for (let i = 0; i < count; i++) {
    const row = i * classes;
    const label = labels[i]!;
    let best = 0;
    let max = logits[row]!;
    for (let c = 1; c < classes; c++) {
      if (logits[row + c]! > max) {
        max = logits[row + c]!;
        best = c;
      }
    }
    if (best === label) correct++;
    if (kind === 'cross_entropy') {
      let sum = 0;
      for (let c = 0; c < classes; c++) sum += Math.exp(logits[row + c]! - max);
      lossSum += max + Math.log(sum) - logits[row + label]!;
    } else {
      let squares = 0;
      for (let c = 0; c < classes; c++) squares += (logits[row + c]! - (c === label ? 1 : 0)) ** 2;
      lossSum += squares / classes;
    }
  }
  return { lossSum, correct };
}
