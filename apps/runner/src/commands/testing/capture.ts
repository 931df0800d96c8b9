// Runs the CLI in-process with stdout and stderr captured, as a user would see them.
import { vi } from 'vitest';
import { main } from '../../cli.js';

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[]): Promise<CliOutcome> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout.push(String(chunk));
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr.push(String(chunk));
    return true;
  });
  const previousExitCode = process.exitCode;
  try {
    process.exitCode = undefined;
    const code = await main(args);
    return { code, stdout: stdout.join(''), stderr: stderr.join('') };
  } finally {
    out.mockRestore();
    err.mockRestore();
    // main reports through process.exitCode; leaving it set would fail the test process itself.
    process.exitCode = previousExitCode;
  }
}
