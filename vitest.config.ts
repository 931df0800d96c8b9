import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests import workspace packages by name and run against their TypeScript sources: no build needed.
const pkg = (dir: string) => fileURLToPath(new URL(`./${dir}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@bnx/ir': pkg('packages/ir'),
      '@bnx/dsl': pkg('packages/dsl'),
      '@bnx/core': pkg('packages/core'),
      '@bnx/data': pkg('packages/data'),
      '@bnx/backend-tfjs': pkg('packages/backend-tfjs'),
      '@bnx/backend-onnx': pkg('packages/backend-onnx'),
      '@bnx/metrics': pkg('packages/metrics'),
      '@bnx/runner': pkg('apps/runner'),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
