// `bnx check FILE...`: parse, lower and validate each file. Exit 0 with one OK line per file when all are
// valid; otherwise the diagnostics on stderr and exit 1. With --json, one JSON document on stdout instead
// (for editors and CI annotations), with the same exit status.
import type { Command } from 'commander';
import { checkFile } from '@bnx/dsl';
import { plannedClaims, type Diagnostic, type ProgramIR } from '@bnx/ir';
import { seedCountWarning } from '@bnx/metrics';
import { hasErrors, printDiagnostics } from './diagnostics-output.js';

/** The code of the warning below (the runner's own; IR and DSL codes are documented in their READMEs). */
export const SEED_COUNT_WARNING = 'W2001';

/**
 * Warnings for experiments whose seeds are too few for any of bnx's tests to reach p < 0.05 (e.g. 3 seeds,
 * where the paired comparisons use the exact sign-flip test, whose smallest p is 0.25): known before any run.
 */
export function seedCountDiagnostics(program: ProgramIR): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const e of program.experiments) {
    const message = seedCountWarning({
      seeds: e.seeds.length,
      variants: e.variants.length,
      sweepPoints: e.sweeps.reduce((n, s) => n * Math.max(1, s.values.length), 1),
      declaredTarget: e.target !== undefined,
    });
    if (message === null) continue;
    const range = e.loc?.fields?.seeds ?? e.loc?.range;
    out.push({ severity: 'warning', code: SEED_COUNT_WARNING, message: `experiment ${e.name}: ${message}`, ...(range ? { range } : {}) });
  }
  return out;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What the experiment will decide, fixed before any run: "decides faster_convergence, deeper_networks (by default)". */
function claimsLine(e: ProgramIR['experiments'][number]): string {
  const claims = plannedClaims(e);
  const how = e.claims !== undefined ? 'as declared' : 'by default; `claims: [...]` chooses';
  return claims.length === 0
    ? `decides no claim (${e.claims !== undefined ? 'none declared' : 'it needs a variant with batch normalization and one without'})`
    : `decides ${claims.join(', ')} (${how})`;
}

/** One file checked: the DSL's and IR's diagnostics, plus the runner's seed-count warnings for a valid program. */
function checkOne(file: string) {
  const result = checkFile(file);
  const valid = !hasErrors(result.diagnostics) && result.program !== undefined;
  const diagnostics = valid ? [...result.diagnostics, ...seedCountDiagnostics(result.program!)] : result.diagnostics;
  return { result, valid, diagnostics };
}

/** Checks every file (not stopping at the first bad one) and returns the exit status. */
export function checkFiles(files: readonly string[]): number {
  let failed = false;
  for (const file of files) {
    const { result, valid, diagnostics } = checkOne(file);
    printDiagnostics(diagnostics, result.sources);
    if (!valid) {
      failed = true;
      continue;
    }
    const p = result.program!;
    const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
    const counts = [
      plural(p.datasets.length, 'dataset'),
      plural(p.models.length, 'model'),
      plural(p.trains.length, 'train recipe'),
      plural(p.experiments.length, 'experiment'),
    ];
    process.stdout.write(`${file}: ok (${counts.join(', ')}${warnings > 0 ? `; ${plural(warnings, 'warning')}` : ''})\n`);
    for (const e of p.experiments) process.stdout.write(`  experiment ${e.name}: ${claimsLine(e)}\n`);
  }
  return failed ? 1 : 0;
}

/** A diagnostic as `bnx check --json` prints it: 1-based lines and columns, the end exclusive; null where a problem has no place in the file (then `file` is the file checked). */
export interface JsonDiagnostic {
  file: string | null;
  line: number | null;
  column: number | null;
  end_line: number | null;
  end_column: number | null;
  severity: Diagnostic['severity'];
  code: string;
  message: string;
  hint: string | null;
}

export interface CheckReport {
  ok: boolean;
  /** Per file; `experiments` (a valid file's) with the claims each will decide (plannedClaims) and whether the file declared them. */
  files: { file: string; ok: boolean; errors: number; warnings: number; experiments: { name: string; claims: string[]; declared: boolean }[] }[];
  diagnostics: JsonDiagnostic[];
}

export function jsonDiagnostic(d: Diagnostic): JsonDiagnostic {
  const r = d.range;
  return {
    file: r?.file ?? null,
    line: r?.start.line ?? null,
    column: r?.start.column ?? null,
    end_line: r?.end.line ?? null,
    end_column: r?.end.column ?? null,
    severity: d.severity,
    code: d.code,
    message: d.message,
    hint: d.hint ?? null,
  };
}

/** As checkFiles, as one JSON report; a file's diagnostics include those of the files it imports. */
export function checkFilesJson(files: readonly string[]): CheckReport {
  const report: CheckReport = { ok: true, files: [], diagnostics: [] };
  for (const file of files) {
    const { result, valid: ok, diagnostics } = checkOne(file);
    const count = (severity: string) => diagnostics.filter((d) => d.severity === severity).length;
    const experiments = ok ? result.program!.experiments.map((e) => ({ name: e.name, claims: plannedClaims(e), declared: e.claims !== undefined })) : [];
    report.files.push({ file, ok, errors: count('error'), warnings: count('warning'), experiments });
    // A problem with the file itself (unreadable, not .bnx) has no place in it, but it is about this file.
    report.diagnostics.push(...diagnostics.map((d) => ({ ...jsonDiagnostic(d), file: d.range?.file ?? file })));
    report.ok &&= ok;
  }
  return report;
}

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('parse and validate .bnx files; print diagnostics and exit 1 when any has an error')
    .argument('<files...>', 'the .bnx files to check')
    .option('--json', 'print the diagnostics as one JSON document on stdout (nothing on stderr)')
    .action((files: string[], options: { json?: boolean }) => {
      if (!options.json) {
        process.exitCode = checkFiles(files);
        return;
      }
      const report = checkFilesJson(files);
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      process.exitCode = report.ok ? 0 : 1;
    });
}
