import { describe, expect, it } from 'vitest';
import type { Initializer } from '@bnx/ir';
import { initialValues } from './initializers.js';

function moments(xs: Float32Array): { mean: number; std: number; maxAbs: number } {
  let s = 0;
  let maxAbs = 0;
  for (const x of xs) {
    s += x;
    maxAbs = Math.max(maxAbs, Math.abs(x));
  }
  const mean = s / xs.length;
  let v = 0;
  for (const x of xs) v += (x - mean) ** 2;
  return { mean, std: Math.sqrt(v / xs.length), maxAbs };
}

// A conv-like weight: fanIn = 3*3*16 = 144, fanOut = 3*3*32 = 288; 40k values keep the standard error of the
// sample std near 0.4%.
const target = { size: 40000, fanIn: 144, fanOut: 288, seed: 5, purpose: 'init/test.weight' };

/** [initializer, expected std, bound the values must respect (Infinity: none)]. */
const cases: [Initializer, number, number][] = [
  [{ kind: 'glorot_uniform' }, Math.sqrt(6 / 432) / Math.sqrt(3), Math.sqrt(6 / 432)],
  [{ kind: 'glorot_normal' }, Math.sqrt(2 / 432), (2 * Math.sqrt(2 / 432)) / 0.87962566103423978],
  [{ kind: 'he_normal' }, Math.sqrt(2 / 144), (2 * Math.sqrt(2 / 144)) / 0.87962566103423978],
  [{ kind: 'he_uniform' }, Math.sqrt(6 / 144) / Math.sqrt(3), Math.sqrt(6 / 144)],
  [{ kind: 'lecun_normal' }, Math.sqrt(1 / 144), (2 * Math.sqrt(1 / 144)) / 0.87962566103423978],
  [{ kind: 'lecun_uniform' }, Math.sqrt(3 / 144) / Math.sqrt(3), Math.sqrt(3 / 144)],
  [{ kind: 'normal', std: 0.05 }, 0.05, Number.POSITIVE_INFINITY],
  [{ kind: 'uniform', limit: 0.2 }, 0.2 / Math.sqrt(3), 0.2],
  [{ kind: 'torch_default' }, 1 / Math.sqrt(144) / Math.sqrt(3), 1 / Math.sqrt(144)],
];

describe('initialValues', () => {
  for (const [init, std, bound] of cases) {
    it(`${init.kind} has mean 0, std ${std.toPrecision(3)} and stays within ${bound.toPrecision(3)}`, () => {
      const m = moments(initialValues(init, target));
      expect(Math.abs(m.mean)).toBeLessThan(4 * (std / Math.sqrt(target.size)));
      expect(Math.abs(m.std / std - 1)).toBeLessThan(0.015);
      expect(m.maxAbs).toBeLessThanOrEqual(bound * (1 + 1e-6));
      // Uniform and truncated draws reach close to their bound; plain normals go well beyond 2 std.
      if (Number.isFinite(bound)) expect(m.maxAbs).toBeGreaterThan(0.98 * bound);
      else expect(m.maxAbs).toBeGreaterThan(3 * std);
    });
  }

  it('normal honours its mean', () => {
    const m = moments(initialValues({ kind: 'normal', std: 0.1, mean: 0.5 }, target));
    expect(m.mean).toBeCloseTo(0.5, 2);
  });

  it('zeros and ones are constants', () => {
    expect(initialValues({ kind: 'zeros' }, { ...target, size: 5 })).toEqual(new Float32Array(5));
    expect(initialValues({ kind: 'ones' }, { ...target, size: 3 })).toEqual(new Float32Array([1, 1, 1]));
  });

  it('depends only on the seed and purpose', () => {
    const a = initialValues({ kind: 'he_normal' }, { ...target, size: 100 });
    expect(initialValues({ kind: 'he_normal' }, { ...target, size: 100 })).toEqual(a);
    expect(initialValues({ kind: 'he_normal' }, { ...target, size: 100, purpose: 'other' })).not.toEqual(a);
    expect(initialValues({ kind: 'he_normal' }, { ...target, size: 100, seed: 6 })).not.toEqual(a);
  });
});
