// What every op contributes to a graph: its forward emission (training or inference mode) and its gradient
// rule. The rules are registered, one per op, in op-registry.ts (like ORT's gradient builder registry).
import type { GraphBuilder } from '../graph-builder.js';
import type { ParamRole, ShapedLayer } from '@bnx/ir';

export type Role = ParamRole;

export interface OpContext {
  g: GraphBuilder;
  shaped: ShapedLayer;
  mode: 'train' | 'infer';
  /** Graph tensor holding each of the layer's parameters and buffers. */
  params: Partial<Record<Role, string>>;
  /** Dropout only, training mode: the mask input (0 or 1/(1-rate) per element). */
  dropoutMask?: string;
}

export interface ForwardResult {
  y: string;
  /** Forward tensors the gradient rule reads, by name of the rule's choosing. */
  saved: Record<string, string>;
  /** Training mode: new values of buffers (BN running statistics). */
  bufferUpdates?: Partial<Record<Role, string>>;
}

export interface GradientArgs {
  x: string;
  fwd: ForwardResult;
  /** Gradient of the loss with respect to the layer's output. */
  dy: string;
  /** False for the first layer: nothing upstream needs dx. */
  needDx: boolean;
}

export interface GradientResult {
  dx?: string;
  grads: Partial<Record<Role, string>>;
}

export interface OpRule {
  forward(ctx: OpContext, x: string): ForwardResult;
  gradient(ctx: OpContext, args: GradientArgs): GradientResult;
}

export function param(ctx: OpContext, role: Role): string {
  const name = ctx.params[role];
  if (!name) throw new Error(`internal: layer '${ctx.shaped.layer.name}' has no '${role}' tensor`);
  return name;
}
