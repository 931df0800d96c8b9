// Printing diagnostics the way every bnx command does: formatted with their source line, on stderr, in
// colour only on a terminal and never when NO_COLOR is set (https://no-color.org).
import { readFileSync } from 'node:fs';
import type { Diagnostic } from '@bnx/ir';
import { formatDiagnostic } from '@bnx/dsl';

export function useColor(stream: NodeJS.WriteStream): boolean {
  const noColor = process.env.NO_COLOR;
  return stream.isTTY === true && (noColor === undefined || noColor === '');
}

export function printDiagnostics(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): void {
  const color = useColor(process.stderr);
  for (const d of diagnostics) {
    const text = d.range === undefined ? undefined : sources.get(d.range.file);
    process.stderr.write(`${formatDiagnostic(d, text, { color })}\n`);
  }
}

/** As printDiagnostics, reading the source lines from the files the diagnostics name (for errors raised late). */
export function printDiagnosticsFromFiles(diagnostics: readonly Diagnostic[]): void {
  const sources = new Map<string, string>();
  for (const d of diagnostics) {
    const file = d.range?.file;
    if (file === undefined || sources.has(file)) continue;
    try {
      sources.set(file, readFileSync(file, 'utf8'));
    } catch {
      // The file changed or went away since it was parsed: the diagnostic still says file:line:col.
    }
  }
  printDiagnostics(diagnostics, sources);
}

export { hasErrors } from '@bnx/ir';
