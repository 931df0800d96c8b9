import { describe, expect, it } from 'vitest';
import { isBnxError, windowAxis as irWindowAxis } from '@bnx/ir';
import { windowAxis } from './windows.js';

describe('windowAxis', () => {
  it('valid drops the partial window', () => {
    expect(windowAxis(5, 2, 2, 'valid')).toEqual({ outSize: 2, padBefore: 0 });
    expect(windowAxis(7, 3, 2, 'valid')).toEqual({ outSize: 3, padBefore: 0 });
  });

  it('same gives ceil(in / stride) outputs and puts the odd padding at the end (TF / SAME_UPPER)', () => {
    // in 5, kernel 2, stride 2: 3 outputs need (3-1)*2+2 = 6 inputs, total padding 1, none before.
    expect(windowAxis(5, 2, 2, 'same')).toEqual({ outSize: 3, padBefore: 0 });
    // in 4, kernel 3, stride 1: total padding 2, split 1 before, 1 after.
    expect(windowAxis(4, 3, 1, 'same')).toEqual({ outSize: 4, padBefore: 1 });
    // in 6, kernel 4, stride 1: total padding 3, 1 before and 2 after.
    expect(windowAxis(6, 4, 1, 'same')).toEqual({ outSize: 6, padBefore: 1 });
  });

  it('rejects a valid window larger than the input with a BnxError', () => {
    let caught: unknown;
    try {
      windowAxis(2, 3, 1, 'valid');
    } catch (err) {
      caught = err;
    }
    expect(isBnxError(caught)).toBe(true);
  });
});

describe('the reference window geometry is its own, and agrees with the IR catalogue', () => {
  it('matches @bnx/ir windowAxis on every size 1-9, kernel 1-5, stride 1-3, both paddings', () => {
    let compared = 0;
    for (const padding of ['same', 'valid'] as const)
      for (let size = 1; size <= 9; size++)
        for (let kernel = 1; kernel <= 5; kernel++)
          for (let stride = 1; stride <= 3; stride++) {
            const ir = irWindowAxis(size, kernel, stride, padding);
            if (ir.out < 1) {
              expect(() => windowAxis(size, kernel, stride, padding)).toThrow();
              continue;
            }
            expect(windowAxis(size, kernel, stride, padding), `${padding} ${size}/${kernel}/${stride}`).toEqual({ outSize: ir.out, padBefore: ir.padBefore });
            compared++;
          }
    expect(compared).toBeGreaterThan(200);
  });
});
