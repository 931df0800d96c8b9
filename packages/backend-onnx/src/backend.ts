// The ONNX Runtime backend object: lists devices, resolves `auto`, and compiles a run into an OnnxTrainer.
import { BnxError } from '@bnx/ir';
import type { Backend, DeviceKind } from '@bnx/core';
import { onnxDevices } from './devices.js';
import { OnnxTrainer } from './trainer.js';

/** The auto-to-CPU fallback is said once per process, not once per run. */
let fallbackWarned = false;

export const onnxBackend: Backend = {
  name: 'onnx',
  devices: onnxDevices,
  async compile(model, recipe, options) {
    const devices = await onnxDevices();
    const cuda = devices.find((d) => d.device === 'cuda')!;
    let device: DeviceKind;
    if (options.device === 'cuda') {
      if (!cuda.available) throw new BnxError(`--device cuda: ${cuda.reason}`, 'E_DEVICE_UNAVAILABLE');
      device = 'cuda';
    } else if (options.device === 'auto') {
      device = cuda.available ? 'cuda' : 'cpu';
      if (!cuda.available && !fallbackWarned) {
        fallbackWarned = true;
        process.emitWarning(`bnx onnx: --device auto runs on the CPU: ${cuda.reason}`, { code: 'BNX_DEVICE_FALLBACK' });
      }
    } else {
      device = 'cpu';
    }
    return OnnxTrainer.create(model, recipe, options, device);
  },
};
