// createReferenceBackend: the float64 oracle behind the same Backend interface as tfjs and onnx, so the
// conformance suite can run it through the very code path it checks the real backends with.
import { BnxError } from '@bnx/ir';
import type { Backend } from '../backend.js';
import { ReferenceTrainer } from './trainer.js';

export function createReferenceBackend(): Backend {
  return {
    name: 'reference',
    async devices() {
      return [
        { device: 'cpu', available: true },
        { device: 'cuda', available: false, reason: 'the float64 reference runs on the CPU only' },
      ];
    },
    async compile(model, recipe, options) {
      if (options.device === 'cuda') {
        throw new BnxError('the reference backend runs on the CPU only; ask for device cpu or auto');
      }
      return new ReferenceTrainer(model, recipe, options);
    },
  };
}
