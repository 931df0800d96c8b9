// ONNX Runtime's telemetry store is off unless the user turns it on: checked in child processes with a
// cache folder of their own, one with the environment bnx sets and one without (the control: it shows that
// this ONNX Runtime does write the store, so the first check can fail).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from './graph-builder.js';
import { sessionOptions } from './session-options.js';
import { ORT_TELEMETRY_SWITCH, turnOffOrtTelemetry } from './telemetry.js';
import { registerOnnxBackend } from './index.js';

const ortEntry = createRequire(import.meta.url).resolve('onnxruntime-node');

/** Runs one ONNX Runtime session in a fresh process with `env`; returns the files under its cache folder. */
function cacheAfterSession(env: NodeJS.ProcessEnv): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'bnx-ort-telemetry-'));
  const g = new GraphBuilder('probe');
  g.input('x', 'float', [1]);
  g.output(g.node('Relu', ['x']), 'y', 'float', [1]);
  writeFileSync(join(dir, 'probe.onnx'), g.toBytes());
  const script = `const ort = require(${JSON.stringify(ortEntry)});
    ort.InferenceSession.create(${JSON.stringify(join(dir, 'probe.onnx'))}).then((s) => s.run({ x: new ort.Tensor('float32', new Float32Array([1]), [1]) })).then(() => process.exit(0));`;
  const { [ORT_TELEMETRY_SWITCH]: _, ...rest } = process.env;
  const result = spawnSync(process.execPath, ['-e', script], {
    env: { ...rest, HOME: join(dir, 'home'), XDG_CACHE_HOME: join(dir, 'cache'), ...env },
    encoding: 'utf8',
  });
  expect(result.status, result.stderr).toBe(0);
  const cache = join(dir, 'cache');
  return existsSync(cache) ? readdirSync(cache, { recursive: true }).map(String) : [];
}

describe('ONNX Runtime telemetry', () => {
  it('writes no event store or device id with the environment bnx sets', () => {
    const env: NodeJS.ProcessEnv = {};
    turnOffOrtTelemetry(env);
    expect(env).toEqual({ ORT_DISABLE_TELEMETRY: '1' });
    const control = cacheAfterSession({});
    if (control.length > 0) expect(control.join(' ')).toMatch(/onnxruntime/); // this build records telemetry
    expect(cacheAfterSession(env)).toEqual([]);
  });

  it('is turned off before any session, and a choice the user made is kept', () => {
    const saved = process.env[ORT_TELEMETRY_SWITCH];
    try {
      delete process.env[ORT_TELEMETRY_SWITCH];
      sessionOptions('cpu');
      expect(process.env[ORT_TELEMETRY_SWITCH]).toBe('1');
      delete process.env[ORT_TELEMETRY_SWITCH];
      registerOnnxBackend();
      expect(process.env[ORT_TELEMETRY_SWITCH]).toBe('1');
      const mine: NodeJS.ProcessEnv = { ORT_DISABLE_TELEMETRY: '0' };
      turnOffOrtTelemetry(mine);
      expect(mine.ORT_DISABLE_TELEMETRY).toBe('0');
    } finally {
      if (saved === undefined) delete process.env[ORT_TELEMETRY_SWITCH];
      else process.env[ORT_TELEMETRY_SWITCH] = saved;
    }
  });
});
