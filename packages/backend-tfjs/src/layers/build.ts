// The tfjs kernel of every IR op, one entry per op of the catalogue: a new op that is missing here fails to
// compile. Shapes and tensors come from the IR (shapeLayers); each kernel only computes.
import { shapeLayers, type LayerOf, type LayerOp, type ModelIR, type ShapedLayer } from '@bnx/ir';
import { activationLayer } from './activation.js';
import { batchNormLayer } from './batchnorm.js';
import { conv2dLayer } from './conv2d.js';
import { denseLayer } from './dense.js';
import { dropoutLayer } from './dropout.js';
import { flattenLayer } from './flatten.js';
import { groupNormLayer } from './groupnorm.js';
import type { LayerRuntime } from './layer.js';
import { poolLayer } from './pool.js';

type LayerFactory<L> = (layer: L, shaped: ShapedLayer) => LayerRuntime;

const KERNELS: { [K in LayerOp]: LayerFactory<LayerOf<K>> } = {
  dense: denseLayer,
  conv2d: conv2dLayer,
  maxpool: poolLayer,
  avgpool: poolLayer,
  flatten: flattenLayer,
  dropout: dropoutLayer,
  batchnorm: batchNormLayer,
  layernorm: groupNormLayer,
  groupnorm: groupNormLayer,
  relu: activationLayer,
  sigmoid: activationLayer,
  tanh: activationLayer,
  softmax: activationLayer,
  leaky_relu: activationLayer,
  elu: activationLayer,
};

/** One runtime per IR layer. Throws BnxError on a model that does not check. */
export function buildLayers(model: ModelIR): LayerRuntime[] {
  return shapeLayers(model).map((shaped) => (KERNELS[shaped.layer.op] as LayerFactory<typeof shaped.layer>)(shaped.layer, shaped));
}
