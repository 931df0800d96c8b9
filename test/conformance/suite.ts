// The backend conformance suite: any Backend, through its public interface only, against the float64
// reference of @bnx/core/reference. A backend's test file is three lines:
//
//   import { runConformanceSuite } from './suite.js';
//   import { createTfjsBackend } from '@bnx/backend-tfjs';
//   runConformanceSuite('tfjs wasm', async () => createTfjsBackend(), { engine: 'wasm' });
//
// Case ids are '<group>/<case>' (groups: forward, backward, batchnorm, optimizer, training, state, evaluate);
// opts.skip takes ids or group prefixes such as 'optimizer/'. Comparisons use relativeError
// (relative-error.ts) against opts.tolerance, default 1e-4.
import { afterAll, beforeAll, describe } from 'vitest';
import type { Backend } from '@bnx/core';
import { registerBatchNormCases } from './cases/batchnorm.js';
import { registerForwardCases } from './cases/forward.js';
import { registerGradientCases } from './cases/gradients.js';
import { registerOptimizerCases } from './cases/optimizers.js';
import { registerTrainingCases } from './cases/training.js';
import { ConformanceContext, type ConformanceOptions } from './context.js';

export type { ConformanceOptions } from './context.js';
export { relativeError, TINY } from './relative-error.js';

export function runConformanceSuite(name: string, makeBackend: () => Promise<Backend>, opts: ConformanceOptions = {}): void {
  describe(`backend conformance: ${name}`, () => {
    const ctx = new ConformanceContext(opts);
    beforeAll(async () => {
      ctx.backend = await makeBackend();
    });
    registerForwardCases(ctx);
    registerGradientCases(ctx);
    registerBatchNormCases(ctx);
    registerOptimizerCases(ctx);
    registerTrainingCases(ctx);
    afterAll(() => {
      // Set BNX_CONFORMANCE_REPORT=1 to see how close the backend is, not only whether it passes.
      if (process.env['BNX_CONFORMANCE_REPORT'] !== '1') return;
      const rows = [...ctx.worst].sort((a, b) => b[1].error - a[1].error);
      const lines = rows.slice(0, 12).map(([id, w]) => `  ${w.error.toExponential(2)}  ${id.split(' > ').pop()} (${w.what})`);
      console.log(`${name}: worst relative errors over ${rows.length} cases\n${lines.join('\n')}`);
    });
  });
}
