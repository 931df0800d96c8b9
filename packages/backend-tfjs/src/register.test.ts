import { afterEach, describe, expect, it } from 'vitest';
import { listBackends, resolveBackend, unregisterBackend } from '@bnx/core';
import { registerTfjsBackend, TFJS_PRIORITY, tfjsBackend } from './index.js';

describe('registerTfjsBackend', () => {
  afterEach(() => void unregisterBackend('tfjs'));

  it('registers under the name tfjs, below onnx, and resolves to the wasm engine by default', async () => {
    registerTfjsBackend();
    registerTfjsBackend(); // harmless twice
    const entry = listBackends().find((b) => b.name === 'tfjs');
    expect(entry?.backend).toBe(tfjsBackend);
    expect(TFJS_PRIORITY).toBeLessThan(100);
    const resolved = await resolveBackend({ name: 'tfjs' });
    expect(resolved.device).toMatchObject({ device: 'cpu', engine: 'wasm', available: true });
    const cpu = await resolveBackend({ name: 'tfjs', engine: 'cpu' });
    expect(cpu.device.engine).toBe('cpu');
  });
});
