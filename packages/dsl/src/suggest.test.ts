import { describe, expect, it } from 'vitest';
import { closestMatch, didYouMean, editDistance } from './suggest.js';

describe('suggestions', () => {
  it('counts a transposition as one edit', () => {
    expect(editDistance('mpl', 'mlp')).toBe(1);
    expect(editDistance('dense2', 'dense')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests only close matches', () => {
    expect(didYouMean('dense2', ['dense', 'conv2d', 'relu'])).toBe("did you mean 'dense'?");
    expect(closestMatch('xyz', ['dense', 'relu'])).toBeUndefined();
    expect(closestMatch('Relu', ['relu'])).toBe('relu');
  });
});
