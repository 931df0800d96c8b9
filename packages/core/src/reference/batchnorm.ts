// Batch normalization with bnx's conventions (see README.md): per feature for (N, F) inputs, per channel over
// (N, H, W) for (N, C, H, W) inputs. Both cases are the layout (N, C, S) with S = H*W, or S = 1 after dense.
//
// Training: normalize with the batch mean and the BIASED batch variance (divide by m = N*S), then the optional
// affine gamma * xhat + beta. Evaluation: normalize with the running statistics instead.
// Running update: momentum is the weight of the NEW batch (PyTorch meaning),
//   running = (1 - momentum) * running + momentum * batch,
// with the batch variance kept unbiased (times m/(m-1)) or biased, as the layer says.
import { BnxError } from '@bnx/ir';

export interface BatchNormLayout {
  batch: number;
  channels: number;
  /** Elements per channel per sample: H*W after conv, 1 after dense. */
  spatial: number;
}

export interface BatchStatistics {
  mean: Float64Array;
  /** Biased: divided by m = batch * spatial. */
  variance: Float64Array;
  /** m, the number of values per channel. */
  count: number;
}

export interface BatchNormTrainResult {
  y: Float64Array;
  /** The normalized input, kept for the backward pass. */
  xhat: Float64Array;
  /** 1 / sqrt(variance + epsilon) per channel. */
  invStd: Float64Array;
  stats: BatchStatistics;
}

export interface BatchNormGradients {
  dx: Float64Array;
  /** null without affine. */
  dgamma: Float64Array | null;
  dbeta: Float64Array | null;
}

function channelOf(i: number, l: BatchNormLayout): number {
  return Math.floor(i / l.spatial) % l.channels;
}

export function batchStatistics(x: Float64Array, l: BatchNormLayout): BatchStatistics {
  const count = l.batch * l.spatial;
  if (count < 2) {
    throw new BnxError(`batch normalization in training mode needs more than one value per channel, got ${count}: use a batch of at least 2 samples`);
  }
  const mean = new Float64Array(l.channels);
  const variance = new Float64Array(l.channels);
  for (let i = 0; i < x.length; i++) mean[channelOf(i, l)]! += x[i]!;
  for (let c = 0; c < l.channels; c++) mean[c]! /= count;
  for (let i = 0; i < x.length; i++) {
    const c = channelOf(i, l);
    variance[c]! += (x[i]! - mean[c]!) ** 2;
  }
  for (let c = 0; c < l.channels; c++) variance[c]! /= count;
  return { mean, variance, count };
}

function affine(xhat: Float64Array, gamma: Float64Array | null, beta: Float64Array | null, l: BatchNormLayout): Float64Array {
  const y = new Float64Array(xhat.length);
  for (let i = 0; i < xhat.length; i++) {
    const c = channelOf(i, l);
    y[i] = (gamma === null ? 1 : gamma[c]!) * xhat[i]! + (beta === null ? 0 : beta[c]!);
  }
  return y;
}

export function batchNormTrainForward(
  x: Float64Array,
  gamma: Float64Array | null,
  beta: Float64Array | null,
  epsilon: number,
  l: BatchNormLayout,
): BatchNormTrainResult {
  const stats = batchStatistics(x, l);
  const invStd = stats.variance.map((v) => 1 / Math.sqrt(v + epsilon));
  const xhat = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const c = channelOf(i, l);
    xhat[i] = (x[i]! - stats.mean[c]!) * invStd[c]!;
  }
  return { y: affine(xhat, gamma, beta, l), xhat, invStd, stats };
}

export function batchNormEvalForward(
  x: Float64Array,
  gamma: Float64Array | null,
  beta: Float64Array | null,
  runningMean: Float64Array,
  runningVar: Float64Array,
  epsilon: number,
  l: BatchNormLayout,
): Float64Array {
  const xhat = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const c = channelOf(i, l);
    xhat[i] = (x[i]! - runningMean[c]!) / Math.sqrt(runningVar[c]! + epsilon);
  }
  return affine(xhat, gamma, beta, l);
}

/**
 * Training-mode backward, the batch statistics depending on x. With g = dy * gamma (per element) and m values
 * per channel: dx = invStd / m * (m * g - sum(g) - xhat * sum(g * xhat)), sums per channel.
 */
export function batchNormTrainBackward(
  dy: Float64Array,
  forward: BatchNormTrainResult,
  gamma: Float64Array | null,
  hasAffine: boolean,
  l: BatchNormLayout,
): BatchNormGradients {
  const m = forward.stats.count;
  const sumG = new Float64Array(l.channels);
  const sumGXhat = new Float64Array(l.channels);
  const dgamma = hasAffine ? new Float64Array(l.channels) : null;
  const dbeta = hasAffine ? new Float64Array(l.channels) : null;
  for (let i = 0; i < dy.length; i++) {
    const c = channelOf(i, l);
    const g = dy[i]! * (gamma === null ? 1 : gamma[c]!);
    sumG[c]! += g;
    sumGXhat[c]! += g * forward.xhat[i]!;
    if (dgamma !== null) dgamma[c]! += dy[i]! * forward.xhat[i]!;
    if (dbeta !== null) dbeta[c]! += dy[i]!;
  }
  const dx = new Float64Array(dy.length);
  for (let i = 0; i < dy.length; i++) {
    const c = channelOf(i, l);
    const g = dy[i]! * (gamma === null ? 1 : gamma[c]!);
    dx[i] = (forward.invStd[c]! / m) * (m * g - sumG[c]! - forward.xhat[i]! * sumGXhat[c]!);
  }
  return { dx, dgamma, dbeta };
}

export interface RunningStatistics {
  mean: Float64Array;
  variance: Float64Array;
}

/** The running statistics after one training batch (new arrays; the inputs are not changed). */
export function updateRunningStatistics(
  running: RunningStatistics,
  batch: BatchStatistics,
  momentum: number,
  runningVar: 'unbiased' | 'biased',
): RunningStatistics {
  const correction = runningVar === 'unbiased' ? batch.count / (batch.count - 1) : 1;
  return {
    mean: running.mean.map((r, c) => (1 - momentum) * r + momentum * batch.mean[c]!),
    variance: running.variance.map((r, c) => (1 - momentum) * r + momentum * batch.variance[c]! * correction),
  };
}
