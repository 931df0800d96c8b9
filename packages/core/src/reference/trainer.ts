// The reference Trainer: the full Trainer contract on top of the float64 ops. Slow and plain on purpose; it is
// the oracle that the tfjs and onnx backends are checked against, not something to train real models with.
import type { ModelIR, TrainIR } from '@bnx/ir';
import { BnxError } from '@bnx/ir';
import type { Split } from '@bnx/data';
import type { ActivationRequest, CompileOptions, DeviceKind, EvalResult, NamedArrays, StepHooks, StepResult, TrainBatch, Trainer } from '../backend.js';
import { computeLoss, countCorrect } from './losses.js';
import { forward, logitsOf, type Float64Params } from './network.js';
import { planNetwork, sizeOf, stateSpecs, type NetworkPlan, type StateEntrySpec } from './plan.js';
import { l2Norm, trainStep } from './step.js';

export class ReferenceTrainer implements Trainer {
  readonly backend = 'reference';
  readonly device: DeviceKind = 'cpu';
  private readonly net: NetworkPlan;
  private readonly specs: StateEntrySpec[];
  private values: Float64Params | null = {};

  constructor(
    model: ModelIR,
    private readonly recipe: TrainIR,
    private readonly options: CompileOptions,
  ) {
    this.net = planNetwork(model);
    this.specs = stateSpecs(this.net, recipe.optimizer);
    if (this.net.outputSize !== options.numClasses) {
      throw new BnxError(`model '${model.name}' ends with ${this.net.outputSize} outputs but the data has ${options.numClasses} classes`);
    }
    this.values = this.convert(options.initialState, 'initial state');
  }

  /** Float64 copies of every entry; optimizer slots absent from `arrays` start at zero. */
  private convert(arrays: NamedArrays, what: string): Float64Params {
    const known = new Set(this.specs.map((s) => s.name));
    for (const name of Object.keys(arrays)) {
      if (!known.has(name)) {
        throw new BnxError(`${what}: unknown entry '${name}' for model '${this.net.model.name}'`);
      }
    }
    const out: Float64Params = {};
    for (const spec of this.specs) {
      const entry = arrays[spec.name];
      if (entry === undefined) {
        if (spec.kind !== 'slot') throw new BnxError(`${what}: missing entry '${spec.name}' (shape ${spec.shape.join('x')})`);
        out[spec.name] = new Float64Array(sizeOf(spec.shape));
        continue;
      }
      if (entry.shape.join('x') !== spec.shape.join('x') || entry.data.length !== sizeOf(spec.shape)) {
        throw new BnxError(`${what}: entry '${spec.name}' has shape ${entry.shape.join('x')} (${entry.data.length} values), expected ${spec.shape.join('x')}`);
      }
      out[spec.name] = Float64Array.from(entry.data);
    }
    return out;
  }

  private live(): Float64Params {
    if (this.values === null) throw new Error('this reference trainer has been disposed');
    return this.values;
  }

  async train(batches: Iterable<TrainBatch>, hooks: StepHooks): Promise<void> {
    const state = this.live();
    for (const batch of batches) {
      const result = trainStep(
        this.net,
        this.recipe,
        state,
        { x: batch.x, y: batch.y, size: batch.size, dropoutMasks: batch.dropoutMasks },
        this.options.numClasses,
        batch.lr,
        batch.step + 1,
      );
      const record: StepResult = { step: batch.step, loss: result.loss, correct: result.correct };
      if (this.options.gradNorms) {
        record.gradNorms = {};
        for (const [name, grad] of Object.entries(result.gradients)) record.gradNorms[name] = l2Norm(grad);
      }
      if (hooks.onStep(record) === false) return;
    }
  }

  async evaluate(data: Split, batchSize: number): Promise<EvalResult> {
    const state = this.live();
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new BnxError(`evaluation batch size must be a positive integer, got ${batchSize}`);
    const per = this.net.inputSize;
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < data.count; start += batchSize) {
      const size = Math.min(batchSize, data.count - start);
      const x = Float64Array.from(data.x.subarray(start * per, (start + size) * per));
      const y = data.y.subarray(start, start + size);
      const logits = logitsOf(forward(this.net, state, x, size, 'eval'));
      const dims = { batch: size, classes: this.options.numClasses };
      lossSum += computeLoss(this.recipe.loss, logits, y, dims).loss * size;
      correct += countCorrect(logits, y, dims);
    }
    return { loss: data.count === 0 ? NaN : lossSum / data.count, accuracy: data.count === 0 ? NaN : correct / data.count, count: data.count };
  }

  async activations(x: Float32Array, count: number, requests: ActivationRequest[]): Promise<Float32Array[]> {
    const pass = forward(this.net, this.live(), Float64Array.from(x), count, 'eval');
    return requests.map(({ layer }) => {
      const index = this.net.layers.findIndex((p) => p.layer.name === layer);
      if (index < 0) {
        const names = this.net.layers.map((p) => p.layer.name).join(', ');
        throw new BnxError(`model '${this.net.model.name}' has no layer '${layer}' (layers: ${names})`);
      }
      return Float32Array.from(pass.inputs[index + 1]!);
    });
  }

  async state(): Promise<NamedArrays> {
    const state = this.live();
    const out: NamedArrays = {};
    for (const spec of this.specs) out[spec.name] = { shape: [...spec.shape], data: Float32Array.from(state[spec.name]!) };
    return out;
  }

  async load(arrays: NamedArrays): Promise<void> {
    this.live();
    this.values = this.convert(arrays, 'loaded state');
  }

  async dispose(): Promise<void> {
    this.values = null;
  }
}
