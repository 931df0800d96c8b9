// 2-D convolution (cross-correlation, as in every framework), channels-first.
// Input (N, C, H, W); weight (O, C, KH, KW) (OIHW); bias (O); output (N, O, OH, OW).
import { windowAxis, type Padding } from './windows.js';

export interface Conv2dGeometry {
  batch: number;
  inChannels: number;
  inHeight: number;
  inWidth: number;
  outChannels: number;
  kernel: [number, number];
  stride: [number, number];
  padding: Padding;
}

export interface Conv2dGradients {
  dx: Float64Array;
  dw: Float64Array;
  db: Float64Array | null;
}

interface Resolved {
  outHeight: number;
  outWidth: number;
  padTop: number;
  padLeft: number;
}

function resolve(g: Conv2dGeometry): Resolved {
  const rows = windowAxis(g.inHeight, g.kernel[0], g.stride[0], g.padding);
  const cols = windowAxis(g.inWidth, g.kernel[1], g.stride[1], g.padding);
  return { outHeight: rows.outSize, outWidth: cols.outSize, padTop: rows.padBefore, padLeft: cols.padBefore };
}

/** Output (OH, OW) of the convolution. */
export function conv2dOutputSize(g: Conv2dGeometry): [number, number] {
  const r = resolve(g);
  return [r.outHeight, r.outWidth];
}

/**
 * Calls visit(xIndex, wIndex, yIndex) for every (input, weight, output) triple that contributes a product
 * x * w to y. Forward and backward both walk this one loop nest, so they cannot disagree about the geometry.
 */
function eachProduct(g: Conv2dGeometry, visit: (xi: number, wi: number, yi: number) => void): void {
  const r = resolve(g);
  const [kh, kw] = g.kernel;
  const [sh, sw] = g.stride;
  for (let n = 0; n < g.batch; n++) {
    for (let o = 0; o < g.outChannels; o++) {
      for (let oy = 0; oy < r.outHeight; oy++) {
        for (let ox = 0; ox < r.outWidth; ox++) {
          const yi = ((n * g.outChannels + o) * r.outHeight + oy) * r.outWidth + ox;
          for (let c = 0; c < g.inChannels; c++) {
            for (let ky = 0; ky < kh; ky++) {
              const iy = oy * sh - r.padTop + ky;
              if (iy < 0 || iy >= g.inHeight) continue;
              for (let kx = 0; kx < kw; kx++) {
                const ix = ox * sw - r.padLeft + kx;
                if (ix < 0 || ix >= g.inWidth) continue;
                const xi = ((n * g.inChannels + c) * g.inHeight + iy) * g.inWidth + ix;
                const wi = ((o * g.inChannels + c) * kh + ky) * kw + kx;
                visit(xi, wi, yi);
              }
            }
          }
        }
      }
    }
  }
}

export function conv2dForward(x: Float64Array, w: Float64Array, b: Float64Array | null, g: Conv2dGeometry): Float64Array {
  const [oh, ow] = conv2dOutputSize(g);
  const y = new Float64Array(g.batch * g.outChannels * oh * ow);
  if (b !== null) {
    for (let i = 0; i < y.length; i++) y[i] = b[Math.floor(i / (oh * ow)) % g.outChannels]!;
  }
  eachProduct(g, (xi, wi, yi) => {
    y[yi]! += x[xi]! * w[wi]!;
  });
  return y;
}

export function conv2dBackward(x: Float64Array, w: Float64Array, dy: Float64Array, hasBias: boolean, g: Conv2dGeometry): Conv2dGradients {
  const [oh, ow] = conv2dOutputSize(g);
  const dx = new Float64Array(x.length);
  const dw = new Float64Array(w.length);
  eachProduct(g, (xi, wi, yi) => {
    dx[xi]! += dy[yi]! * w[wi]!;
    dw[wi]! += dy[yi]! * x[xi]!;
  });
  let db: Float64Array | null = null;
  if (hasBias) {
    db = new Float64Array(g.outChannels);
    for (let i = 0; i < dy.length; i++) db[Math.floor(i / (oh * ow)) % g.outChannels]! += dy[i]!;
  }
  return { dx, dw, db };
}
