import type { Diagnostic } from './types.js';

/**
 * An error caused by the user's input (a missing file, a bad value, an impossible request), not by a bug.
 * The CLI prints its message as is, without a stack trace, and exits 1. Messages say what is wrong and
 * where (file, line, field), and what to do when that is not obvious.
 */
export class BnxError extends Error {
  override readonly name = 'BnxError';
  constructor(
    message: string,
    /** Optional stable code, e.g. 'E_DATA_MAGIC'. */
    readonly code?: string,
    /** The same problem as located diagnostics, for a caller that shows source lines (the CLI). */
    readonly diagnostics: readonly Diagnostic[] = [],
  ) {
    super(message);
  }
}

export function isBnxError(err: unknown): err is BnxError {
  return err instanceof Error && err.name === 'BnxError';
}
