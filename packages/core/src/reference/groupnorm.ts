// Group normalization (Wu & He 2018) and layer normalization (its one-group case) with PyTorch's conventions:
// each sample's channels split into G groups of consecutive channels; every group of every sample is
// normalized over its (C/G)·S values with its own mean and BIASED variance, then scaled and shifted per
// channel. The input is (N, C, S) with S = H·W after conv and 1 after dense. Training and evaluation are
// the same computation; there are no running statistics.

export interface GroupNormLayout {
  batch: number;
  channels: number;
  /** Elements per channel per sample: H·W after conv, 1 after dense. */
  spatial: number;
  groups: number;
}

export interface GroupNormForward {
  y: Float64Array;
  /** The normalized input, kept for the backward pass. */
  xhat: Float64Array;
  /** 1 / sqrt(variance + epsilon) per (sample, group), index n·G + g. */
  invStd: Float64Array;
}

export interface GroupNormGradients {
  dx: Float64Array;
  /** null without affine. */
  dgamma: Float64Array | null;
  dbeta: Float64Array | null;
}

/** Values of one (sample, group): they are contiguous in (N, C, S) because a group's channels are. */
function groupSize(l: GroupNormLayout): number {
  return (l.channels / l.groups) * l.spatial;
}

const channelOf = (i: number, l: GroupNormLayout): number => Math.floor(i / l.spatial) % l.channels;

export function groupNormForward(
  x: Float64Array,
  gamma: Float64Array | null,
  beta: Float64Array | null,
  epsilon: number,
  l: GroupNormLayout,
): GroupNormForward {
  const m = groupSize(l);
  const y = new Float64Array(x.length);
  const xhat = new Float64Array(x.length);
  const invStd = new Float64Array(l.batch * l.groups);
  for (let group = 0; group < l.batch * l.groups; group++) {
    const start = group * m;
    let mean = 0;
    for (let i = start; i < start + m; i++) mean += x[i]!;
    mean /= m;
    let variance = 0;
    for (let i = start; i < start + m; i++) variance += (x[i]! - mean) ** 2;
    variance /= m;
    const inv = 1 / Math.sqrt(variance + epsilon);
    invStd[group] = inv;
    for (let i = start; i < start + m; i++) {
      xhat[i] = (x[i]! - mean) * inv;
      const c = channelOf(i, l);
      y[i] = gamma === null || beta === null ? xhat[i]! : gamma[c]! * xhat[i]! + beta[c]!;
    }
  }
  return { y, xhat, invStd };
}

/** dx = invStd · (dxhat - mean(dxhat) - xhat · mean(dxhat · xhat)) per group, with dxhat = dy · gamma. */
export function groupNormBackward(dy: Float64Array, forward: GroupNormForward, gamma: Float64Array | null, l: GroupNormLayout): GroupNormGradients {
  const m = groupSize(l);
  const dx = new Float64Array(dy.length);
  const dgamma = gamma === null ? null : new Float64Array(l.channels);
  const dbeta = gamma === null ? null : new Float64Array(l.channels);
  const { xhat, invStd } = forward;
  for (let group = 0; group < l.batch * l.groups; group++) {
    const start = group * m;
    let sum = 0;
    let sumXhat = 0;
    for (let i = start; i < start + m; i++) {
      const c = channelOf(i, l);
      const dxhat = gamma === null ? dy[i]! : dy[i]! * gamma[c]!;
      sum += dxhat;
      sumXhat += dxhat * xhat[i]!;
      if (dgamma !== null && dbeta !== null) {
        dgamma[c]! += dy[i]! * xhat[i]!;
        dbeta[c]! += dy[i]!;
      }
    }
    for (let i = start; i < start + m; i++) {
      const c = channelOf(i, l);
      const dxhat = gamma === null ? dy[i]! : dy[i]! * gamma[c]!;
      dx[i] = invStd[group]! * (dxhat - sum / m - (xhat[i]! * sumXhat) / m);
    }
  }
  return { dx, dgamma, dbeta };
}
