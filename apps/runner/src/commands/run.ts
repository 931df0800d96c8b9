// `bnx run FILE`: the command's flags. The work itself is in run/run-experiment.ts, imported only when the
// command runs, so other commands start without loading the backends.
import { Option, type Command } from 'commander';
import { collect } from '../run/run-options.js';

export interface RunCommandOptions {
  experiment?: string;
  backend: string;
  device: string;
  engine?: string;
  out?: string;
  set: string[];
  seeds?: string;
  jobs: string;
  resume?: string;
  json?: boolean;
  quiet?: boolean;
  tensorboard?: string;
  export?: string;
  queue?: string;
  shard?: string;
}

/**
 * Exit status of a run stopped by a signal, 128 + the signal's number as shells report a process killed by
 * it: Ctrl-C (SIGINT) 130, SIGTERM (kill, systemd, Kubernetes) 143, SIGHUP (the terminal closed) 129. The
 * runs that finished are kept either way; --resume continues.
 */
export const EXIT_ON_SIGNAL = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

/** Exit status of a run stopped by Ctrl-C, or by its RunControl's signal when embedded. */
export const EXIT_INTERRUPTED = EXIT_ON_SIGNAL.SIGINT;

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('train every run of an experiment and write results.json, metrics.csv, report.html and report.md')
    .argument('<file>', 'the .bnx file')
    .option('--experiment <name>', 'the experiment to run (required when the file declares several)')
    .option('--backend <name>', 'execution backend: onnx or tfjs', 'onnx')
    .option('--device <device>', 'cpu, cuda or auto', 'cpu')
    .option('--engine <engine>', 'tfjs engine: wasm, cpu or node')
    // --resume continues in its own directory; an --out beside it would be ignored, so it is a usage error.
    .addOption(new Option('--out <dir>', 'output directory (default runs/<experiment>-<timestamp>)').conflicts('resume'))
    .option('--set <key=value>', 'override a dataset, train or optimizer entry (repeatable)', collect, [])
    .option('--seeds <list>', "seeds to run instead of the file's, e.g. 1,2,3 or 1..5")
    .option('--jobs <n>', 'runs trained in parallel worker threads', '1')
    .option('--resume <dir>', 'continue an interrupted experiment in DIR: run only what is missing')
    .option(
      '--queue <url>',
      'train on `bnx worker` processes through a Redis queue: redis://[:PASSWORD@]HOST:PORT[/DB] or rediss:// (password also from BNX_QUEUE_PASSWORD)',
    )
    .option('--shard <i/n>', 'train only the I-th of N slices of the plan (array jobs); combine the slices with `bnx merge`')
    .option('--export <dir>', "write each completed run's trained model to DIR/<run id>.onnx")
    .option('--tensorboard <dir>', 'also write TensorBoard event files (scalars per run) under DIR')
    .option('--json', 'print only the final summary, as JSON')
    .option('--quiet', 'no progress output')
    .action(async (file: string, options: RunCommandOptions) => {
      const { runExperiment } = await import('../run/run-experiment.js');
      process.exitCode = await runExperiment(file, options);
    });
}
