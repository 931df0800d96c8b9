#!/usr/bin/env node
// The `bnx` command line. Each command lives in its own module under commands/; this file only wires them
// up, so `--help`, `--version` and usage errors (exit 2) behave the same everywhere.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { isBnxError } from '@bnx/ir';
import { registerCheck } from './commands/check.js';
import { printDiagnosticsFromFiles } from './commands/diagnostics-output.js';
import { registerCompile } from './commands/compile.js';
import { registerRun } from './commands/run.js';
import { registerReport } from './commands/report.js';
import { registerWorker } from './commands/worker.js';
import { registerMerge } from './commands/merge.js';
import { fsErrorReason } from '@bnx/dsl';
import { BNX_VERSION } from './version.js';

export function buildProgram(): Command {
  const program = new Command('bnx')
    .description('bnx: a workbench for studying batch normalization')
    .version(BNX_VERSION, '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerCheck(program);
  registerCompile(program);
  registerRun(program);
  registerReport(program);
  registerWorker(program);
  registerMerge(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; everything else commander rejects is a usage error.
      return err.exitCode === 0 ? 0 : 2;
    }
    const message = err instanceof Error ? err.message : String(err);
    // A problem found late (in loaded data) but located in the file is shown like a check diagnostic.
    if (isBnxError(err) && err.diagnostics.length > 0) printDiagnosticsFromFiles(err.diagnostics);
    else process.stderr.write(`bnx: ${message}\n`);
    // A BnxError is the user's input at fault and its message says it all; anything else is our bug.
    if (!isBnxError(err)) {
      if (process.env.BNX_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
      else process.stderr.write('bnx: this looks like a bug in bnx; rerun with BNX_DEBUG=1 to see where it happened\n');
    }
    return 1;
  }
}

// Run only when executed as `node dist/cli.js` (the `bnx` bin, bin/bnx.js, calls runCli), not when imported.
function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}
/** Resolves once everything written to `stream` so far has been handed to the OS (writes are ordered). */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((done) => stream.write('', () => done()));
}

/**
 * A failed write to stdout or stderr arrives as an 'error' event, which Node turns into a crash with a stack
 * trace. A reader that stopped reading (`bnx run ... 2>&1 | head -1`, `bnx compile x.bnx | head`) must not
 * stop the work or decide the exit status: bnx stops writing to that stream (later writes fail quietly),
 * finishes the command (training, results and reports included), and exits with the command's own status.
 * Any other failure (a full disk behind `> file`) gets one line and exit 1.
 */
export function handleOutputErrors(
  streams: { stdout: NodeJS.EventEmitter; stderr: NodeJS.EventEmitter & { write(text: string): unknown } } = process,
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  const onError = (name: 'standard output' | 'standard error') => (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') return;
    if (name === 'standard output') {
      try {
        streams.stderr.write(`bnx: cannot write to standard output: ${fsErrorReason(err) ?? err.message}\n`);
      } catch {
        // stderr is gone too: the exit status is all that is left
      }
    }
    exit(1);
  };
  streams.stdout.on('error', onError('standard output'));
  streams.stderr.on('error', onError('standard error'));
}

/** The `bnx` process: output errors handled, the command run, its output flushed, then exit with its status. */
export function runCli(argv: string[] = process.argv.slice(2)): void {
  handleOutputErrors();
  // process.exit() right away would cut off output still queued for a pipe (`bnx compile ... | jq` lost all
  // but the first 64 KiB); exiting explicitly still matters, as ONNX Runtime's threads can hold the loop.
  void main(argv)
    .then(async (code) => {
      await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
      return code;
    })
    .then((code) => process.exit(code));
}

if (invokedDirectly()) runCli();
