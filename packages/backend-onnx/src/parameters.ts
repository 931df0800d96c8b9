// The named arrays each layer owns: trainable parameters and buffers (BN running statistics). Names follow
// the contract `<layer>.<param>`; layouts: dense weight [in, out], conv weight [out, in, kh, kw].
import type { ShapedLayer } from './layer-shapes.js';

export interface ParamSpec {
  /** Full name, e.g. `dense_1.weight`. */
  name: string;
  /** Role within the layer: weight, bias, gamma, beta, running_mean, running_var. */
  role: 'weight' | 'bias' | 'gamma' | 'beta' | 'running_mean' | 'running_var';
  shape: number[];
  trainable: boolean;
}

export function layerParams({ layer, inShape }: ShapedLayer): ParamSpec[] {
  const p = (role: ParamSpec['role'], shape: number[], trainable = true): ParamSpec => ({
    name: `${layer.name}.${role}`,
    role,
    shape,
    trainable,
  });
  switch (layer.op) {
    case 'dense':
      return [p('weight', [inShape[0]!, layer.units]), ...(layer.bias ? [p('bias', [layer.units])] : [])];
    case 'conv2d':
      return [
        p('weight', [layer.filters, inShape[0]!, layer.kernel[0], layer.kernel[1]]),
        ...(layer.bias ? [p('bias', [layer.filters])] : []),
      ];
    case 'batchnorm': {
      const c = inShape[0]!;
      return [
        ...(layer.affine ? [p('gamma', [c]), p('beta', [c])] : []),
        p('running_mean', [c], false),
        p('running_var', [c], false),
      ];
    }
    default:
      return [];
  }
}

export function modelParams(layers: ShapedLayer[]): ParamSpec[] {
  return layers.flatMap(layerParams);
}

/** Initial value of a buffer or parameter the initial state leaves out: BN gamma and running_var 1, else 0. */
export function defaultValue(spec: ParamSpec): number {
  return spec.role === 'gamma' || spec.role === 'running_var' ? 1 : 0;
}
