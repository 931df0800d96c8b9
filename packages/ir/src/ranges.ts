// Allowed ranges for numeric values, and the one sentence every range check says, so that a dropout rate,
// a batch size and a momentum are all reported the same way: "<what> must be <rule>; it is <value>".
import { formatValue } from './format.js';

export interface NumberRange {
  /** A whole number is required. */
  integer?: boolean;
  min?: number;
  /** The minimum itself is not allowed (min < value). */
  minExclusive?: boolean;
  max?: number;
  maxExclusive?: boolean;
}

/** `a whole number of at least 1`, `at least 0 and below 1`, `above 0`, `between 0 and 1`. */
export function describeRange(range: NumberRange): string {
  const parts: string[] = [];
  const { min, max } = range;
  if (min !== undefined && max !== undefined && !range.minExclusive && !range.maxExclusive) {
    parts.push(`between ${min} and ${max}`);
  } else {
    if (min !== undefined) parts.push(range.minExclusive ? `above ${min}` : `at least ${min}`);
    if (max !== undefined) parts.push(range.maxExclusive ? `below ${max}` : `at most ${max}`);
  }
  const bounds = parts.join(' and ');
  if (range.integer) return bounds === '' ? 'a whole number' : `a whole number ${bounds.startsWith('between') ? '' : 'of '}${bounds}`;
  return bounds === '' ? 'a number' : bounds;
}

export function inRange(value: number, range: NumberRange): boolean {
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (range.integer && !Number.isSafeInteger(value)) return false;
  if (range.min !== undefined && (range.minExclusive ? value <= range.min : value < range.min)) return false;
  if (range.max !== undefined && (range.maxExclusive ? value >= range.max : value > range.max)) return false;
  return true;
}

/** `must be a whole number of at least 1; it is -5`, or undefined when the value is allowed. */
export function rangeProblem(value: unknown, range: NumberRange): string | undefined {
  if (typeof value === 'number' && inRange(value, range)) return undefined;
  return `must be ${describeRange(range)}; it is ${formatValue(value)}`;
}
