// Session settings shared by every graph bnx runs: all optimizations, sequential execution, and as many
// intra-op threads as the machine has cores (the step is a chain of large ops, not parallel branches), and no
// spinning.
import { availableParallelism } from 'node:os';
import type { InferenceSession } from 'onnxruntime-node';
import type { DeviceKind } from '@bnx/core';
import { turnOffOrtTelemetry } from './telemetry.js';

export function sessionOptions(device: DeviceKind): InferenceSession.SessionOptions {
  turnOffOrtTelemetry(); // before ONNX Runtime creates its environment, on the first session
  return {
    executionProviders: [device === 'cuda' ? 'cuda' : 'cpu'],
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    intraOpNumThreads: availableParallelism(),
    interOpNumThreads: 1,
    // Errors only: ORT's warnings (e.g. about initializers it folded away) are not the user's business.
    logSeverityLevel: 3,
    // Idle pool threads sleep instead of spinning. Measured interleaved on the 784-300-100-10 MLP step (2 cores):
    // batch 32 went from 17.7k to 22.9k samples/s, batch 128 from 32.9k to 43.2k, batch 512 unchanged (77.0k vs
    // 77.3k); it also leaves the
    // cores to other processes between runs.
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  };
}
