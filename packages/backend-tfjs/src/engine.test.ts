import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { isBnxError } from '@bnx/ir';
import { tfjsBackend } from './backend.js';
import { dense, initialStateFor, model, options, recipe, sgd } from './testing/fixtures.js';

const m = model('mlp', [4], [dense('d1', 3)]);
const r = recipe(sgd());

describe('engines', () => {
  it('lists wasm and cpu as available and explains why node is not', async () => {
    const devices = await tfjsBackend.devices();
    expect(devices.filter((d) => d.available).map((d) => d.engine)).toEqual(['wasm', 'cpu']);
    const node = devices.find((d) => d.engine === 'node')!;
    expect(node.available).toBe(false);
    expect(node.reason).toMatch(/@tensorflow\/tfjs-node/);
  });

  it('defaults to wasm and switches the active tfjs backend per trainer', async () => {
    const wasm = await tfjsBackend.compile(m, r, options(3, initialStateFor(m, r, 1)));
    expect(wasm.engine).toBe('wasm');
    const cpu = await tfjsBackend.compile(m, r, options(3, initialStateFor(m, r, 1), 8, false, 'cpu'));
    expect(tf.getBackend()).toBe('cpu');
    await wasm.state();
    expect(tf.getBackend()).toBe('wasm');
    await wasm.dispose();
    await cpu.dispose();
  });

  it('gives a clear error for the node engine when @tensorflow/tfjs-node is absent', async () => {
    const err = await tfjsBackend.compile(m, r, options(3, initialStateFor(m, r, 1), 8, false, 'node')).catch((e: unknown) => e);
    expect(isBnxError(err)).toBe(true);
    expect((err as Error).message).toMatch(/npm install @tensorflow\/tfjs-node/);
  });

  it('rejects an unknown engine and the cuda device', async () => {
    const unknown = await tfjsBackend.compile(m, r, options(3, {}, 8, false, 'webgl')).catch((e: unknown) => e);
    expect(isBnxError(unknown) && (unknown as Error).message).toMatch(/unknown engine 'webgl'/);
    const cuda = await tfjsBackend.compile(m, r, { ...options(3, {}), device: 'cuda' }).catch((e: unknown) => e);
    expect(isBnxError(cuda) && (cuda as Error).message).toMatch(/cuda/);
  });
});
