// validate(): every check on a whole program, as diagnostics sorted by position. Never throws, whatever the
// input: the DSL calls it on half-built IR after its own errors, so every check reads fields defensively,
// and a crash inside a check becomes one E1901 diagnostic instead of an exception.
import { checkDataset } from './check-dataset.js';
import { checkExperiment } from './check-experiment.js';
import { checkDatasetSize, checkModelSize } from './check-sizes.js';
import { checkTrain } from './check-train.js';
import { diagnostic } from './codes.js';
import { inferShapes } from './shapes.js';
import type { Diagnostic, ProgramIR } from './types.js';

const list = <T>(value: T[] | undefined): T[] => (Array.isArray(value) ? value : []);

function guarded(what: string, check: () => Diagnostic[]): Diagnostic[] {
  try {
    return check();
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return [diagnostic('E1901', `internal error while checking ${what}: ${reason}`, undefined)];
  }
}

/** Drops repeats (a variant's model shares its layers' locations with the model it derives from). */
function unique(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code}|${d.message}|${d.range?.file}:${d.range?.start.offset}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** By file, then position; diagnostics without a position keep their order, after the others. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) => {
      const ra = a.d.range;
      const rb = b.d.range;
      if (!ra || !rb) return ra ? -1 : rb ? 1 : a.i - b.i;
      if (ra.file !== rb.file) return ra.file < rb.file ? -1 : 1;
      return ra.start.offset - rb.start.offset || a.i - b.i;
    })
    .map(({ d }) => d);
}

export function validate(program: ProgramIR): Diagnostic[] {
  if (program === null || typeof program !== 'object') {
    return [diagnostic('E1901', 'internal error: validate() was given no program', undefined)];
  }
  const out: Diagnostic[] = [];
  for (const dataset of list(program.datasets))
    out.push(...guarded(`dataset '${dataset?.name}'`, () => [...checkDataset(dataset), ...checkDatasetSize(dataset)]));
  for (const model of list(program.models)) {
    out.push(
      ...guarded(`model '${model?.name}'`, () => (model && typeof model === 'object' ? [...inferShapes(model).diagnostics, ...checkModelSize(model)] : [])),
    );
  }
  for (const train of list(program.trains)) out.push(...guarded(`train '${train?.name}'`, () => checkTrain(train)));
  for (const experiment of list(program.experiments)) {
    out.push(...guarded(`experiment '${experiment?.name}'`, () => checkExperiment(experiment, program)));
  }
  return sortDiagnostics(unique(out));
}
