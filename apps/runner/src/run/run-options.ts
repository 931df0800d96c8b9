// Parsing of the `bnx run` flags that carry values: --set KEY=VALUE, --seeds LIST, --jobs N, --device.
import { BnxError, parseSettingValue, type SweepValue } from '@bnx/ir';

/** `--set epochs=1 --set lr=0.1` → { epochs: 1, lr: 0.1 }. Keys are validated later by expandPlan. */
export function parseOverrides(pairs: readonly string[]): Record<string, SweepValue> {
  const out: Record<string, SweepValue> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0 || eq === pair.length - 1) throw new BnxError(`--set '${pair}': expected KEY=VALUE, e.g. --set epochs=1`, 'E_CLI_SET');
    const key = pair.slice(0, eq).trim();
    try {
      out[key] = parseSettingValue(pair.slice(eq + 1));
    } catch (err) {
      throw new BnxError(`--set ${key}: ${(err as Error).message}`, 'E_CLI_SET');
    }
  }
  return out;
}

/** As many seeds as a `seeds:` range may hold in a .bnx file (the DSL's limit on any range). */
export const MAX_SEEDS = 10_000;

/**
 * `1,2,3`, `1..5` or a mix such as `1..3,7`: distinct whole numbers from 0 to 2^53-1, at most MAX_SEEDS of
 * them. Every problem names the flag and the part of the list at fault.
 */
export function parseSeeds(text: string): number[] {
  const fail = (why: string) => new BnxError(`--seeds '${text}': ${why}`, 'E_CLI_SEEDS');
  const seed = (digits: string, part: string): number => {
    if (digits.startsWith('-')) throw fail(`${part === digits ? '' : `${part}: `}seeds are whole numbers from 0 up; ${digits} is negative`);
    const value = Number(digits);
    if (!Number.isSafeInteger(value)) throw fail(`${digits} is too large for a seed (at most 2^53-1 = ${Number.MAX_SAFE_INTEGER})`);
    return value;
  };
  const seeds: number[] = [];
  const seen = new Set<number>();
  const add = (s: number) => {
    if (seen.has(s)) throw fail(`seed ${s} is listed twice`);
    seen.add(s);
    seeds.push(s);
  };
  for (const part of text.split(',').map((p) => p.trim())) {
    const range = /^(-?\d+)\s*\.\.\s*(-?\d+)$/.exec(part);
    if (range) {
      const from = seed(range[1]!, part);
      const to = seed(range[2]!, part);
      if (to < from) throw fail(`the range ${part} is empty (it counts up, ${from} > ${to})`);
      if (to - from + 1 + seeds.length > MAX_SEEDS) throw fail(`${part} has ${to - from + 1} seeds; at most ${MAX_SEEDS} are allowed`);
      for (let s = from; s <= to; s++) add(s);
    } else if (/^-?\d+$/.test(part)) {
      add(seed(part, part));
    } else {
      throw fail(`${part === '' ? 'an empty entry' : `'${part}'`} is not a whole number or a range like 1..5`);
    }
    if (seeds.length > MAX_SEEDS) throw fail(`more than ${MAX_SEEDS} seeds`);
  }
  return seeds;
}

export function parseJobs(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new BnxError(`--jobs '${text}': expected a whole number of at least 1`, 'E_CLI_JOBS');
  return Number(text);
}

export function parseDevice(text: string): 'cpu' | 'cuda' | 'auto' {
  if (text === 'cpu' || text === 'cuda' || text === 'auto') return text;
  throw new BnxError(`--device '${text}': expected cpu, cuda or auto`, 'E_CLI_DEVICE');
}

/**
 * A path given to a flag such as --out: an empty one (`--out ""`, `--out $UNSET_VAR`) would resolve to the
 * current directory and write there, so it is refused.
 */
export function parsePath(flag: string, value: string | undefined): string | undefined {
  if (value !== undefined && value.trim() === '') throw new BnxError(`${flag}: expected a path, got an empty string`, 'E_CLI_PATH');
  return value;
}

/** Repeatable option collector for commander. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
