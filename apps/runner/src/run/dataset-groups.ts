// Runs grouped by the data they train on (dataset declaration with overrides applied, and seed), so each
// dataset is loaded once per seed and shared by every run that uses it, and only one is held at a time.
import type { RunSpec } from '@bnx/ir';

/** The dataset as data: its declaration without source positions, plus the seed that splits it. */
export function datasetKey(spec: RunSpec): string {
  return JSON.stringify([spec.dataset, spec.seed], (key, value: unknown) => (key === 'loc' ? undefined : value));
}

/** Groups in the order their first run appears in `specs`; runs keep their relative order. */
export function groupByDataset(specs: readonly RunSpec[]): RunSpec[][] {
  const groups = new Map<string, RunSpec[]>();
  for (const spec of specs) {
    const key = datasetKey(spec);
    const group = groups.get(key) ?? [];
    group.push(spec);
    groups.set(key, group);
  }
  return [...groups.values()];
}
