// `bnx merge DIR... --out DIR`: the flags. The work is in results/merge-shards.ts.
import type { Command } from 'commander';

export interface MergeCommandOptions {
  out: string;
  json?: boolean;
  quiet?: boolean;
}

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('combine the output folders of `bnx run --shard I/N` into one: results.json, metrics.csv and the reports')
    .argument('<dirs...>', "the shards' output folders (or any folders of the same experiment)")
    .requiredOption('--out <dir>', 'where the merged experiment goes (a new or empty folder)')
    .option('--json', 'print only the summary, as JSON')
    .option('--quiet', 'no warnings about missing runs')
    .action(async (dirs: string[], options: MergeCommandOptions) => {
      const { mergeShards } = await import('../results/merge-shards.js');
      process.exitCode = mergeShards(dirs, options);
    });
}
