// Inverted dropout with a given mask: every mask value is 0 (dropped) or 1/(1-rate) (kept), so training
// output is x * mask and evaluation is the identity. Masks come from @bnx/core's PRNG, never from here.
import { BnxError } from '@bnx/ir';

export function dropoutForward(x: Float64Array, mask: Float32Array | Float64Array): Float64Array {
  if (mask.length !== x.length) {
    throw new BnxError(`dropout mask has ${mask.length} values but the layer input has ${x.length}`);
  }
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = x[i]! * mask[i]!;
  return y;
}

export function dropoutBackward(dy: Float64Array, mask: Float32Array | Float64Array): Float64Array {
  const dx = new Float64Array(dy.length);
  for (let i = 0; i < dy.length; i++) dx[i] = dy[i]! * mask[i]!;
  return dx;
}
