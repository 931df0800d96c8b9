// @bnx/backend-onnx: compiles bnx models to ONNX training-step and inference graphs and runs them on ONNX
// Runtime (CPU, CUDA).
import { registerBackend } from '@bnx/core';
import { onnxBackend } from './backend.js';
import { turnOffOrtTelemetry } from './telemetry.js';

export { onnxBackend } from './backend.js';
export { OnnxTrainer } from './trainer.js';
export { onnxDevices } from './devices.js';
export { turnOffOrtTelemetry, ORT_TELEMETRY_SWITCH } from './telemetry.js';
export { exportInferenceModel, type ExportOptions } from './export-model.js';
export { foldBatchNorm } from './fold-batchnorm.js';
export { buildTrainingGraph, type TrainingGraph, type StateEntry } from './training-graph.js';
export { buildInferenceGraph, type InferenceGraph, type InferenceGraphOptions } from './inference-graph.js';

/** Priority of the onnx backend in @bnx/core's registry: the highest, as it is the fastest. */
export const ONNX_PRIORITY = 100;

/** Registers the onnx backend with @bnx/core so `--backend onnx` (and the default choice) finds it. */
export function registerOnnxBackend(): void {
  // Here too, so that worker threads started later (bnx run --jobs) inherit it in their environment.
  turnOffOrtTelemetry();
  registerBackend(onnxBackend, ONNX_PRIORITY);
}
