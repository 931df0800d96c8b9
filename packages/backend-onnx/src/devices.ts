// Which ORT execution providers can run here. ORT never falls back from CUDA to CPU by itself, and asking
// for a provider whose libraries are absent throws at session creation; bnx checks before training instead.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { DeviceInfo } from '@bnx/core';
import { GraphBuilder } from './graph-builder.js';
import { turnOffOrtTelemetry } from './telemetry.js';

/** For a user who asked for CUDA by name: what to install, or how to run without it. */
const INSTALL_HINT =
  'The CUDA provider needs an x64 Linux machine with an NVIDIA GPU, CUDA 12 and cuDNN 9; install it with ' +
  '`ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node` (it downloads the provider from outside the npm ' +
  'registry), or train on the CPU with --device cpu.';

/** Folder holding onnxruntime-node's native libraries for this platform. */
function nativeDir(): string {
  const main = createRequire(import.meta.url).resolve('onnxruntime-node');
  return join(dirname(main), '..', 'bin', 'napi-v6', process.platform, process.arch);
}

/** A one-node model used to find out whether a provider really loads. */
function probeModel(): Uint8Array {
  const g = new GraphBuilder('probe');
  g.input('x', 'float', [1]);
  g.output(g.node('Relu', ['x']), 'y', 'float', [1]);
  return g.toBytes();
}

let cudaCheck: Promise<DeviceInfo> | undefined;

async function checkCuda(): Promise<DeviceInfo> {
  if (process.platform !== 'linux' && process.platform !== 'win32')
    return { device: 'cuda', available: false, reason: `onnxruntime-node has no CUDA provider on ${process.platform}`, hint: INSTALL_HINT };
  const library = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
  const dir = nativeDir();
  if (!existsSync(join(dir, library)))
    return {
      device: 'cuda',
      available: false,
      reason: `onnxruntime-node was installed without its CUDA provider (no ${library})`,
      hint: INSTALL_HINT,
    };
  try {
    turnOffOrtTelemetry();
    const session = await ort.InferenceSession.create(probeModel(), { executionProviders: ['cuda'] });
    await session.release();
    return { device: 'cuda', available: true };
  } catch (err) {
    const first = String(err instanceof Error ? err.message : err).split('\n')[0];
    return { device: 'cuda', available: false, reason: `the CUDA provider is installed but does not load: ${first}`, hint: INSTALL_HINT };
  }
}

/** Best first: `--device auto` takes the first available entry, so CUDA where it loads, else the CPU. */
export async function onnxDevices(): Promise<DeviceInfo[]> {
  cudaCheck ??= checkCuda();
  return [await cudaCheck, { device: 'cpu', available: true }];
}
