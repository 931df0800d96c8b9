// The shared conformance suite on the tfjs backend, float32 against float64, on both engines that install
// everywhere (wasm, the default, and the pure-JS cpu engine).
import { tfjsBackend } from '@bnx/backend-tfjs';
import { runConformanceSuite } from './suite.js';

runConformanceSuite('tfjs wasm', async () => tfjsBackend, { engine: 'wasm', device: 'cpu' });
runConformanceSuite('tfjs cpu', async () => tfjsBackend, { engine: 'cpu', device: 'cpu' });
