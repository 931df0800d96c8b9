// Flatten: (N, C, H, W) -> (N, C*H*W) in channels-first order. Data is sample-major and row-major, so the
// values do not move; only the shape changes. Forward and backward are copies, kept as functions so every op
// of the catalogue has the same forward/backward pair.

export function flattenForward(x: Float64Array): Float64Array {
  return Float64Array.from(x);
}

export function flattenBackward(dy: Float64Array): Float64Array {
  return Float64Array.from(dy);
}
