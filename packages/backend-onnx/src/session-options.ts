// Session settings shared by every graph bnx runs: all optimizations, sequential execution, and as many
// intra-op threads as the machine has cores (the step is a chain of large ops, not parallel branches).
import { availableParallelism } from 'node:os';
import type { InferenceSession } from 'onnxruntime-node';
import type { DeviceKind } from '@bnx/core';

export function sessionOptions(device: DeviceKind): InferenceSession.SessionOptions {
  return {
    executionProviders: [device === 'cuda' ? 'cuda' : 'cpu'],
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    intraOpNumThreads: availableParallelism(),
    interOpNumThreads: 1,
    // Errors only: ORT's warnings (e.g. about initializers it folded away) are not the user's business.
    logSeverityLevel: 3,
  };
}
