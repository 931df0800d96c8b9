import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { activateEngine } from '../engine.js';
import { blockCount, columnSumValues } from './column_sums.js';

describe('blockCount', () => {
  it('sums short columns in one pass', () => {
    expect(blockCount(512)).toBe(1);
    expect(blockCount(1024)).toBe(1);
  });

  it('picks the divisor that makes the longest accumulation, M/k + k, shortest', () => {
    expect(blockCount(50_176)).toBe(224); // batch 64 at 28x28
    expect(blockCount(12_544)).toBe(112); // 64 x 14 x 14
    expect(blockCount(2 * 1031)).toBe(2);
    expect(blockCount(4099)).toBe(1); // a prime: nothing to split by
  });
});

describe('columnSumValues on wasm', () => {
  beforeAll(async () => {
    await activateEngine('wasm');
  });

  // One sequential float32 accumulation over 50,176 rows was off by 8.9e-6 relative (measured); the blocked
  // sum by 2.5e-7. Batch-norm statistics after a conv are such sums.
  it.each([1000, 12_544, 50_176])('sums %i rows within 1e-6 of float64', (rows) => {
    let seed = 1;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const columns = 32;
    const x = new Float32Array(rows * columns);
    for (let i = 0; i < x.length; i++) x[i] = random() * 2 - 0.9;
    const exact = new Float64Array(columns);
    for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) exact[c]! += x[r * columns + c]!;
    const sums = tf.tidy(() => columnSumValues(tf.tensor2d(x, [rows, columns])));
    let worst = 0;
    for (let c = 0; c < columns; c++) worst = Math.max(worst, Math.abs(sums[c]! - exact[c]!) / Math.abs(exact[c]!));
    expect(worst).toBeLessThan(1e-6);
  });
});
