// Which layer's output an `activations` probe samples.
import { BnxError } from './errors.js';
import { didYouMean, objects } from './format.js';
import { isActivation } from './ops.js';
import type { Layer, ModelIR, Probe } from './types.js';

type ActivationsProbe = Extract<Probe, { kind: 'activations' }>;

const isLinear = (layer: Layer) => layer.op === 'dense' || layer.op === 'conv2d';

/**
 * The layers of the block that starts at a dense/conv layer: everything up to the next dense, conv, pool
 * or flatten. The activation in it (if any) splits it into pre- and post-activation.
 */
function blockActivation(layers: readonly Layer[], start: number): number | undefined {
  for (let i = start + 1; i < layers.length; i++) {
    const layer = layers[i];
    if (layer === undefined) break;
    if (isLinear(layer) || layer.op === 'flatten' || layer.op === 'maxpool' || layer.op === 'avgpool') break;
    if (isActivation(layer)) return i;
  }
  return undefined;
}

/** The resolved layer name, or why there is none. */
export function probeLayerOrProblem(model: ModelIR, probe: ActivationsProbe): { layer: string } | { problem: string } {
  const layers = objects(model?.layers);
  let index: number;
  if (probe.layer === 'last_hidden') {
    const linear = layers.flatMap((layer, i) => (isLinear(layer) ? [i] : []));
    if (linear.length < 2) {
      return { problem: `model '${model.name}' has no hidden dense or conv2d layer for 'last_hidden' (the last one is the output layer)` };
    }
    index = linear[linear.length - 2] ?? 0;
  } else {
    index = layers.findIndex((layer) => layer.name === probe.layer);
    if (index < 0) {
      const hint = didYouMean(
        probe.layer,
        layers.map((l) => l.name),
      );
      return {
        problem: `model '${model.name}' has no layer '${probe.layer}'${hint ? `; ${hint}` : ''} (its layers: ${layers.map((l) => l.name).join(', ')}, or last_hidden)`,
      };
    }
  }
  const layer = layers[index] as Layer;
  if (isActivation(layer)) {
    // The activation's own output is post-activation; its input, the previous layer's output, is pre-activation.
    const previous = layers[index - 1];
    if (probe.point === 'post_activation') return { layer: layer.name };
    return previous ? { layer: previous.name } : { problem: `activation '${layer.name}' is the first layer; it has no layer before it to probe` };
  }
  if (!isLinear(layer)) return { layer: layer.name };
  const activation = blockActivation(layers, index);
  if (activation === undefined) {
    if (probe.point === 'pre_activation') return { layer: layer.name };
    return { problem: `layer '${layer.name}' of model '${model.name}' is not followed by an activation, so it has no post_activation point` };
  }
  const target = probe.point === 'post_activation' ? layers[activation] : layers[activation - 1];
  return { layer: (target as Layer).name };
}

/**
 * The layer whose output an activations probe samples. `last_hidden` is the last dense/conv layer before the
 * output layer; for a dense/conv layer, `pre_activation` is the output of the layer right before its
 * activation (the batchnorm when BN sits before the activation) and `post_activation` the activation's.
 * Throws BnxError when the probe does not fit the model (validate reports the same as E1406).
 */
export function resolveProbeLayer(model: ModelIR, probe: ActivationsProbe): string {
  const result = probeLayerOrProblem(model, probe);
  if ('problem' in result) throw new BnxError(result.problem, 'E1406');
  return result.layer;
}
