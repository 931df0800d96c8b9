// The ONNX Runtime backend object: lists devices, resolves `auto`, and compiles a run into an OnnxTrainer.
import { BnxError } from '@bnx/ir';
import type { Backend, DeviceKind } from '@bnx/core';
import { onnxDevices } from './devices.js';
import { OnnxTrainer } from './trainer.js';

export const onnxBackend: Backend = {
  name: 'onnx',
  devices: onnxDevices,
  async compile(model, recipe, options) {
    const devices = await onnxDevices();
    const cuda = devices.find((d) => d.device === 'cuda')!;
    let device: DeviceKind;
    if (options.device === 'cuda') {
      if (!cuda.available) throw new BnxError(`--device cuda: ${cuda.reason}. ${cuda.hint}`, 'E_DEVICE_UNAVAILABLE');
      device = 'cuda';
    } else if (options.device === 'auto') {
      // No warning printed from here: Trainer.device says where it runs, and the caller (the bnx CLI, from
      // resolveBackend's passedOver) says why, once, in its own words.
      device = cuda.available ? 'cuda' : 'cpu';
    } else {
      device = 'cpu';
    }
    return OnnxTrainer.create(model, recipe, options, device);
  },
};
