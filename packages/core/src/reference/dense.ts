// Fully connected layer: y[n, o] = b[o] + sum_i x[n, i] * w[i, o]. Weight layout [in, out], bias [out].

export interface DenseDims {
  batch: number;
  inputs: number;
  units: number;
}

export interface DenseGradients {
  dx: Float64Array;
  dw: Float64Array;
  /** null when the layer has no bias. */
  db: Float64Array | null;
}

export function denseForward(x: Float64Array, w: Float64Array, b: Float64Array | null, d: DenseDims): Float64Array {
  const y = new Float64Array(d.batch * d.units);
  for (let n = 0; n < d.batch; n++) {
    for (let o = 0; o < d.units; o++) {
      let sum = b === null ? 0 : b[o]!;
      for (let i = 0; i < d.inputs; i++) sum += x[n * d.inputs + i]! * w[i * d.units + o]!;
      y[n * d.units + o] = sum;
    }
  }
  return y;
}

export function denseBackward(x: Float64Array, w: Float64Array, dy: Float64Array, hasBias: boolean, d: DenseDims): DenseGradients {
  const dx = new Float64Array(d.batch * d.inputs);
  const dw = new Float64Array(d.inputs * d.units);
  const db = hasBias ? new Float64Array(d.units) : null;
  for (let n = 0; n < d.batch; n++) {
    for (let o = 0; o < d.units; o++) {
      const g = dy[n * d.units + o]!;
      if (db !== null) db[o]! += g;
      for (let i = 0; i < d.inputs; i++) {
        dx[n * d.inputs + i]! += g * w[i * d.units + o]!;
        dw[i * d.units + o]! += g * x[n * d.inputs + i]!;
      }
    }
  }
  return { dx, dw, db };
}
