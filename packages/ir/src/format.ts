// Small formatting and lookup helpers shared by the checks, so every message says values the same way.
import type { NodeLocation, SourceRange } from './types.js';

/** `(1, 28, 28)`: how shapes appear in messages (channels first, no batch axis). */
export function formatShape(shape: readonly number[]): string {
  return `(${shape.join(', ')})`;
}

/** A value as the user would have written it. */
export function formatValue(value: unknown): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : String(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (value === undefined) return 'missing';
  return JSON.stringify(value) ?? String(value);
}

export function isNumber(value: unknown): value is number {
  return typeof value === 'number' && !Number.isNaN(value);
}

export function isWholeNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/**
 * The range of the value that set one of a node's fields, trying each name in turn (a field may be keyed by
 * its DSL spelling, `running_var`, or its IR spelling, `runningVar`), else the node's own range.
 */
export function fieldRange(loc: NodeLocation | undefined, ...names: string[]): SourceRange | undefined {
  if (loc === undefined || loc === null || typeof loc !== 'object') return undefined;
  const fields = loc.fields;
  if (fields !== undefined && fields !== null && typeof fields === 'object') {
    for (const name of names) {
      const range = fields[name];
      if (range !== undefined) return range;
    }
  }
  return loc.range;
}

/** Edit distance counting a swap of two neighbours as one edit (optimal string alignment), for "did you mean". */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i]!;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(d[i - 1]![j]! + 1, row[j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** The objects of a list that may be half-built: not an array gives [], null or non-object items are left out. */
export function objects<T>(value: readonly T[] | undefined | null): T[] {
  return Array.isArray(value) ? value.filter((item): item is T => item !== null && typeof item === 'object') : [];
}

/**
 * The closest other candidate within a third of the word's length (at least 1, at most 3 edits): a likely
 * typo. The one "did you mean" of bnx; the DSL re-exports it.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  if (typeof word !== 'string') return undefined;
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (typeof candidate !== 'string' || candidate === word) continue;
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** `did you mean 'batch'?`, or undefined when nothing is close. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const match = closest(word, candidates);
  return match === undefined ? undefined : `did you mean '${match}'?`;
}
