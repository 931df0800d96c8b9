// @bnx/backend-tfjs: trains and evaluates bnx models with TensorFlow.js (engines wasm, cpu, and node when
// @tensorflow/tfjs-node is installed).
export { tfjsBackend } from './backend.js';
export { registerTfjsBackend, TFJS_PRIORITY } from './register.js';
export { TfjsTrainer } from './trainer.js';
export { ENGINES, type EngineName } from './engine.js';
