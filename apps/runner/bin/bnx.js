#!/usr/bin/env node
// The `bnx` command. A plain-JavaScript launcher that exists before any build, so that installing the
// workspace can link it (no "Failed to create bin" warning), and so that running it in a checkout before
// `pnpm build` says so in one line instead of a module-not-found stack trace.
const entry = new URL('../dist/cli.js', import.meta.url);
let cli;
try {
  cli = await import(entry.href);
} catch (err) {
  if (err === null || typeof err !== 'object' || err.code !== 'ERR_MODULE_NOT_FOUND') throw err;
  // "Cannot find module '/repo/packages/ir/dist/index.js' imported from ..." names what is missing.
  const missing = /Cannot find (?:module|package) '([^']+)'/.exec(String(err.message))?.[1] ?? String(err.message).split('\n')[0];
  const unbuilt = /[\\/]dist[\\/]/.test(missing);
  process.stderr.write(
    unbuilt
      ? `bnx: the CLI is not built yet (${missing} is missing); run \`pnpm build\` first\n`
      : `bnx: cannot start: ${missing} is missing; reinstall @bnx/runner\n`,
  );
  process.exit(1);
}
cli.runCli();
