// `bnx compile FILE`: `--emit ir` writes the resolved program and the run plan of its experiments as JSON, to
// stdout or --out PATH; `--emit onnx [--variant NAME] --out model.onnx` writes one variant's model as an ONNX
// inference model with its initial weights (emit-onnx.ts, imported only then, as it loads the ONNX backend).
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { BnxError, expandPlan, type Diagnostic, type PlanIR, type ProgramIR } from '@bnx/ir';
import { checkFile } from '@bnx/dsl';
import { writeFileAtomic } from '../results/atomic-write.js';
import { collect, parseOverrides, parsePath } from '../run/run-options.js';
import { BNX_VERSION } from '../version.js';
import { hasErrors, printDiagnostics } from './diagnostics-output.js';

export interface CompileCommandOptions {
  emit: 'ir' | 'onnx';
  experiment?: string;
  variant?: string;
  set: string[];
  out?: string;
}

/** What `--emit ir` writes. */
export interface CompiledIr {
  bnx: string;
  program: ProgramIR;
  /** One plan per experiment, or only the one named by --experiment. */
  plans: PlanIR[];
}

export async function compileFile(file: string, options: CompileCommandOptions): Promise<number> {
  if (options.emit === 'onnx' && options.out === undefined) {
    throw new BnxError('--emit onnx writes a binary model: give its path with --out model.onnx');
  }
  if (options.emit === 'ir' && options.variant !== undefined) {
    throw new BnxError('--variant picks the model for --emit onnx; --emit ir writes every variant');
  }
  parsePath('--out', options.out);
  const overrides = parseOverrides(options.set);
  const checked = checkFile(file);
  printDiagnostics(checked.diagnostics, checked.sources);
  if (hasErrors(checked.diagnostics) || checked.program === undefined) return 1;
  const program = checked.program;
  const names = options.experiment !== undefined ? [options.experiment] : program.experiments.map((e) => e.name);
  const plans: PlanIR[] = [];
  const planDiagnostics: Diagnostic[] = [];
  for (const name of names) {
    const expanded = expandPlan(program, name, { overrides });
    // validate() already ran in checkFile; show only what the plan adds (overrides, experiment names).
    planDiagnostics.push(...expanded.diagnostics.filter((d) => !checked.diagnostics.some((c) => c.code === d.code && c.message === d.message)));
    if (expanded.plan !== undefined) plans.push(expanded.plan);
  }
  printDiagnostics(planDiagnostics, checked.sources);
  if (hasErrors(planDiagnostics)) return 1;
  if (options.emit === 'onnx') {
    const { writeOnnxModel } = await import('./emit-onnx.js');
    const written = writeOnnxModel(plans, options.variant, resolve(options.out!));
    process.stderr.write(
      `bnx: wrote ${written.path} (experiment ${written.experiment}, variant ${written.variant}, initial weights of seed ${written.seed})\n`,
    );
    return 0;
  }
  const output: CompiledIr = { bnx: BNX_VERSION, program, plans };
  const json = `${JSON.stringify(output, null, 2)}\n`;
  if (options.out === undefined) {
    process.stdout.write(json);
  } else {
    const path = resolve(options.out);
    writeFileAtomic(path, json);
    process.stderr.write(`bnx: wrote ${path} (${plans.length} plan${plans.length === 1 ? '' : 's'}, ${plans.reduce((n, p) => n + p.runs.length, 0)} runs)\n`);
  }
  return 0;
}

export function registerCompile(program: Command): void {
  program
    .command('compile')
    .description('resolve a .bnx file and write its IR and run plan as JSON')
    .argument('<file>', 'the .bnx file')
    .addOption(new Option('--emit <format>', 'what to write').choices(['ir', 'onnx']).default('ir'))
    .option('--experiment <name>', "only this experiment's plan")
    .option('--variant <name>', 'with --emit onnx: the variant whose model to write')
    .option('--set <key=value>', 'override a dataset, train or optimizer entry in the plan (repeatable)', collect, [])
    .option('--out <path>', 'write to this file instead of stdout (required with --emit onnx)')
    .action(async (file: string, options: CompileCommandOptions) => {
      process.exitCode = await compileFile(file, options);
    });
}
