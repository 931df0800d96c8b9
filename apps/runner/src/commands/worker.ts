// `bnx worker --queue URL`: the command's flags. The work is in queue/queue-worker.ts, imported only when the
// command runs, so other commands never load BullMQ or the backends.
import type { Command } from 'commander';
import type { WorkerCommandOptions } from '../queue/queue-worker.js';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('take runs from a `bnx run --queue` queue on Redis and train them; runs until Ctrl-C')
    .requiredOption('--queue <url>', 'the Redis server: redis://[:PASSWORD@]HOST:PORT[/DB], or rediss:// for TLS (password also from BNX_QUEUE_PASSWORD)')
    .option('--backend <name>', 'execution backend: onnx or tfjs (the same as the runs were queued with)', 'onnx')
    .option('--device <device>', 'cpu, cuda or auto (the same as the runs were queued with)', 'cpu')
    .option('--engine <engine>', 'tfjs engine: wasm, cpu or node (the same as the runs were queued with)')
    .option('--concurrency <n>', 'runs trained at once, each in its own thread', '1')
    .option('--name <name>', 'how this worker is shown in progress and logs (default HOST:PID)')
    .option('--stalled-after <seconds>', 'seconds without a sign of life from a worker before its run goes to another worker', '30')
    .option('--quiet', 'no log lines')
    .action(async (options: WorkerCommandOptions) => {
      const { runQueueWorker } = await import('../queue/queue-worker.js');
      process.exitCode = await runQueueWorker(options);
    });
}
