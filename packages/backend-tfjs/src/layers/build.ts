import { BnxError, type ModelIR } from '@bnx/ir';
import { activationLayer } from './activation.js';
import { batchNormLayer } from './batchnorm.js';
import { conv2dLayer } from './conv2d.js';
import { denseLayer } from './dense.js';
import { dropoutLayer } from './dropout.js';
import { flattenLayer } from './flatten.js';
import type { LayerRuntime } from './layer.js';
import { poolLayer } from './pool.js';

/**
 * The sample shape the backend works with: `input(28, 28)` is an image whose single channel was left out
 * (DESIGN.md section 2), so a rank-2 input becomes (1, H, W); the bytes are the same.
 */
export function modelInputShape(model: ModelIR): number[] {
  if (model.input.length === 2) return [1, ...model.input];
  if (model.input.length === 1 || model.input.length === 3) return [...model.input];
  throw new BnxError(
    `model '${model.name}': input(${model.input.join(', ')}) has rank ${model.input.length}; the tfjs backend takes (features) or (channels, height, width)`,
    'E_TFJS_SHAPE',
  );
}

/** One runtime per IR layer, with shapes inferred front to back. */
export function buildLayers(model: ModelIR): LayerRuntime[] {
  let shape = modelInputShape(model);
  const layers: LayerRuntime[] = [];
  for (const layer of model.layers) {
    let runtime: LayerRuntime;
    switch (layer.op) {
      case 'dense':
        runtime = denseLayer(layer, shape);
        break;
      case 'conv2d':
        runtime = conv2dLayer(layer, shape);
        break;
      case 'maxpool':
      case 'avgpool':
        runtime = poolLayer(layer, shape);
        break;
      case 'flatten':
        runtime = flattenLayer(layer, shape);
        break;
      case 'dropout':
        runtime = dropoutLayer(layer, shape);
        break;
      case 'batchnorm':
        runtime = batchNormLayer(layer, shape);
        break;
      case 'relu':
      case 'sigmoid':
      case 'tanh':
      case 'softmax':
      case 'leaky_relu':
      case 'elu':
        runtime = activationLayer(layer, shape);
        break;
      default: {
        const unknown = layer as { op: string; name: string };
        throw new BnxError(`layer '${unknown.name}': op '${unknown.op}' is not supported by the tfjs backend`, 'E_TFJS_OP');
      }
    }
    layers.push(runtime);
    shape = runtime.outputShape;
  }
  return layers;
}
