import { describe, expect, it, vi } from 'vitest';
import { isBnxError } from '@bnx/ir';

const imported = vi.hoisted(() => [] as string[]);
vi.mock('@bnx/backend-onnx', () => {
  imported.push('onnx');
  return { registerOnnxBackend: () => undefined };
});
vi.mock('@bnx/backend-tfjs', () => {
  imported.push('tfjs');
  return { registerTfjsBackend: () => undefined };
});

describe('loadBackends', () => {
  it('imports only the backend asked for, all of them without a name, and refuses an unknown one', async () => {
    const { loadBackends } = await import('./load-backends.js');
    await loadBackends('onnx');
    expect(imported).toEqual(['onnx']);
    await loadBackends();
    expect(imported).toEqual(['onnx', 'tfjs']);
    const err = await loadBackends('torch').catch((e: unknown) => e);
    expect(isBnxError(err)).toBe(true);
    expect((err as Error).message).toBe('--backend torch: unknown backend; the backends are onnx, tfjs');
  });
});
