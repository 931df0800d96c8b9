// @bnx/data keeps its own copy of the Philox generator (core depends on data, not the other way round).
// This checks that the copy and @bnx/core's generator give the same numbers for the same (seed, purpose,
// index), so data order and weight initialisation come from one generator in effect.
import { describe, expect, it } from 'vitest';
import { normals as coreNormals, uniforms as coreUniforms } from '@bnx/core';
import { normals, uniforms } from '@bnx/data';

describe('@bnx/data PRNG matches @bnx/core', () => {
  it('gives identical uniforms and normals', () => {
    for (const [seed, purpose, index] of [[0, 'data/epoch', 0], [42, 'data/epoch', 7], [2 ** 40 + 3, 'data/validation', 0]] as const) {
      expect(Array.from(uniforms(seed, purpose, 257, index))).toEqual(Array.from(coreUniforms(seed, purpose, 257, index)));
      expect(Array.from(normals(seed, purpose, 33, index))).toEqual(Array.from(coreNormals(seed, purpose, 33, index)));
    }
  });
});
