// The layering the README draws, checked on every import (types included) of the packages' sources by
// `pnpm lint` (dependency-cruiser). A workspace package is matched both by name (@bnx/ir, unresolved before a
// build) and by the folder it resolves to (packages/ir/).
const pkg = (...names) => `^(@bnx/(${names.join('|')})(/|$)|(packages|apps)/(${names.join('|')})/)`;
const BACKENDS = ['backend-onnx', 'backend-tfjs'];
/** Test files may import the test runner; the rules about other bnx packages hold for them too. */
const TESTS = '\\.test\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'ir-is-the-bottom',
      comment: 'The IR is plain data and the functions on it: it imports no other bnx package.',
      severity: 'error',
      from: { path: '^packages/ir/src' },
      to: { path: pkg('dsl', 'core', 'data', 'metrics', 'results', 'runner', ...BACKENDS) },
    },
    {
      name: 'results-format-stands-alone',
      comment: 'The results format (run record, results.json) sits below core and metrics, which both use it: it imports no other bnx package.',
      severity: 'error',
      from: { path: '^packages/results/src' },
      to: { path: pkg('ir', 'dsl', 'core', 'data', 'metrics', 'runner', ...BACKENDS) },
    },
    {
      name: 'ir-has-no-runtime-dependency',
      comment: 'Nothing from npm in the IR (its tests may import the test runner).',
      severity: 'error',
      from: { path: '^packages/ir/src', pathNot: TESTS },
      to: {
        dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'npm-no-pkg', 'npm-unknown', 'unknown', 'undetermined'],
        pathNot: pkg('ir'),
      },
    },
    {
      name: 'dsl-knows-no-runtime',
      comment: 'The language lowers to IR; it knows no backend, no data loader and no statistics.',
      severity: 'error',
      from: { path: '^packages/dsl/src' },
      to: { path: pkg('core', 'data', 'metrics', 'runner', ...BACKENDS) },
    },
    {
      name: 'core-knows-no-backend',
      comment: 'Backends register themselves with core; core never imports one (nor the DSL or the statistics).',
      severity: 'error',
      from: { path: '^packages/core/src' },
      to: { path: pkg('dsl', 'metrics', 'runner', ...BACKENDS) },
    },
    {
      name: 'backends-stand-alone',
      comment: 'A backend never imports the other backend, the DSL, the statistics or the CLI.',
      severity: 'error',
      from: { path: '^packages/(backend-onnx|backend-tfjs)/src' },
      to: { path: pkg('dsl', 'metrics', 'runner', ...BACKENDS), pathNot: '^packages/$1/' },
    },
    {
      name: 'data-and-metrics-know-no-backend',
      comment: 'Data loading and statistics know nothing of how a model is trained, or of the CLI.',
      severity: 'error',
      from: { path: '^packages/(data|metrics)/src' },
      to: { path: pkg('dsl', 'runner', ...BACKENDS) },
    },
    {
      name: 'no-package-imports-the-cli',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: pkg('runner') },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    // Built output is where a workspace package resolves after a build: listed as a dependency, not crawled.
    doNotFollow: { path: ['node_modules', '^(packages|apps)/[^/]+/dist/'] },
  },
};
