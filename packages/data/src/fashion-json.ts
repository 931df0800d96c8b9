// A fast reader for the one JSON shape the fashion-mnist package uses, `{"data": [[0,12,255,...], ...]}`:
// JSON.parse spends about 1.6 s of CPU on the package's ~150 MB and builds 70,000 arrays of values; this
// scanner reads the bytes straight into a Uint8Array in about 0.5 s. It accepts only the strict
// subset it understands (one "data" key, arrays of unsigned integers without leading zeros, JSON
// whitespace) and returns null on anything else, so the caller falls back to JSON.parse and the result
// never depends on which path read the file.

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const COMMA = 0x2c;
const OPEN = 0x5b; // [
const CLOSE = 0x5d; // ]
const ZERO = 0x30;
const NINE = 0x39;
const KEY = Array.from('{"data"', (ch) => ch.charCodeAt(0));

export interface ScannedRecords {
  /** kept * recordSize values. */
  data: Uint8Array;
  kept: number;
  /** Records that are not exactly `recordSize` integers in 0..255. */
  dropped: number;
}

/** Index of the first byte at or after `i` that is not JSON whitespace. */
function skipSpace(bytes: Uint8Array, i: number): number {
  let b = bytes[i];
  while (b === SPACE || b === LF || b === CR || b === TAB) b = bytes[++i];
  return i;
}

// One function with a local cursor and no closures over it: measured 2.5x faster than the same logic written
// with helper closures sharing the cursor (0.46 s against 1.2 s of CPU for the package's ten files).
export function scanRecords(bytes: Uint8Array, recordSize: number): ScannedRecords | null {
  const n = bytes.length;
  let i = 0;
  for (const b of KEY) {
    i = skipSpace(bytes, i);
    if (bytes[i++] !== b) return null;
  }
  i = skipSpace(bytes, i);
  if (bytes[i++] !== 0x3a) return null; // ':'
  i = skipSpace(bytes, i);
  if (bytes[i++] !== OPEN) return null;
  // A kept record takes at least 2 bytes per value ("0,"), which bounds how many can fit in the file.
  const capacity = Math.floor(n / (2 * recordSize)) + 1;
  const data = new Uint8Array(capacity * recordSize);
  let kept = 0;
  let dropped = 0;
  i = skipSpace(bytes, i);
  if (bytes[i] === CLOSE) i++;
  else {
    for (;;) {
      i = skipSpace(bytes, i);
      if (bytes[i++] !== OPEN) return null;
      const base = kept * recordSize;
      let count = 0;
      let valid = true;
      i = skipSpace(bytes, i);
      if (bytes[i] === CLOSE) i++;
      else {
        for (;;) {
          let b = bytes[i]!;
          while (b === SPACE || b === LF || b === CR || b === TAB) b = bytes[++i]!;
          if (!(b >= ZERO && b <= NINE)) return null; // also catches the end of the input (undefined)
          let value = b - ZERO;
          b = bytes[++i]!;
          if (value === 0 && b >= ZERO && b <= NINE) return null; // a leading zero is not JSON
          let digits = 1;
          while (b >= ZERO && b <= NINE) {
            value = value * 10 + (b - ZERO);
            if (++digits > 15) return null;
            b = bytes[++i]!;
          }
          if (value > 255) valid = false;
          if (valid && count < recordSize) data[base + count] = value;
          count++;
          while (b === SPACE || b === LF || b === CR || b === TAB) b = bytes[++i]!;
          i++;
          if (b === COMMA) continue;
          if (b === CLOSE) break;
          return null;
        }
      }
      if (valid && count === recordSize) kept++;
      else dropped++;
      i = skipSpace(bytes, i);
      const sep = bytes[i++];
      if (sep === COMMA) continue;
      if (sep === CLOSE) break;
      return null;
    }
  }
  i = skipSpace(bytes, i);
  if (bytes[i++] !== 0x7d) return null; // '}'
  i = skipSpace(bytes, i);
  return i === n ? { data: data.subarray(0, kept * recordSize), kept, dropped } : null;
}
