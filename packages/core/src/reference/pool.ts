// Max and average pooling, channels-first (N, C, H, W) -> (N, C, OH, OW), with the window conventions of
// windows.ts. Padded positions never take part: a max ignores them, and an average divides by the number
// of real input elements in the window ("valid windows only", count_include_pad = false in PyTorch terms).
// The IR's pooling layers have no padding attribute, so the backend always uses 'valid'; 'same' is here
// for completeness and is covered by the unit tests.
import { windowAxis, type Padding } from './windows.js';

export interface PoolGeometry {
  batch: number;
  channels: number;
  inHeight: number;
  inWidth: number;
  size: [number, number];
  stride: [number, number];
  padding: Padding;
}

export function poolOutputSize(g: PoolGeometry): [number, number] {
  return [windowAxis(g.inHeight, g.size[0], g.stride[0], g.padding).outSize, windowAxis(g.inWidth, g.size[1], g.stride[1], g.padding).outSize];
}

/** Calls visit(yIndex, inputIndices) for every output position with the input elements of its window. */
function eachWindow(g: PoolGeometry, visit: (yi: number, window: number[]) => void): void {
  const rows = windowAxis(g.inHeight, g.size[0], g.stride[0], g.padding);
  const cols = windowAxis(g.inWidth, g.size[1], g.stride[1], g.padding);
  for (let n = 0; n < g.batch; n++) {
    for (let c = 0; c < g.channels; c++) {
      const plane = (n * g.channels + c) * g.inHeight * g.inWidth;
      for (let oy = 0; oy < rows.outSize; oy++) {
        for (let ox = 0; ox < cols.outSize; ox++) {
          const window: number[] = [];
          for (let ky = 0; ky < g.size[0]; ky++) {
            const iy = oy * g.stride[0] - rows.padBefore + ky;
            if (iy < 0 || iy >= g.inHeight) continue;
            for (let kx = 0; kx < g.size[1]; kx++) {
              const ix = ox * g.stride[1] - cols.padBefore + kx;
              if (ix < 0 || ix >= g.inWidth) continue;
              window.push(plane + iy * g.inWidth + ix);
            }
          }
          visit(((n * g.channels + c) * rows.outSize + oy) * cols.outSize + ox, window);
        }
      }
    }
  }
}

function outputLength(g: PoolGeometry): number {
  const [oh, ow] = poolOutputSize(g);
  return g.batch * g.channels * oh * ow;
}

/** Index of the largest element of the window; ties go to the first in row-major order. */
function argmax(x: Float64Array, window: number[]): number {
  let best = window[0]!;
  for (const i of window) if (x[i]! > x[best]!) best = i;
  return best;
}

export function maxpoolForward(x: Float64Array, g: PoolGeometry): Float64Array {
  const y = new Float64Array(outputLength(g));
  eachWindow(g, (yi, window) => {
    y[yi] = x[argmax(x, window)]!;
  });
  return y;
}

/** The gradient of each output flows to the one input that was its maximum (the first one on ties). */
export function maxpoolBackward(x: Float64Array, dy: Float64Array, g: PoolGeometry): Float64Array {
  const dx = new Float64Array(x.length);
  eachWindow(g, (yi, window) => {
    dx[argmax(x, window)]! += dy[yi]!;
  });
  return dx;
}

export function avgpoolForward(x: Float64Array, g: PoolGeometry): Float64Array {
  const y = new Float64Array(outputLength(g));
  eachWindow(g, (yi, window) => {
    let sum = 0;
    for (const i of window) sum += x[i]!;
    y[yi] = sum / window.length;
  });
  return y;
}

export function avgpoolBackward(dy: Float64Array, g: PoolGeometry): Float64Array {
  const dx = new Float64Array(g.batch * g.channels * g.inHeight * g.inWidth);
  eachWindow(g, (yi, window) => {
    for (const i of window) dx[i]! += dy[yi]! / window.length;
  });
  return dx;
}
