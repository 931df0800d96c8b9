// Output size and leading padding of a sliding window (convolution or pooling) along one axis.
// SAME follows TensorFlow / ONNX SAME_UPPER: the output has ceil(in / stride) positions and, when the total
// padding is odd, the extra row or column goes at the END. VALID uses no padding and drops partial windows.
import { BnxError } from '@bnx/ir';

export type Padding = 'same' | 'valid';

export interface WindowAxis {
  /** Number of output positions along the axis. */
  outSize: number;
  /** Zero rows (or columns) virtually added before the first input element. */
  padBefore: number;
}

export function windowAxis(inSize: number, kernel: number, stride: number, padding: Padding): WindowAxis {
  if (!Number.isInteger(kernel) || kernel < 1 || !Number.isInteger(stride) || stride < 1) {
    throw new BnxError(`window of size ${kernel} and stride ${stride}: both must be positive integers`);
  }
  if (padding === 'same') {
    const outSize = Math.ceil(inSize / stride);
    const total = Math.max((outSize - 1) * stride + kernel - inSize, 0);
    return { outSize, padBefore: Math.floor(total / 2) };
  }
  if (inSize < kernel) {
    throw new BnxError(`window of size ${kernel} does not fit an input of size ${inSize} with valid padding`);
  }
  return { outSize: Math.floor((inSize - kernel) / stride) + 1, padBefore: 0 };
}
