import { describe, expect, it } from 'vitest';
import { scanRecords } from './fashion-json.js';

const enc = (text: string) => new TextEncoder().encode(text);

/** What JSON.parse plus the record check of fashion-mnist.ts keep, for comparison. */
function reference(text: string, size: number): { data: number[]; kept: number; dropped: number } {
  const records = (JSON.parse(text) as { data: unknown[] }).data;
  const ok = (r: unknown): r is number[] => Array.isArray(r) && r.length === size && r.every((v) => Number.isInteger(v) && v >= 0 && v <= 255);
  const good = records.filter(ok);
  return { data: good.flat(), kept: good.length, dropped: records.length - good.length };
}

describe('scanRecords', () => {
  it('reads what JSON.parse reads, dropping the same records', () => {
    for (const text of [
      '{"data":[[1,2,3],[4,5,6]]}',
      '{"data":[[0,0,0],[],[255,254,253],[]]}',
      ' {\n "data" : [ [ 7 , 8 , 9 ] ,\r\n\t[1,2],[1,2,3,4],[300,1,1],[9,9,9] ] }\n',
      '{"data":[]}',
    ]) {
      const scanned = scanRecords(enc(text), 3);
      expect(scanned, text).not.toBeNull();
      expect({ data: Array.from(scanned!.data), kept: scanned!.kept, dropped: scanned!.dropped }).toEqual(reference(text, 3));
    }
  });

  it('declines anything outside its subset, so the caller falls back to JSON.parse', () => {
    for (const text of [
      '{"data":[[1,2,3.5]]}',
      '{"data":[[1,-2,3]]}',
      '{"data":[[1,"2",3]]}',
      '{"data":[[1,null,3]]}',
      '{"data":[[1,02,3]]}',
      '{"data":[[1,2,3]], "other": 1}',
      '{"data":[[1,2,3]]} x',
      '{"data":[[1,2,3]',
      '{"data":[[1,2,3],]}',
      '[[1,2,3]]',
    ]) {
      expect(scanRecords(enc(text), 3), text).toBeNull();
    }
  });
});
