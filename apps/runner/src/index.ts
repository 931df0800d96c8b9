// @bnx/runner: the `bnx` command line, importable for tests and for tools that drive it in-process.
export { buildProgram, main } from './cli.js';
