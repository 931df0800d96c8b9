import * as tf from '@tensorflow/tfjs-core';
import type { StoredLayout } from './layers/layer.js';

/** bnx-layout values to the stored layout (conv weights: OIHW to the HWIO that tf.conv2d takes). */
export function toStored(data: Float32Array, shape: number[], layout: StoredLayout): tf.Tensor {
  // A copy: the cpu engine would otherwise keep (and share) the caller's array.
  const t = tf.tensor(Float32Array.from(data), shape, 'float32');
  if (layout === 'same') return t;
  const hwio = tf.transpose(t, [2, 3, 1, 0]);
  t.dispose();
  return hwio;
}

/** A stored tensor back in bnx layout, as a fresh Float32Array. */
export function fromStored(t: tf.Tensor, layout: StoredLayout): { shape: number[]; data: Float32Array } {
  if (layout === 'same') return { shape: [...t.shape], data: Float32Array.from(t.dataSync() as Float32Array) };
  const oihw = tf.transpose(t, [3, 2, 0, 1]);
  const out = { shape: [...oihw.shape], data: Float32Array.from(oihw.dataSync() as Float32Array) };
  oihw.dispose();
  return out;
}
