// What one layer looks like to the trainer. Activations inside the backend are batch-major and channels-LAST
// ([N, F] or [N, H, W, C]) because that is what tfjs kernels take; bnx data, shapes and state are channels-first,
// and the conversions live at the edges (input, flatten, dropout masks, activations(), state()).
import type * as tf from '@tensorflow/tfjs-core';
import { constantInitValue, type ParamRole, type ShapedLayer } from '@bnx/ir';

/** How a stored tensor's layout differs from its bnx (state()) layout. */
export type StoredLayout = 'same' | 'oihw_as_hwio';

/** A parameter or buffer a layer owns, named as in bnx state: `<layer>.<param>`. */
export interface TensorSpec {
  name: string;
  /** Shape in bnx layout (conv weights OIHW). */
  shape: number[];
  layout: StoredLayout;
  /** Value when the initial state does not provide one (BN buffers and affine parameters only). */
  fallback?: number;
}

export interface ForwardContext {
  training: boolean;
  /** Every stored tensor (parameters, buffers) by bnx name, in stored layout. */
  tensors: ReadonlyMap<string, tf.Tensor>;
  /** Per dropout layer, the mask of this batch (bnx layout: channels-first). */
  dropoutMasks: Record<string, Float32Array>;
  /** New values for buffers (BN running statistics), applied after the step. */
  bufferUpdates: Map<string, tf.Tensor>;
}

/**
 * Receives the gradient of the loss with respect to the layer output; records parameter gradients in `grads`
 * and returns the gradient with respect to the input, or null when `needInputGrad` is false (the first layer).
 */
export type Backward = (dy: tf.Tensor, needInputGrad: boolean, grads: Map<string, tf.Tensor>) => tf.Tensor | null;

export interface ForwardResult {
  y: tf.Tensor;
  backward: Backward;
}

export interface LayerRuntime {
  readonly name: string;
  readonly op: string;
  /** bnx (channels-first) sample shapes, without the batch axis. */
  readonly inputShape: number[];
  readonly outputShape: number[];
  readonly params: TensorSpec[];
  readonly buffers: TensorSpec[];
  forward(x: tf.Tensor, ctx: ForwardContext): ForwardResult;
}

/**
 * The layer's parameters and buffers as the IR's op catalogue lists them, with the layout each is stored in
 * here. Weights and biases come from the initial state (core's initializers); normalization scales, shifts and
 * running statistics may be left out and start at their constant.
 */
export function tensorSpecs(shaped: ShapedLayer, layouts: Partial<Record<ParamRole, StoredLayout>> = {}): { params: TensorSpec[]; buffers: TensorSpec[] } {
  const params: TensorSpec[] = [];
  const buffers: TensorSpec[] = [];
  for (const p of shaped.params) {
    const spec: TensorSpec = { name: p.name, shape: p.shape, layout: layouts[p.role] ?? 'same' };
    const fallback = p.role === 'weight' || p.role === 'bias' ? undefined : constantInitValue(p);
    if (fallback !== undefined) spec.fallback = fallback;
    (p.trainable ? params : buffers).push(spec);
  }
  return { params, buffers };
}

export function stored(ctx: ForwardContext, name: string): tf.Tensor {
  const t = ctx.tensors.get(name);
  if (!t) throw new Error(`internal: tensor '${name}' missing from the trainer store`);
  return t;
}
