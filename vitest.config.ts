import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests import workspace packages by name and run against their TypeScript sources: no build needed.
const src = (path: string) => fileURLToPath(new URL(`./${path}`, import.meta.url));
const entries: Record<string, string> = {
  '@bnx/ir': 'packages/ir/src/index.ts',
  '@bnx/dsl': 'packages/dsl/src/index.ts',
  '@bnx/core': 'packages/core/src/index.ts',
  '@bnx/core/reference': 'packages/core/src/reference/index.ts',
  '@bnx/data': 'packages/data/src/index.ts',
  '@bnx/backend-tfjs': 'packages/backend-tfjs/src/index.ts',
  '@bnx/backend-onnx': 'packages/backend-onnx/src/index.ts',
  '@bnx/metrics': 'packages/metrics/src/index.ts',
  '@bnx/results': 'packages/results/src/index.ts',
  '@bnx/runner': 'apps/runner/src/index.ts',
  '@bnx/test-support': 'test/support/index.ts',
};

export default defineConfig({
  resolve: {
    // Exact-match patterns: a plain string key would also rewrite '@bnx/core/reference' as a prefix.
    alias: Object.entries(entries).map(([name, path]) => ({
      find: new RegExp(`^${name.replace('/', '\\/')}$`),
      replacement: src(path),
    })),
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
