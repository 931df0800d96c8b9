// The initializers the IR can name, and what makes one invalid. The numbers themselves are drawn by
// @bnx/core; here is only what a valid one looks like.
import { didYouMean, formatValue, isNumber } from './format.js';
import type { Initializer, InitializerKind } from './types.js';

export const INITIALIZER_KINDS: readonly InitializerKind[] = [
  'glorot_uniform',
  'glorot_normal',
  'he_normal',
  'he_uniform',
  'lecun_normal',
  'lecun_uniform',
  'normal',
  'uniform',
  'zeros',
  'ones',
  'torch_default',
];

/** What is wrong with an initializer (unknown kind, bad argument), or undefined. */
export function initializerProblem(init: unknown): { message: string; hint?: string } | undefined {
  if (init === null || typeof init !== 'object') return { message: `an initializer is required; it is ${formatValue(init)}` };
  const kind = (init as { kind?: unknown }).kind;
  if (typeof kind !== 'string' || !(INITIALIZER_KINDS as readonly string[]).includes(kind)) {
    const hint = typeof kind === 'string' ? didYouMean(kind, INITIALIZER_KINDS) : undefined;
    const message = `unknown initializer '${formatValue(kind)}'; the initializers are ${INITIALIZER_KINDS.join(', ')}`;
    return hint === undefined ? { message } : { message, hint };
  }
  const typed = init as Initializer;
  if (typed.kind === 'normal') {
    if (!isNumber(typed.std) || !(typed.std > 0) || !Number.isFinite(typed.std)) {
      return { message: `normal initializer std must be above 0; it is ${formatValue(typed.std)}` };
    }
    if (typed.mean !== undefined && (!isNumber(typed.mean) || !Number.isFinite(typed.mean))) {
      return { message: `normal initializer mean must be a number; it is ${formatValue(typed.mean)}` };
    }
  }
  if (typed.kind === 'uniform' && (!isNumber(typed.limit) || !(typed.limit > 0) || !Number.isFinite(typed.limit))) {
    return { message: `uniform initializer limit must be above 0; it is ${formatValue(typed.limit)}` };
  }
  return undefined;
}

/** Initializers that take no arguments, which a sweep or `--set init=...` can name by identifier. */
export function initializerFromName(name: string): Initializer | undefined {
  if (name === 'normal' || name === 'uniform') return undefined;
  return (INITIALIZER_KINDS as readonly string[]).includes(name) ? ({ kind: name } as Initializer) : undefined;
}
