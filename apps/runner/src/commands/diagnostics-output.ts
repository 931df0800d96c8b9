// Printing diagnostics the way every bnx command does: formatted with their source line, on stderr, in
// colour only on a terminal and never when NO_COLOR is set (https://no-color.org).
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

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
