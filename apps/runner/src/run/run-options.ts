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

/** `1,2,3`, `1..5` or a mix such as `1..3,7`. */
export function parseSeeds(text: string): number[] {
  const seeds: number[] = [];
  for (const part of text.split(',').map((p) => p.trim())) {
    const range = /^(-?\d+)\.\.(-?\d+)$/.exec(part);
    if (range) {
      const from = Number(range[1]);
      const to = Number(range[2]);
      if (to < from) throw new BnxError(`--seeds '${text}': the range ${part} is empty (it counts up, ${from} > ${to})`, 'E_CLI_SEEDS');
      for (let s = from; s <= to; s++) seeds.push(s);
    } else if (/^-?\d+$/.test(part)) {
      seeds.push(Number(part));
    } else {
      throw new BnxError(`--seeds '${text}': '${part}' is not a whole number or a range like 1..5`, 'E_CLI_SEEDS');
    }
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

/** Repeatable option collector for commander. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
