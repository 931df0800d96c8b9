// TEST DOUBLE. A tiny pure-JS backend for testing the training driver, not an execution backend: it runs
// vector models only (flatten, dense, relu, sigmoid, tanh, dropout, per-feature batchnorm), cross-entropy or
// MSE loss, and plain SGD at the learning rate the driver hands each step (momentum, Adam and RMSprop are
// refused). It computes in float64 and keeps its numbers honest (real forward, backward and running
// statistics) so that driver tests can watch a loss fall, but it is never registered and never used to check
// another backend: that is the float64 reference in ../reference/. Faults can be injected to test how the
// driver records divergence and backend failures.
import { BnxError } from '@bnx/ir';
import type { Layer, ModelIR, TrainIR } from '@bnx/ir';
import type { Split } from '@bnx/data';
import type {
  ActivationRequest,
  Backend,
  CompileOptions,
  DeviceInfo,
  EvalResult,
  NamedArrays,
  StepHooks,
  Trainer,
  TrainBatch,
} from '../backend.js';

export interface FakeFaults {
  /** This step reports a NaN loss (and leaves the weights alone). */
  nanLossAtStep?: number;
  /** This step throws a plain Error, as a crashing backend would. */
  throwAtStep?: number;
  /** Delay (ms) awaited before each step, to let tests abort mid-run. */
  stepDelayMs?: number;
}

export interface FakeBackendOptions {
  name?: string;
  devices?: DeviceInfo[];
  faults?: FakeFaults;
}

/** Every step the fake saw, for assertions on what the driver fed it. */
export interface FakeStepLog {
  step: number;
  size: number;
  lr: number;
  maskLayers: string[];
  /** Sum of x over the batch: a cheap fingerprint of which samples were fed. */
  xSum: number;
}

export interface FakeBackend extends Backend {
  /** Steps of every trainer this backend compiled, in order. */
  readonly log: FakeStepLog[];
}

const SUPPORTED = new Set<Layer['op']>(['flatten', 'dense', 'relu', 'sigmoid', 'tanh', 'dropout', 'batchnorm']);

type Tensor = Float64Array;


class FakeTrainer implements Trainer {
  readonly backend: string;
  readonly device = 'cpu' as const;
  readonly engine = 'js';
  private params = new Map<string, Tensor>();
  private shapes = new Map<string, number[]>();
  private widths: number[] = [];

  constructor(
    name: string,
    private readonly model: ModelIR,
    private readonly recipe: TrainIR,
    private readonly options: CompileOptions,
    private readonly faults: FakeFaults,
    private readonly log: FakeStepLog[],
  ) {
    this.backend = name;
    for (const [key, value] of Object.entries(options.initialState)) {
      this.params.set(key, Float64Array.from(value.data));
      this.shapes.set(key, [...value.shape]);
    }
    let width = model.input.reduce((a, b) => a * b, 1);
    this.widths.push(width);
    for (const layer of model.layers) {
      if (layer.op === 'dense') width = layer.units;
      this.widths.push(width);
    }
  }

  private p(name: string): Tensor {
    const t = this.params.get(name);
    if (!t) throw new Error(`fake backend: no parameter '${name}'`);
    return t;
  }

  /** Forward pass; returns every layer's output (index i+1 is layer i's output) and BN caches. */
  private forward(x: Float32Array, n: number, training: boolean, masks: Record<string, Float32Array> = {}) {
    const outs: Tensor[] = [Float64Array.from(x)];
    const bnCache = new Map<string, { xhat: Tensor; invStd: Tensor }>();
    this.model.layers.forEach((layer, li) => {
      const input = outs[li]!;
      const inW = this.widths[li]!;
      const outW = this.widths[li + 1]!;
      const out = new Float64Array(n * outW);
      switch (layer.op) {
        case 'flatten':
          out.set(input);
          break;
        case 'dense': {
          const w = this.p(`${layer.name}.weight`);
          const b = layer.bias ? this.p(`${layer.name}.bias`) : undefined;
          for (let s = 0; s < n; s++)
            for (let o = 0; o < outW; o++) {
              let acc = b ? b[o]! : 0;
              for (let i = 0; i < inW; i++) acc += input[s * inW + i]! * w[i * outW + o]!;
              out[s * outW + o] = acc;
            }
          break;
        }
        case 'relu':
          for (let k = 0; k < out.length; k++) out[k] = Math.max(0, input[k]!);
          break;
        case 'sigmoid':
          for (let k = 0; k < out.length; k++) out[k] = 1 / (1 + Math.exp(-input[k]!));
          break;
        case 'tanh':
          for (let k = 0; k < out.length; k++) out[k] = Math.tanh(input[k]!);
          break;
        case 'dropout': {
          const mask = training ? masks[layer.name] : undefined;
          if (training && !mask) throw new Error(`fake backend: no dropout mask for '${layer.name}'`);
          for (let k = 0; k < out.length; k++) out[k] = input[k]! * (mask ? mask[k]! : 1);
          break;
        }
        case 'batchnorm': {
          const c = outW;
          const rm = this.p(`${layer.name}.running_mean`);
          const rv = this.p(`${layer.name}.running_var`);
          const gamma = layer.affine ? this.p(`${layer.name}.gamma`) : undefined;
          const beta = layer.affine ? this.p(`${layer.name}.beta`) : undefined;
          const xhat = new Float64Array(n * c);
          const invStd = new Float64Array(c);
          for (let f = 0; f < c; f++) {
            let mean = rm[f]!;
            let v = rv[f]!;
            if (training) {
              mean = 0;
              for (let s = 0; s < n; s++) mean += input[s * c + f]!;
              mean /= n;
              v = 0;
              for (let s = 0; s < n; s++) v += (input[s * c + f]! - mean) ** 2;
              v /= n;
              const kept = layer.runningVar === 'unbiased' ? (v * n) / (n - 1) : v;
              rm[f] = (1 - layer.momentum) * rm[f]! + layer.momentum * mean;
              rv[f] = (1 - layer.momentum) * rv[f]! + layer.momentum * kept;
            }
            invStd[f] = 1 / Math.sqrt(v + layer.epsilon);
            for (let s = 0; s < n; s++) {
              const k = s * c + f;
              xhat[k] = (input[k]! - mean) * invStd[f]!;
              out[k] = (gamma ? gamma[f]! : 1) * xhat[k]! + (beta ? beta[f]! : 0);
            }
          }
          bnCache.set(layer.name, { xhat, invStd });
          break;
        }
        default:
          throw new Error(`fake backend: op '${layer.op}' is not supported`);
      }
      outs.push(out);
    });
    return { outs, bnCache };
  }

  /** Mean loss and correct count of logits against labels, and d(loss)/d(logits). */
  private loss(logits: Tensor, y: Int32Array, n: number) {
    const k = this.options.numClasses;
    const grad = new Float64Array(n * k);
    let total = 0;
    let correct = 0;
    for (let s = 0; s < n; s++) {
      let max = -Infinity;
      let arg = 0;
      for (let j = 0; j < k; j++) {
        const v = logits[s * k + j]!;
        if (v > max) [max, arg] = [v, j];
      }
      if (arg === y[s]) correct++;
      if (this.recipe.loss === 'mse') {
        for (let j = 0; j < k; j++) {
          const d = logits[s * k + j]! - (j === y[s] ? 1 : 0);
          total += (d * d) / k;
          grad[s * k + j] = (2 * d) / k / n;
        }
      } else {
        let sum = 0;
        for (let j = 0; j < k; j++) sum += Math.exp(logits[s * k + j]! - max);
        const logSum = max + Math.log(sum);
        total += logSum - logits[s * k + y[s]!]!;
        for (let j = 0; j < k; j++) {
          grad[s * k + j] = (Math.exp(logits[s * k + j]! - logSum) - (j === y[s] ? 1 : 0)) / n;
        }
      }
    }
    return { loss: total / n, correct, grad };
  }

  async train(batches: Iterable<TrainBatch>, hooks: StepHooks): Promise<void> {
    for (const batch of batches) {
      if (this.faults.stepDelayMs) await new Promise((r) => setTimeout(r, this.faults.stepDelayMs));
      this.log.push({
        step: batch.step,
        size: batch.size,
        lr: batch.lr,
        maskLayers: Object.keys(batch.dropoutMasks).sort(),
        xSum: batch.x.reduce((a, b) => a + b, 0),
      });
      if (batch.step === this.faults.throwAtStep) throw new Error(`fake backend crashed at step ${batch.step}`);
      const result = this.step(batch);
      if (batch.step === this.faults.nanLossAtStep) result.loss = Number.NaN;
      if (hooks.onStep(result) === false) return;
    }
  }

  private step(batch: TrainBatch) {
    const n = batch.size;
    const { outs, bnCache } = this.forward(batch.x, n, true, batch.dropoutMasks);
    const { loss, correct, grad } = this.loss(outs[outs.length - 1]!, batch.y, n);
    const grads = new Map<string, Tensor>();
    let g = grad;
    for (let li = this.model.layers.length - 1; li >= 0; li--) {
      const layer = this.model.layers[li]!;
      const input = outs[li]!;
      const output = outs[li + 1]!;
      const inW = this.widths[li]!;
      const outW = this.widths[li + 1]!;
      const gin = new Float64Array(n * inW);
      switch (layer.op) {
        case 'flatten':
          gin.set(g);
          break;
        case 'dense': {
          const w = this.p(`${layer.name}.weight`);
          const gw = new Float64Array(inW * outW);
          const gb = new Float64Array(outW);
          for (let s = 0; s < n; s++)
            for (let o = 0; o < outW; o++) {
              const go = g[s * outW + o]!;
              gb[o] = gb[o]! + go;
              for (let i = 0; i < inW; i++) {
                gw[i * outW + o] = gw[i * outW + o]! + input[s * inW + i]! * go;
                gin[s * inW + i] = gin[s * inW + i]! + w[i * outW + o]! * go;
              }
            }
          grads.set(`${layer.name}.weight`, gw);
          if (layer.bias) grads.set(`${layer.name}.bias`, gb);
          break;
        }
        case 'relu':
          for (let k = 0; k < gin.length; k++) gin[k] = input[k]! > 0 ? g[k]! : 0;
          break;
        case 'sigmoid':
          for (let k = 0; k < gin.length; k++) gin[k] = g[k]! * output[k]! * (1 - output[k]!);
          break;
        case 'tanh':
          for (let k = 0; k < gin.length; k++) gin[k] = g[k]! * (1 - output[k]! ** 2);
          break;
        case 'dropout': {
          const mask = batch.dropoutMasks[layer.name]!;
          for (let k = 0; k < gin.length; k++) gin[k] = g[k]! * mask[k]!;
          break;
        }
        case 'batchnorm': {
          const { xhat, invStd } = bnCache.get(layer.name)!;
          const c = outW;
          const gamma = layer.affine ? this.p(`${layer.name}.gamma`) : undefined;
          const gGamma = new Float64Array(c);
          const gBeta = new Float64Array(c);
          for (let f = 0; f < c; f++) {
            let sumG = 0;
            let sumGX = 0;
            for (let s = 0; s < n; s++) {
              sumG += g[s * c + f]!;
              sumGX += g[s * c + f]! * xhat[s * c + f]!;
            }
            gBeta[f] = sumG;
            gGamma[f] = sumGX;
            const scale = (gamma ? gamma[f]! : 1) * invStd[f]!;
            for (let s = 0; s < n; s++) {
              const k = s * c + f;
              gin[k] = (scale / n) * (n * g[k]! - sumG - xhat[k]! * sumGX);
            }
          }
          if (layer.affine) {
            grads.set(`${layer.name}.gamma`, gGamma);
            grads.set(`${layer.name}.beta`, gBeta);
          }
          break;
        }
        default:
          throw new Error(`fake backend: op '${layer.op}' is not supported`);
      }
      g = gin;
    }
    const gradNorms: Record<string, number> = {};
    for (const [name, gt] of grads) {
      const t = this.p(name);
      let sq = 0;
      for (let k = 0; k < t.length; k++) {
        sq += gt[k]! ** 2;
        t[k] = t[k]! - batch.lr * gt[k]!;
      }
      gradNorms[name] = Math.sqrt(sq);
    }
    return { step: batch.step, loss, correct, ...(this.options.gradNorms ? { gradNorms } : {}) };
  }

  async evaluate(data: Split, batchSize: number): Promise<EvalResult> {
    const width = this.widths[0]!;
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < data.count; start += batchSize) {
      const n = Math.min(batchSize, data.count - start);
      const x = data.x.subarray(start * width, (start + n) * width);
      const { outs } = this.forward(x, n, false);
      const r = this.loss(outs[outs.length - 1]!, data.y.subarray(start, start + n), n);
      lossSum += r.loss * n;
      correct += r.correct;
    }
    return { loss: lossSum / data.count, accuracy: correct / data.count, count: data.count };
  }

  async activations(x: Float32Array, count: number, requests: ActivationRequest[]): Promise<Float32Array[]> {
    const { outs } = this.forward(x, count, false);
    return requests.map(({ layer }) => {
      const index = this.model.layers.findIndex((l) => l.name === layer);
      if (index < 0) throw new Error(`fake backend: no layer '${layer}'`);
      return Float32Array.from(outs[index + 1]!);
    });
  }

  async state(): Promise<NamedArrays> {
    const out: NamedArrays = {};
    for (const [name, t] of this.params) out[name] = { shape: [...this.shapes.get(name)!], data: Float32Array.from(t) };
    return out;
  }

  async load(state: NamedArrays): Promise<void> {
    for (const [name, value] of Object.entries(state)) this.params.set(name, Float64Array.from(value.data));
  }

  async dispose(): Promise<void> {
    this.params.clear();
  }
}

/** A fresh fake backend (not registered anywhere). */
export function createFakeBackend(options: FakeBackendOptions = {}): FakeBackend {
  const name = options.name ?? 'fake';
  const log: FakeStepLog[] = [];
  return {
    name,
    log,
    devices: async () => options.devices ?? [{ device: 'cpu', engine: 'js', available: true }],
    compile: async (model, recipe, compileOptions) => {
      for (const layer of model.layers) {
        if (!SUPPORTED.has(layer.op)) {
          throw new BnxError(`the fake test backend cannot run layer '${layer.name}' (${layer.op})`);
        }
      }
      const opt = recipe.optimizer;
      if (opt.kind !== 'sgd' || opt.momentum !== 0 || opt.weightDecay !== 0) {
        throw new BnxError('the fake test backend runs plain SGD only (no momentum, no weight decay)');
      }
      return new FakeTrainer(name, model, recipe, compileOptions, options.faults ?? {}, log);
    },
  };
}
