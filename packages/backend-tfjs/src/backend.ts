import { BnxError } from '@bnx/ir';
import type { Backend, DeviceInfo } from '@bnx/core';
import { nodeEngineProblem, parseEngine } from './engine.js';
import { TfjsTrainer } from './trainer.js';

/** The TensorFlow.js backend: engines wasm (default), cpu, and node when @tensorflow/tfjs-node is installed. */
export const tfjsBackend: Backend = {
  name: 'tfjs',

  async devices(): Promise<DeviceInfo[]> {
    const nodeProblem = nodeEngineProblem();
    const node: DeviceInfo = { device: 'cpu', engine: 'node', available: nodeProblem === null };
    if (nodeProblem !== null) node.reason = nodeProblem;
    return [
      { device: 'cpu', engine: 'wasm', available: true },
      { device: 'cpu', engine: 'cpu', available: true },
      node,
      {
        device: 'cuda',
        available: false,
        reason: 'the tfjs backend runs on the CPU only here; use the onnx backend for CUDA',
      },
    ];
  },

  async compile(model, recipe, options) {
    if (options.device === 'cuda') {
      throw new BnxError("the tfjs backend cannot run on device 'cuda'; use --device cpu, or the onnx backend for CUDA", 'E_TFJS_DEVICE');
    }
    return TfjsTrainer.create(parseEngine(options.engine), model, recipe, options);
  },
};
