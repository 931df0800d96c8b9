// Output size and padding of a 2-D window op, by the TensorFlow rule that tfjs kernels use: 'valid' takes no
// padding; 'same' gives ceil(in / stride) outputs and puts the odd padding pixel at the bottom/right.
export interface AxisGeometry {
  out: number;
  padBefore: number;
  padAfter: number;
}

export function axisGeometry(size: number, kernel: number, stride: number, padding: 'same' | 'valid'): AxisGeometry {
  if (padding === 'valid') return { out: Math.floor((size - kernel) / stride) + 1, padBefore: 0, padAfter: 0 };
  const out = Math.ceil(size / stride);
  const total = Math.max(0, (out - 1) * stride + kernel - size);
  const padBefore = Math.floor(total / 2);
  return { out, padBefore, padAfter: total - padBefore };
}
