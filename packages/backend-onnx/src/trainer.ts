// One run on ONNX Runtime: owns the parameters, optimizer state and BN running statistics as ORT tensors.
// Each step is one session.run of the training graph; its outputs become the next step's inputs as they
// are (no copies), and the batch, one-hot targets and scalars go in through reused buffers.
import * as ort from 'onnxruntime-node';
import type { ActivationRequest, CompileOptions, DeviceKind, EvalResult, NamedArrays, StepHooks, StepResult, TrainBatch, Trainer } from '@bnx/core';
import { BnxError, constantInitValue } from '@bnx/ir';
import type { BatchNormLayer, ModelIR, TrainIR } from '@bnx/ir';
import { buildTrainingGraph } from './training-graph.js';
import type { TrainingGraph } from './training-graph.js';
import { activationOutput, buildInferenceGraph } from './inference-graph.js';
import { sessionOptions } from './session-options.js';

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** An evaluation split (@bnx/data's Split), named through the Trainer contract so this package needs no @bnx/data. */
type Split = Parameters<Trainer['evaluate']>[0];

export class OnnxTrainer implements Trainer {
  readonly backend = 'onnx';
  private readonly tensors = new Map<string, ort.Tensor>();
  private readonly sampleShape: number[];
  private readonly sampleSize: number;
  private targets: Float32Array;
  private readonly lr = new Float32Array(1);
  private readonly t = new Float32Array(1);
  private readonly activationSessions = new Map<string, ort.InferenceSession>();
  /** Smallest batch for which every BN layer sees more than one value per channel. */
  private readonly minBatch: number;
  private disposed = false;

  private constructor(
    readonly device: DeviceKind,
    private readonly model: ModelIR,
    private readonly numClasses: number,
    /** The loss evaluate() reports, the recipe's. */
    private readonly loss: TrainIR['loss'],
    private readonly graph: TrainingGraph,
    /** The batch size `trainSession` is built for (undefined: any). */
    private readonly staticBatch: number | undefined,
    private readonly trainSession: ort.InferenceSession,
    /** The session for batches of other sizes, or how to make it. */
    private anySize: ort.InferenceSession | (() => Promise<ort.InferenceSession>),
    private readonly inferSession: ort.InferenceSession,
    initialState: NamedArrays,
    maxBatch: number,
  ) {
    this.sampleShape = graph.inputShape;
    this.sampleSize = size(this.sampleShape);
    this.targets = new Float32Array(Math.max(1, maxBatch) * numClasses);
    const bnSpatial = graph.layers.filter((l) => l.layer.op === 'batchnorm').map((l) => (l.inShape.length === 3 ? l.inShape[1]! * l.inShape[2]! : 1));
    this.minBatch = bnSpatial.length > 0 && Math.min(...bnSpatial) === 1 ? 2 : 1;
    this.loadInto(initialState, true);
  }

  static async create(model: ModelIR, recipe: TrainIR, options: CompileOptions, device: DeviceKind): Promise<OnnxTrainer> {
    // The step graph is built for the run's batch size (static shapes: see buildTrainingGraph); a batch of
    // another size (a last partial batch) gets a graph for any size, built when first needed.
    const batch = Number.isInteger(options.maxBatch) && options.maxBatch >= 1 ? options.maxBatch : undefined;
    const graph = buildTrainingGraph(model, recipe, options.numClasses, options.gradNorms, batch);
    const inference = buildInferenceGraph(model);
    const opts = sessionOptions(device);
    const [trainSession, inferSession] = await Promise.all([
      ort.InferenceSession.create(graph.bytes, opts),
      ort.InferenceSession.create(inference.bytes, opts),
    ]);
    const anySize =
      batch === undefined
        ? trainSession
        : () => ort.InferenceSession.create(buildTrainingGraph(model, recipe, options.numClasses, options.gradNorms).bytes, opts);
    return new OnnxTrainer(
      device,
      model,
      options.numClasses,
      recipe.loss,
      graph,
      batch,
      trainSession,
      anySize,
      inferSession,
      options.initialState,
      options.maxBatch,
    );
  }

  /** The session that trains a batch of `n`: the static one for the run's batch size, else the one for any size. */
  private async sessionFor(n: number): Promise<ort.InferenceSession> {
    if (n === this.staticBatch) return this.trainSession;
    if (typeof this.anySize === 'function') this.anySize = await this.anySize();
    return this.anySize;
  }

  /** Copies `source` into the trainer's state; at compile time, missing buffers and optimizer state start at their defaults. */
  private loadInto(source: NamedArrays, initial: boolean): void {
    const known = new Set(this.graph.state.map((e) => e.name));
    const unknown = Object.keys(source).filter((name) => !known.has(name));
    if (unknown.length > 0)
      throw new BnxError(
        `${initial ? 'initial state' : 'state'}: unknown entr${unknown.length > 1 ? 'ies' : 'y'} ${unknown.map((n) => `'${n}'`).join(', ')} for model '${this.model.name}'`,
      );
    for (const entry of this.graph.state) {
      const given = source[entry.name];
      const count = size(entry.shape);
      if (given) {
        if (given.data.length !== count)
          throw new BnxError(`state '${entry.name}' has ${given.data.length} values; model '${this.model.name}' expects shape (${entry.shape.join(', ')})`);
        this.tensors.set(entry.name, new ort.Tensor('float32', Float32Array.from(given.data), entry.shape));
      } else if (initial && entry.kind !== 'param') {
        const fill = entry.kind === 'buffer' ? (constantInitValue(entry.spec) ?? 0) : 0;
        this.tensors.set(entry.name, new ort.Tensor('float32', new Float32Array(count).fill(fill), entry.shape));
      } else if (initial && (entry.spec.role === 'gamma' || entry.spec.role === 'beta')) {
        this.tensors.set(entry.name, new ort.Tensor('float32', new Float32Array(count).fill(constantInitValue(entry.spec) ?? 0), entry.shape));
      } else if (initial) {
        throw new BnxError(`the initial state has no '${entry.name}' for model '${this.model.name}'`);
      }
    }
  }

  private checkBatch(x: Float32Array, count: number, what: string): void {
    if (!Number.isInteger(count) || count < 1) throw new BnxError(`${what}: batch size must be a positive integer, got ${count}`);
    if (x.length < count * this.sampleSize)
      throw new BnxError(`${what}: ${count} samples of shape (${this.sampleShape.join(', ')}) need ${count * this.sampleSize} values, got ${x.length}`);
  }

  private oneHot(y: Int32Array, count: number): Float32Array {
    const k = this.numClasses;
    if (this.targets.length < count * k) this.targets = new Float32Array(count * k);
    const targets = this.targets.subarray(0, count * k);
    targets.fill(0);
    for (let i = 0; i < count; i++) {
      const label = y[i]!;
      if (!(label >= 0 && label < k)) throw new BnxError(`label ${label} of sample ${i} is outside 0..${k - 1}`);
      targets[i * k + label] = 1;
    }
    return targets;
  }

  private stateFeeds(feeds: Record<string, ort.Tensor>, names: Iterable<string>): void {
    for (const name of names) feeds[name] = this.tensors.get(name)!;
  }

  async train(batches: Iterable<TrainBatch>, hooks: StepHooks): Promise<void> {
    this.assertLive();
    const stateNames = this.graph.state.map((s) => s.name);
    for (const batch of batches) {
      const n = batch.size;
      this.checkBatch(batch.x, n, `training step ${batch.step}`);
      if (n < this.minBatch) {
        const bn = this.graph.layers.find((l) => l.layer.op === 'batchnorm')!.layer as BatchNormLayer;
        throw new BnxError(
          `training step ${batch.step}: batch normalization ('${bn.name}') needs more than one value per channel in training mode, ` +
            `got a batch of ${n} (PyTorch raises the same): use a larger batch or drop the last partial batch`,
        );
      }
      const feeds: Record<string, ort.Tensor> = {
        x: new ort.Tensor('float32', batch.x.subarray(0, n * this.sampleSize), [n, ...this.sampleShape]),
        targets: new ort.Tensor('float32', this.oneHot(batch.y, n), [n, this.numClasses]),
        lr: new ort.Tensor('float32', ((this.lr[0] = batch.lr), this.lr), []),
        t: new ort.Tensor('float32', ((this.t[0] = batch.step + 1), this.t), []),
      };
      for (const d of this.graph.dropout) {
        const mask = batch.dropoutMasks[d.layer];
        if (!mask || mask.length < n * d.sampleSize)
          throw new BnxError(`training step ${batch.step}: dropout layer '${d.layer}' needs a mask of ${n * d.sampleSize} values`);
        const layer = this.graph.layers.find((l) => l.layer.name === d.layer)!;
        feeds[d.input] = new ort.Tensor('float32', mask.subarray(0, n * d.sampleSize), [n, ...layer.inShape]);
      }
      this.stateFeeds(feeds, stateNames);
      const out = await (await this.sessionFor(n)).run(feeds);
      for (const entry of this.graph.state) this.tensors.set(entry.name, out[entry.output]!);
      const result: StepResult = {
        step: batch.step,
        loss: (out.loss!.data as Float32Array)[0]!,
        correct: Math.round((out.correct!.data as Float32Array)[0]!),
      };
      const normOutputs = Object.entries(this.graph.gradNormOutputs);
      if (normOutputs.length > 0) result.gradNorms = Object.fromEntries(normOutputs.map(([param, output]) => [param, (out[output]!.data as Float32Array)[0]!]));
      if (hooks.onStep(result) === false) break;
    }
  }

  private inferenceFeeds(x: Float32Array, count: number): Record<string, ort.Tensor> {
    const feeds: Record<string, ort.Tensor> = { x: new ort.Tensor('float32', x.subarray(0, count * this.sampleSize), [count, ...this.sampleShape]) };
    for (const entry of this.graph.state) if (entry.kind !== 'slot') feeds[entry.name] = this.tensors.get(entry.name)!;
    return feeds;
  }

  async evaluate(data: Split, batchSize: number): Promise<EvalResult> {
    this.assertLive();
    if (data.count === 0) return { loss: 0, accuracy: 0, count: 0 };
    this.checkBatch(data.x, data.count, 'evaluation');
    const k = this.numClasses;
    let lossSum = 0;
    let correct = 0;
    const step = Math.max(1, Math.floor(batchSize));
    for (let start = 0; start < data.count; start += step) {
      const n = Math.min(step, data.count - start);
      const x = data.x.subarray(start * this.sampleSize, (start + n) * this.sampleSize);
      const out = await this.inferSession.run(this.inferenceFeeds(x, n));
      const z = out.logits!.data as Float32Array;
      for (let i = 0; i < n; i++) {
        const label = data.y[start + i]!;
        let best = 0;
        let max = -Infinity;
        for (let c = 0; c < k; c++) if (z[i * k + c]! > max) ((max = z[i * k + c]!), (best = c));
        if (best === label) correct++;
        if (this.loss === 'mse') {
          for (let c = 0; c < k; c++) lossSum += (z[i * k + c]! - (c === label ? 1 : 0)) ** 2 / k;
        } else {
          let sum = 0;
          for (let c = 0; c < k; c++) sum += Math.exp(z[i * k + c]! - max);
          lossSum += Math.log(sum) + max - z[i * k + label]!;
        }
      }
    }
    return { loss: lossSum / data.count, accuracy: correct / data.count, count: data.count };
  }

  async activations(x: Float32Array, count: number, requests: ActivationRequest[]): Promise<Float32Array[]> {
    this.assertLive();
    this.checkBatch(x, count, 'activations');
    const layers = requests.map((r) => r.layer);
    const key = layers.join('\u0000');
    let session = this.activationSessions.get(key);
    if (!session) {
      const graph = buildInferenceGraph(this.model, { activations: layers });
      session = await ort.InferenceSession.create(graph.bytes, sessionOptions(this.device));
      this.activationSessions.set(key, session);
    }
    const out = await session.run(this.inferenceFeeds(x, count));
    return layers.map((layer) => Float32Array.from(out[activationOutput(layer)]!.data as Float32Array));
  }

  async state(): Promise<NamedArrays> {
    this.assertLive();
    const result: NamedArrays = {};
    for (const entry of this.graph.state) {
      const tensor = this.tensors.get(entry.name)!;
      result[entry.name] = { shape: [...entry.shape], data: Float32Array.from(tensor.data as Float32Array) };
    }
    return result;
  }

  async load(state: NamedArrays): Promise<void> {
    this.assertLive();
    this.loadInto(state, false);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const anySize = typeof this.anySize === 'function' || this.anySize === this.trainSession ? [] : [this.anySize.release()];
    await Promise.all([this.trainSession.release(), ...anySize, this.inferSession.release(), ...[...this.activationSessions.values()].map((s) => s.release())]);
    this.activationSessions.clear();
  }

  private assertLive(): void {
    if (this.disposed) throw new BnxError('this ONNX trainer was disposed');
  }
}
