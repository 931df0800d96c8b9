import { afterEach, describe, expect, it } from 'vitest';
import { isBnxError } from '@bnx/ir';
import type { Backend, DeviceInfo } from './backend.js';
import { listBackends, registerBackend, resolveBackend, unregisterBackend } from './registry.js';

function fakeBackend(name: string, devices: DeviceInfo[] | (() => Promise<DeviceInfo[]>)): Backend {
  return {
    name,
    devices: typeof devices === 'function' ? devices : async () => devices,
    compile: async () => {
      throw new Error('not compiled in registry tests');
    },
  };
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

const names = ['alpha', 'beta', 'gamma'];
afterEach(() => names.forEach(unregisterBackend));

describe('registry', () => {
  it('lists by priority, ties in registration order', () => {
    registerBackend(fakeBackend('alpha', []), 1);
    registerBackend(fakeBackend('beta', []), 5);
    registerBackend(fakeBackend('gamma', []), 1);
    expect(listBackends().map((b) => b.name)).toEqual(['beta', 'alpha', 'gamma']);
  });

  it('resolves by priority, skipping backends that cannot run', async () => {
    registerBackend(fakeBackend('alpha', [{ device: 'cpu', available: true }]), 1);
    registerBackend(fakeBackend('beta', [{ device: 'cuda', available: false, reason: 'no GPU' }]), 9);
    const picked = await resolveBackend();
    expect(picked.backend.name).toBe('alpha');
    expect(picked.device.device).toBe('cpu');
  });

  it('resolves by name, device and engine', async () => {
    registerBackend(
      fakeBackend('alpha', [
        { device: 'cpu', engine: 'wasm', available: true },
        { device: 'cpu', engine: 'cpu', available: true },
      ]),
      1,
    );
    registerBackend(fakeBackend('beta', [{ device: 'cpu', available: true }]), 9);
    const picked = await resolveBackend({ name: 'alpha', device: 'cpu', engine: 'cpu' });
    expect(picked.backend.name).toBe('alpha');
    expect(picked.device.engine).toBe('cpu');
    expect((await resolveBackend({ name: 'alpha', device: 'auto' })).device.engine).toBe('wasm');
  });

  it('with device auto takes the first available device and says what it passed over', async () => {
    registerBackend(
      fakeBackend('gamma', [
        { device: 'cuda', available: false, reason: 'no CUDA provider' },
        { device: 'cpu', available: true },
      ]),
      1,
    );
    const picked = await resolveBackend({ name: 'gamma', device: 'auto' });
    expect(picked.device.device).toBe('cpu');
    expect(picked.passedOver).toEqual([{ device: 'cuda', available: false, reason: 'no CUDA provider' }]);
    expect((await resolveBackend({ name: 'gamma', device: 'cpu' })).passedOver).toEqual([]);
  });

  it('throws one BnxError listing every backend and its reason', async () => {
    registerBackend(fakeBackend('alpha', [{ device: 'cpu', available: false, reason: 'wasm did not load' }]), 2);
    registerBackend(
      fakeBackend('beta', async () => {
        throw new Error('native binding missing');
      }),
      1,
    );
    registerBackend(fakeBackend('gamma', [{ device: 'cpu', available: true }]), 0);
    const err = await rejection(resolveBackend({ device: 'cuda' }));
    expect(isBnxError(err)).toBe(true);
    expect(err.message).toContain('alpha: has no device');
    expect(err.message).toContain('beta: failed to list its devices: native binding missing');
    expect(err.message).toContain("gamma: has no device 'cuda' (it offers: cpu)");

    unregisterBackend('gamma');
    const err2 = await rejection(resolveBackend());
    expect(err2.message).toContain('alpha: cpu: wasm did not load');
  });

  it('names the known backends when asked for an unknown one', async () => {
    registerBackend(fakeBackend('alpha', []), 0);
    const err = await rejection(resolveBackend({ name: 'torch' }));
    expect(isBnxError(err)).toBe(true);
    expect(err.message).toBe("unknown backend 'torch' (known backends: 'alpha')");
  });

  it('accepts re-registration of the same object and refuses a lower-priority impostor', () => {
    const alpha = fakeBackend('alpha', []);
    registerBackend(alpha, 3);
    registerBackend(alpha, 1);
    expect(listBackends()[0]?.priority).toBe(3);
    expect(() => registerBackend(fakeBackend('alpha', []), 0)).toThrow(/already registered/);
  });
});
