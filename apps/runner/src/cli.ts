#!/usr/bin/env node
// The `bnx` command line. Each command lives in its own module under commands/; this file only wires them
// up, so `--help`, `--version` and usage errors (exit 2) behave the same everywhere.
import { Command, CommanderError } from 'commander';
import { registerCheck } from './commands/check.js';
import { registerCompile } from './commands/compile.js';
import { registerRun } from './commands/run.js';
import { registerReport } from './commands/report.js';
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
    process.stderr.write(`bnx: ${message}\n`);
    return 1;
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '');
if (invokedDirectly) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
