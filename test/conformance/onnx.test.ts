// The shared conformance suite on the onnx backend (ONNX Runtime, CPU provider), float32 against float64.
import { onnxBackend } from '@bnx/backend-onnx';
import { runConformanceSuite } from './suite.js';

runConformanceSuite('onnx cpu', async () => onnxBackend, { device: 'cpu' });
