// The training-step graph: parameters, optimizer state, BN running statistics, the batch, dropout masks,
// the learning rate and the step count in; their updated values, the loss and the number correct out (and
// per-parameter gradient L2 norms when asked). One session.run is one whole SGD/Adam/RMSprop step.
import type { DropoutLayer, ModelIR, ParamSpec, ShapedLayer, TrainIR } from '@bnx/ir';
import { canonicalInput, shapeLayers } from '@bnx/ir';
import { GraphBuilder } from './graph-builder.js';
import { emitForward } from './forward-pass.js';
import { emitLoss } from './losses.js';
import { emitUpdate, optimizerSlots } from './optimizers.js';
import { opRules } from './op-registry.js';

export const BATCH_DIM = 'batch';

export interface StateEntry {
  /** Name in NamedArrays and graph input name. */
  name: string;
  shape: number[];
  /** Graph output holding the value after the step. */
  output: string;
  kind: 'param' | 'buffer' | 'slot';
  /** For a param or a slot: the parameter spec it belongs to. */
  spec: ParamSpec;
}

export interface TrainingGraph {
  bytes: Uint8Array;
  layers: ShapedLayer[];
  /** Sample shape of the input `x`, channels-first, without the batch axis. */
  inputShape: number[];
  state: StateEntry[];
  /** Dropout layers that take a mask input `<layer>.mask`, with the mask's per-sample size. */
  dropout: { layer: string; input: string; sampleSize: number }[];
  /** Graph outputs `grad_norm:<param>` per trainable parameter, when gradNorms. */
  gradNormOutputs: Record<string, string>;
}

export const newName = (name: string) => `new:${name}`;

/**
 * `batch`: build for that batch size only (static shapes), so that ORT folds everything computed from the batch
 * size (the sample count, the ones vector of per-channel sums) into constants; omitted, any batch size runs.
 */
export function buildTrainingGraph(model: ModelIR, recipe: TrainIR, numClasses: number, gradNorms: boolean, batch?: number): TrainingGraph {
  const batchDim = batch ?? BATCH_DIM;
  const layers = shapeLayers(model);
  const g = new GraphBuilder(`${model.name}/train`, batch);
  // shapeLayers has checked the input.
  const inputShape = canonicalInput(model.input)!;
  const x = g.input('x', 'float', [batchDim, ...inputShape]);
  const targets = g.input('targets', 'float', [batchDim, numClasses]);
  const lr = g.input('lr', 'float', []);
  const t = g.input('t', 'float', []);

  const state: StateEntry[] = [];
  const specs = layers.flatMap((l) => l.params);
  for (const spec of specs) {
    g.input(spec.name, 'float', spec.shape);
    state.push({ name: spec.name, shape: spec.shape, output: newName(spec.name), kind: spec.trainable ? 'param' : 'buffer', spec });
  }
  const slots = optimizerSlots(recipe.optimizer);
  for (const spec of specs.filter((s) => s.trainable)) {
    for (const slot of slots) {
      const name = `${spec.name}.${slot}`;
      g.input(name, 'float', spec.shape);
      state.push({ name, shape: spec.shape, output: newName(name), kind: 'slot', spec });
    }
  }

  const dropout: TrainingGraph['dropout'] = [];
  const masks: Record<string, string> = {};
  for (const shaped of layers) {
    if (shaped.layer.op !== 'dropout' || (shaped.layer as DropoutLayer).rate === 0) continue;
    const input = g.input(`${shaped.layer.name}.mask`, 'float', [batchDim, ...shaped.inShape]);
    masks[shaped.layer.name] = input;
    dropout.push({ layer: shaped.layer.name, input, sampleSize: shaped.inShape.reduce((a, b) => a * b, 1) });
  }

  const forward = emitForward(g, layers, x, 'train', (spec) => spec.name, masks);
  // A model may end in an image-shaped layer: the loss sees its output flattened, as the reference does.
  const lastShape = layers[layers.length - 1]?.outShape ?? [];
  g.scope = 'output';
  const logits = lastShape.length > 1 ? g.reshape(forward.output, [0, -1]) : forward.output;
  const loss = emitLoss(g, recipe.loss, logits, targets, numClasses);

  // Backward: walk the layers in reverse, one registered gradient rule per op.
  const grads = new Map<string, string>();
  g.scope = 'output/grad';
  let dy = logits === forward.output ? loss.dz : g.node('Reshape', [loss.dz, g.node('Shape', [forward.output])]);
  for (let i = forward.records.length - 1; i >= 0; i--) {
    const rec = forward.records[i]!;
    g.scope = `${rec.ctx.shaped.layer.name}/grad`;
    const result = opRules[rec.ctx.shaped.layer.op].gradient(rec.ctx, { x: rec.x, fwd: rec.fwd, dy, needDx: i > 0 });
    for (const [role, grad] of Object.entries(result.grads)) grads.set(`${rec.ctx.shaped.layer.name}.${role}`, grad);
    if (i > 0) dy = result.dx!;
  }

  const inputs = { lr, t };
  const gradNormOutputs: Record<string, string> = {};
  for (const spec of specs) {
    if (!spec.trainable) continue;
    const grad = grads.get(spec.name)!;
    g.scope = `${spec.name}/update`;
    const slotTensors = Object.fromEntries(slots.map((s) => [s, `${spec.name}.${s}`]));
    const update = emitUpdate(g, recipe.optimizer, spec.name, grad, slotTensors, inputs, gradNorms);
    g.output(update.param, newName(spec.name), 'float', spec.shape);
    for (const s of slots) g.output(update.slots[s]!, newName(`${spec.name}.${s}`), 'float', spec.shape);
    if (gradNorms) {
      const norm = g.node('Sqrt', [g.node('ReduceSumSquare', [grad], { keepdims: 0 })], {}, 'GradNorm');
      gradNormOutputs[spec.name] = `grad_norm:${spec.name}`;
      g.output(norm, gradNormOutputs[spec.name]!, 'float', []);
    }
  }
  for (const rec of forward.records) {
    for (const [role, value] of Object.entries(rec.fwd.bufferUpdates ?? {})) {
      const name = `${rec.ctx.shaped.layer.name}.${role}`;
      g.output(value, newName(name), 'float', [rec.ctx.shaped.inShape[0]!]);
    }
  }
  g.output(loss.loss, 'loss', 'float', []);
  g.output(loss.correct, 'correct', 'float', []);
  return {
    bytes: g.toBytes(`training step of model '${model.name}' (${recipe.optimizer.kind}, ${recipe.loss})`),
    layers,
    inputShape,
    state,
    dropout,
    gradNormOutputs,
  };
}
