import * as tf from '@tensorflow/tfjs-core';
import { BnxError, canonicalInput, type ModelIR, type TrainIR } from '@bnx/ir';
import type { ActivationRequest, CompileOptions, EvalResult, NamedArrays, StepHooks, StepResult, TrainBatch, Trainer } from '@bnx/core';
import { activateEngine, type EngineName } from './engine.js';
import { buildLayers } from './layers/build.js';
import type { Backward, ForwardContext, LayerRuntime, TensorSpec } from './layers/layer.js';
import { toChannelsFirst, toChannelsLast } from './layers/layout.js';
import { lossGradient, summarizeLogits } from './loss.js';
import { updateRule, type UpdateRule } from './optimizer.js';
import { fromStored, toStored } from './stored_layout.js';

/** An evaluation split (@bnx/data's Split), named through the Trainer contract so this package needs no @bnx/data. */
type Split = Parameters<Trainer['evaluate']>[0];

const slotName = (param: string, slot: string) => `${param}.${slot}`;

/**
 * One run on tfjs. Everything it owns (parameters, BN running statistics, optimizer slots) is a tensor in
 * `store`, in the layout tfjs kernels want; each step runs in one tf.tidy and swaps in the new tensors, so the
 * number of live tensors stays flat. The backward pass is written out per layer rather than taken from tf.grads:
 * it needs no gradient registration, avoids the slow wasm transpose flags, and lets conv filter gradients run
 * on engines without Conv2DBackpropFilter.
 */
export class TfjsTrainer implements Trainer {
  readonly backend = 'tfjs';
  readonly device = 'cpu' as const;
  private readonly layers: LayerRuntime[];
  private readonly specs = new Map<string, TensorSpec>();
  private readonly paramNames: string[] = [];
  private readonly store = new Map<string, tf.Tensor>();
  private readonly rule: UpdateRule;
  private readonly sampleShape: number[];
  private readonly sampleSize: number;
  private disposed = false;

  private constructor(
    readonly engine: EngineName,
    private readonly model: ModelIR,
    private readonly recipe: TrainIR,
    private readonly options: CompileOptions,
  ) {
    this.layers = buildLayers(model);
    // buildLayers has checked the input.
    this.sampleShape = canonicalInput(model.input)!;
    this.sampleSize = this.sampleShape.reduce((a, b) => a * b, 1);
    this.rule = updateRule(recipe.optimizer);
    const last = this.layers.at(-1);
    const outputs = last ? last.outputShape : this.sampleShape;
    if (outputs.length !== 1 || outputs[0] !== options.numClasses) {
      throw new BnxError(
        `model '${model.name}': the last layer gives shape (${outputs.join(', ')}) but the dataset has ` +
          `${options.numClasses} classes; end the model with dense(${options.numClasses})`,
        'E_TFJS_SHAPE',
      );
    }
  }

  static async create(engine: EngineName, model: ModelIR, recipe: TrainIR, options: CompileOptions): Promise<TfjsTrainer> {
    await activateEngine(engine);
    const trainer = new TfjsTrainer(engine, model, recipe, options);
    trainer.initialise(options.initialState);
    return trainer;
  }

  private initialise(initial: NamedArrays): void {
    for (const layer of this.layers) {
      for (const spec of [...layer.params, ...layer.buffers]) {
        this.specs.set(spec.name, spec);
        const given = initial[spec.name];
        if (given) {
          this.checkShape(spec, given.shape, given.data.length, 'initial state');
          this.store.set(spec.name, toStored(given.data, spec.shape, spec.layout));
        } else if (spec.fallback !== undefined) {
          this.store.set(spec.name, toStored(new Float32Array(size(spec.shape)).fill(spec.fallback), spec.shape, spec.layout));
        } else {
          throw new BnxError(
            `tfjs backend: the initial state has no '${spec.name}' (shape ${spec.shape.join('x')}); initial weights come from @bnx/core's initializers`,
            'E_TFJS_STATE',
          );
        }
      }
      for (const spec of layer.params) {
        this.paramNames.push(spec.name);
        for (const slot of this.rule.slots) {
          const name = slotName(spec.name, slot);
          this.specs.set(name, { ...spec, name });
          this.store.set(name, toStored(new Float32Array(size(spec.shape)), spec.shape, spec.layout));
        }
      }
    }
  }

  private checkShape(spec: TensorSpec, shape: number[], length: number, where: string): void {
    if (shape.join('x') !== spec.shape.join('x') || length !== size(spec.shape)) {
      throw new BnxError(
        `tfjs backend: ${where} entry '${spec.name}' has shape ${shape.join('x')} (${length} values) but the model needs ${spec.shape.join('x')}`,
        'E_TFJS_STATE',
      );
    }
  }

  private assertLive(): void {
    if (this.disposed) throw new Error('tfjs trainer used after dispose()');
  }

  /** Batch-major input tensor in kernel layout, built from the typed-array view (no tf.slice on wasm). */
  private inputTensor(x: Float32Array, count: number): tf.Tensor {
    const need = count * this.sampleSize;
    if (x.length < need) {
      throw new BnxError(`tfjs backend: a batch of ${count} samples needs ${need} input values, got ${x.length}`, 'E_TFJS_BATCH');
    }
    return toChannelsLast(tf.tensor(x.subarray(0, need), [count, ...this.sampleShape], 'float32'));
  }

  private checkLabels(y: Int32Array): void {
    const classes = this.options.numClasses;
    for (let i = 0; i < y.length; i++) {
      const label = y[i]!;
      if (!(label >= 0 && label < classes)) {
        throw new BnxError(`tfjs backend: label ${label} of sample ${i} is outside 0..${classes - 1}`, 'E_TFJS_LABEL');
      }
    }
  }

  private oneHot(y: Int32Array, count: number): tf.Tensor2D {
    const classes = this.options.numClasses;
    const labels = y.subarray(0, count);
    this.checkLabels(labels);
    const values = new Float32Array(count * classes);
    for (let i = 0; i < count; i++) values[i * classes + labels[i]!] = 1;
    return tf.tensor2d(values, [count, classes]);
  }

  async train(batches: Iterable<TrainBatch>, hooks: StepHooks): Promise<void> {
    this.assertLive();
    await activateEngine(this.engine);
    for (const batch of batches) {
      const result = this.step(batch);
      if (hooks.onStep(result) === false) break;
    }
  }

  private step(batch: TrainBatch): StepResult {
    const kept = new Map<string, tf.Tensor>();
    // Adam's bias correction counts updates from the global step, as the reference does, so a trainer
    // restored with load() continues where the run was.
    const t = batch.step + 1;
    const readback = tf.tidy(() => {
      const ctx: ForwardContext = {
        training: true,
        tensors: this.store,
        dropoutMasks: batch.dropoutMasks,
        bufferUpdates: new Map(),
      };
      let h = this.inputTensor(batch.x, batch.size);
      const backwards: Backward[] = [];
      for (const layer of this.layers) {
        const r = layer.forward(h, ctx);
        backwards.push(r.backward);
        h = r.y;
      }
      const logits = h as tf.Tensor2D;
      const grads = new Map<string, tf.Tensor>();
      let dy: tf.Tensor | null = lossGradient(this.recipe.loss, logits, this.oneHot(batch.y, batch.size));
      for (let i = backwards.length - 1; i >= 0 && dy; i--) dy = backwards[i]!(dy, i > 0, grads);
      for (const name of this.paramNames) {
        const g = grads.get(name);
        if (!g) throw new Error(`internal: no gradient for '${name}'`);
        const slots = this.rule.slots.map((s) => this.store.get(slotName(name, s))!);
        const next = this.rule.update(this.store.get(name)!, g, slots, batch.lr, t);
        kept.set(name, next.p);
        this.rule.slots.forEach((s, k) => kept.set(slotName(name, s), next.slots[k]!));
      }
      for (const [name, value] of ctx.bufferUpdates) kept.set(name, value);
      for (const value of kept.values()) tf.keep(value);
      // One read per step: the logits, then each gradient norm when asked for.
      const parts: tf.Tensor[] = [tf.reshape(logits, [-1])];
      if (this.options.gradNorms) {
        const norms = this.paramNames.map((name) => tf.sqrt(tf.sum(tf.square(grads.get(name)!))));
        parts.push(tf.stack(norms));
      }
      return parts.length === 1 ? parts[0]! : tf.concat(parts);
    });
    const values = readback.dataSync();
    readback.dispose();
    for (const [name, value] of kept) {
      this.store.get(name)?.dispose();
      this.store.set(name, value);
    }
    const classes = this.options.numClasses;
    const { lossSum, correct } = summarizeLogits(this.recipe.loss, values, batch.y, batch.size, classes);
    const result: StepResult = { step: batch.step, loss: lossSum / batch.size, correct };
    if (this.options.gradNorms) {
      const offset = batch.size * classes;
      result.gradNorms = Object.fromEntries(this.paramNames.map((name, k) => [name, values[offset + k]!]));
    }
    return result;
  }

  /** Inference-mode forward over `count` samples; `capture` receives requested layer outputs. */
  private inferenceLogits(x: tf.Tensor, capture?: (layer: string, y: tf.Tensor) => void): tf.Tensor2D {
    const ctx: ForwardContext = { training: false, tensors: this.store, dropoutMasks: {}, bufferUpdates: new Map() };
    let h = x;
    for (const layer of this.layers) {
      h = layer.forward(h, ctx).y;
      capture?.(layer.name, h);
    }
    return h as tf.Tensor2D;
  }

  async evaluate(data: Split, batchSize: number): Promise<EvalResult> {
    this.assertLive();
    await activateEngine(this.engine);
    const per = data.x.length / Math.max(data.count, 1);
    if (data.count > 0 && per !== this.sampleSize) {
      throw new BnxError(`tfjs backend: evaluation samples have ${per} values each but model '${this.model.name}' takes ${this.sampleSize}`, 'E_TFJS_BATCH');
    }
    const step = Math.max(1, Math.floor(batchSize));
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < data.count; start += step) {
      const count = Math.min(step, data.count - start);
      const logits = tf.tidy(() => this.inferenceLogits(this.inputTensor(data.x.subarray(start * per, (start + count) * per), count)));
      const values = logits.dataSync();
      logits.dispose();
      const y = data.y.subarray(start, start + count);
      this.checkLabels(y);
      const summary = summarizeLogits(this.recipe.loss, values, y, count, this.options.numClasses);
      lossSum += summary.lossSum;
      correct += summary.correct;
    }
    const count = data.count;
    return { loss: count ? lossSum / count : NaN, accuracy: count ? correct / count : NaN, count };
  }

  async activations(x: Float32Array, count: number, requests: ActivationRequest[]): Promise<Float32Array[]> {
    this.assertLive();
    await activateEngine(this.engine);
    const byName = new Map(this.layers.map((l) => [l.name, l]));
    const outputs = requests.map((r) => {
      const layer = byName.get(r.layer);
      if (!layer) {
        throw new BnxError(
          `tfjs backend: model '${this.model.name}' has no layer '${r.layer}' (layers: ${this.layers.map((l) => l.name).join(', ')})`,
          'E_TFJS_LAYER',
        );
      }
      return new Float32Array(count * size(layer.outputShape));
    });
    // Chunks bound the memory of one forward pass whatever `count` is.
    const chunk = Math.min(Math.max(1, this.options.maxBatch || 256), 1024);
    for (let start = 0; start < count; start += chunk) {
      const n = Math.min(chunk, count - start);
      const captured = tf.tidy(() => {
        const found = new Map<string, tf.Tensor>();
        this.inferenceLogits(this.inputTensor(x.subarray(start * this.sampleSize, (start + n) * this.sampleSize), n), (name, y) => {
          if (requests.some((r) => r.layer === name)) found.set(name, toChannelsFirst(y));
        });
        return requests.map((r) => found.get(r.layer)!);
      });
      requests.forEach((r, k) => {
        const perSample = size(byName.get(r.layer)!.outputShape);
        outputs[k]!.set(captured[k]!.dataSync() as Float32Array, start * perSample);
      });
      tf.dispose(captured);
    }
    return outputs;
  }

  async state(): Promise<NamedArrays> {
    this.assertLive();
    await activateEngine(this.engine);
    const out: NamedArrays = {};
    for (const [name, t] of this.store) out[name] = fromStored(t, this.specs.get(name)!.layout);
    return out;
  }

  async load(state: NamedArrays): Promise<void> {
    this.assertLive();
    await activateEngine(this.engine);
    for (const [name, value] of Object.entries(state)) {
      const spec = this.specs.get(name);
      if (!spec) {
        throw new BnxError(`tfjs backend: state entry '${name}' does not belong to model '${this.model.name}'`, 'E_TFJS_STATE');
      }
      this.checkShape(spec, value.shape, value.data.length, 'loaded state');
      const next = toStored(value.data, spec.shape, spec.layout);
      this.store.get(name)?.dispose();
      this.store.set(name, next);
    }
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await activateEngine(this.engine);
    for (const t of this.store.values()) t.dispose();
    this.store.clear();
  }
}

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
