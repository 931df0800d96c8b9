import { afterEach, describe, expect, it } from 'vitest';
import { listBackends, resolveBackend, unregisterBackend } from '@bnx/core';
import { ONNX_PRIORITY, onnxBackend, registerOnnxBackend } from './index.js';

describe('registerOnnxBackend', () => {
  afterEach(() => void unregisterBackend('onnx'));

  it('registers onnx with @bnx/core at its priority, and the registry picks it for the cpu', async () => {
    registerOnnxBackend();
    registerOnnxBackend(); // twice is harmless
    expect(listBackends().find((b) => b.name === 'onnx')).toMatchObject({ priority: ONNX_PRIORITY, backend: onnxBackend });
    const resolved = await resolveBackend({ name: 'onnx', device: 'auto' });
    expect(resolved.device.device).toBe('cpu');
    const cuda = (await onnxBackend.devices()).find((d) => d.device === 'cuda')!;
    if (!cuda.available) await expect(resolveBackend({ name: 'onnx', device: 'cuda' })).rejects.toThrow(/CUDA provider/);
  });
});
