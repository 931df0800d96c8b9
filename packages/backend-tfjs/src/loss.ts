import * as tf from '@tensorflow/tfjs-core';
import type { Loss } from '@bnx/ir';

export interface LossResult {
  /** Sum over the batch of each sample's loss (the mean is sum / N). */
  sum: tf.Scalar;
  /** d(mean loss)/d(logits), present when asked for. */
  grad: tf.Tensor2D | null;
}

/**
 * cross_entropy: softmax of the logits, then mean negative log-likelihood over the batch (PyTorch
 * CrossEntropyLoss). mse: squared error against the one-hot target, mean over batch AND classes (PyTorch
 * MSELoss on one-hot targets), so a sample's loss is its mean over classes.
 */
export function lossOf(kind: Loss, logits: tf.Tensor2D, oneHot: tf.Tensor2D, withGrad: boolean): LossResult {
  const [n, k] = logits.shape;
  if (kind === 'cross_entropy') {
    const logProbs = tf.logSoftmax(logits);
    const sum = tf.neg(tf.sum(tf.mul(oneHot, logProbs))) as tf.Scalar;
    const grad = withGrad ? (tf.div(tf.sub(tf.exp(logProbs), oneHot), n) as tf.Tensor2D) : null;
    return { sum, grad };
  }
  const diff = tf.sub(logits, oneHot);
  const sum = tf.div(tf.sum(tf.square(diff)), k) as tf.Scalar;
  const grad = withGrad ? (tf.mul(diff, 2 / (n * k)) as tf.Tensor2D) : null;
  return { sum, grad };
}

/** Number of samples whose largest logit is the label's. */
export function correctCount(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32'));
}
