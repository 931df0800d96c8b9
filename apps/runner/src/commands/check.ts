// `bnx check FILE...`: parse, lower and validate each file. Exit 0 with one OK line per file when all are
// valid; otherwise the diagnostics on stderr and exit 1.
import type { Command } from 'commander';
import { checkFile } from '@bnx/dsl';
import { hasErrors, printDiagnostics } from './diagnostics-output.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Checks every file (not stopping at the first bad one) and returns the exit status. */
export function checkFiles(files: readonly string[]): number {
  let failed = false;
  for (const file of files) {
    const result = checkFile(file);
    printDiagnostics(result.diagnostics, result.sources);
    if (hasErrors(result.diagnostics) || result.program === undefined) {
      failed = true;
      continue;
    }
    const p = result.program;
    const warnings = result.diagnostics.filter((d) => d.severity === 'warning').length;
    const counts = [plural(p.datasets.length, 'dataset'), plural(p.models.length, 'model'), plural(p.trains.length, 'train recipe'), plural(p.experiments.length, 'experiment')];
    process.stdout.write(`${file}: ok (${counts.join(', ')}${warnings > 0 ? `; ${plural(warnings, 'warning')}` : ''})\n`);
  }
  return failed ? 1 : 0;
}

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('parse and validate .bnx files; print diagnostics and exit 1 when any has an error')
    .argument('<files...>', 'the .bnx files to check')
    .action((files: string[]) => {
      process.exitCode = checkFiles(files);
    });
}
