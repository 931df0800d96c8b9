// Element-wise activations and softmax. Backward functions take the forward INPUT x (softmax: its output y)
// and the upstream gradient dy. At the kinks the derivative is taken from the left: relu'(0) = 0,
// leaky_relu'(0) = alpha, elu'(0) = alpha (x > 0 is the "positive" branch everywhere), as in PyTorch.

function map(x: Float64Array, f: (v: number) => number): Float64Array {
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = f(x[i]!);
  return y;
}

function chain(x: Float64Array, dy: Float64Array, derivative: (v: number) => number): Float64Array {
  const dx = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) dx[i] = dy[i]! * derivative(x[i]!);
  return dx;
}

export const reluForward = (x: Float64Array): Float64Array => map(x, (v) => (v > 0 ? v : 0));
export const reluBackward = (x: Float64Array, dy: Float64Array): Float64Array => chain(x, dy, (v) => (v > 0 ? 1 : 0));

export const leakyReluForward = (x: Float64Array, alpha: number): Float64Array => map(x, (v) => (v > 0 ? v : alpha * v));
export const leakyReluBackward = (x: Float64Array, dy: Float64Array, alpha: number): Float64Array => chain(x, dy, (v) => (v > 0 ? 1 : alpha));

const logistic = (v: number): number => 1 / (1 + Math.exp(-v));
export const sigmoidForward = (x: Float64Array): Float64Array => map(x, logistic);
export const sigmoidBackward = (x: Float64Array, dy: Float64Array): Float64Array => chain(x, dy, (v) => logistic(v) * (1 - logistic(v)));

export const tanhForward = (x: Float64Array): Float64Array => map(x, Math.tanh);
export const tanhBackward = (x: Float64Array, dy: Float64Array): Float64Array => chain(x, dy, (v) => 1 - Math.tanh(v) ** 2);

export const eluForward = (x: Float64Array, alpha: number): Float64Array => map(x, (v) => (v > 0 ? v : alpha * Math.expm1(v)));
export const eluBackward = (x: Float64Array, dy: Float64Array, alpha: number): Float64Array => chain(x, dy, (v) => (v > 0 ? 1 : alpha * Math.exp(v)));

/**
 * Softmax over the LAST axis (the default of tfjs, Keras and ONNX Softmax-13): after dense that is the
 * features; on a (C, H, W) sample it is W. `width` is the size of the last axis.
 */
export function softmaxForward(x: Float64Array, width: number): Float64Array {
  const y = new Float64Array(x.length);
  for (let row = 0; row < x.length; row += width) {
    let max = -Infinity;
    for (let j = 0; j < width; j++) max = Math.max(max, x[row + j]!);
    let sum = 0;
    for (let j = 0; j < width; j++) sum += Math.exp(x[row + j]! - max);
    for (let j = 0; j < width; j++) y[row + j] = Math.exp(x[row + j]! - max) / sum;
  }
  return y;
}

/** dx = y * (dy - sum(dy * y)) per row, from the softmax OUTPUT y. */
export function softmaxBackward(y: Float64Array, dy: Float64Array, width: number): Float64Array {
  const dx = new Float64Array(y.length);
  for (let row = 0; row < y.length; row += width) {
    let dot = 0;
    for (let j = 0; j < width; j++) dot += dy[row + j]! * y[row + j]!;
    for (let j = 0; j < width; j++) dx[row + j] = y[row + j]! * (dy[row + j]! - dot);
  }
  return dx;
}
