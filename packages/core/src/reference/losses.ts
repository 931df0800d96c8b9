// Losses on the logits of the last layer, each returning the mean loss and its gradient with respect to the
// logits.
//   cross_entropy: softmax of the logits, then the negative log-likelihood of the true class, MEAN over the
//                  batch: L = 1/N sum_n (logsumexp(z_n) - z_n[y_n]); dL/dz = (softmax(z) - onehot(y)) / N.
//   mse:           squared error of the raw logits (no softmax) against the one-hot target, MEAN over the
//                  batch AND the classes (PyTorch MSELoss reduction 'mean', Keras MeanSquaredError):
//                  L = 1/(N*K) sum (z - onehot)^2; dL/dz = 2 (z - onehot) / (N*K).
import type { Loss } from '@bnx/ir';
import { BnxError } from '@bnx/ir';

export interface LossResult {
  loss: number;
  dlogits: Float64Array;
}

export interface LossDims {
  batch: number;
  classes: number;
}

function checkLabels(labels: Int32Array, d: LossDims): void {
  for (let n = 0; n < d.batch; n++) {
    const label = labels[n]!;
    if (!(label >= 0 && label < d.classes)) {
      throw new BnxError(`label ${label} of sample ${n} is outside the ${d.classes} classes 0..${d.classes - 1}`);
    }
  }
}

export function crossEntropy(logits: Float64Array, labels: Int32Array, d: LossDims): LossResult {
  checkLabels(labels, d);
  const dlogits = new Float64Array(logits.length);
  let total = 0;
  for (let n = 0; n < d.batch; n++) {
    const row = n * d.classes;
    let max = -Infinity;
    for (let k = 0; k < d.classes; k++) max = Math.max(max, logits[row + k]!);
    let sum = 0;
    for (let k = 0; k < d.classes; k++) sum += Math.exp(logits[row + k]! - max);
    const logSumExp = max + Math.log(sum);
    total += logSumExp - logits[row + labels[n]!]!;
    for (let k = 0; k < d.classes; k++) {
      const p = Math.exp(logits[row + k]! - logSumExp);
      dlogits[row + k] = (p - (k === labels[n] ? 1 : 0)) / d.batch;
    }
  }
  return { loss: total / d.batch, dlogits };
}

export function meanSquaredError(logits: Float64Array, labels: Int32Array, d: LossDims): LossResult {
  checkLabels(labels, d);
  const dlogits = new Float64Array(logits.length);
  const scale = d.batch * d.classes;
  let total = 0;
  for (let n = 0; n < d.batch; n++) {
    for (let k = 0; k < d.classes; k++) {
      const diff = logits[n * d.classes + k]! - (k === labels[n] ? 1 : 0);
      total += diff * diff;
      dlogits[n * d.classes + k] = (2 * diff) / scale;
    }
  }
  return { loss: total / scale, dlogits };
}

export function computeLoss(loss: Loss, logits: Float64Array, labels: Int32Array, d: LossDims): LossResult {
  return loss === 'cross_entropy' ? crossEntropy(logits, labels, d) : meanSquaredError(logits, labels, d);
}

/** Samples whose largest logit is the true class; ties go to the lowest class index. */
export function countCorrect(logits: Float64Array | Float32Array, labels: Int32Array, d: LossDims): number {
  let correct = 0;
  for (let n = 0; n < d.batch; n++) {
    let best = 0;
    for (let k = 1; k < d.classes; k++) if (logits[n * d.classes + k]! > logits[n * d.classes + best]!) best = k;
    if (best === labels[n]) correct++;
  }
  return correct;
}
