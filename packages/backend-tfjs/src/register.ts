import { registerBackend } from '@bnx/core';
import { tfjsBackend } from './backend.js';

/** Priority in @bnx/core's registry: below onnx (100), which is faster where it can run. */
export const TFJS_PRIORITY = 50;

/** Registers the tfjs backend with @bnx/core so `--backend tfjs` (and the fallback choice) finds it. */
export function registerTfjsBackend(): void {
  registerBackend(tfjsBackend, TFJS_PRIORITY);
}
