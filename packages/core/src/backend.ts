// The contract every execution backend meets, in the spirit of onnxruntime's js/common: a backend is a small
// object registered by name with a priority; it compiles one run's model and recipe into a Trainer.
import type { ModelIR, TrainIR } from '@bnx/ir';
import type { Split } from '@bnx/data';

/** Parameters, optimizer state and buffers by name: `dense_1.weight`, `bn_2.running_mean`, ... */
export type NamedArrays = Record<string, { shape: number[]; data: Float32Array }>;

export type DeviceKind = 'cpu' | 'cuda';

export interface DeviceInfo {
  device: DeviceKind;
  /** Engine within the backend, when it has several (tfjs: wasm, cpu, node). */
  engine?: string;
  available: boolean;
  /** Why it cannot run here, in a few words ("onnxruntime-node was installed without its CUDA provider"). */
  reason?: string;
  /** What would make it available (what to install, which flag to use instead): said when a user asks for this device by name. */
  hint?: string;
}

export interface CompileOptions {
  /** 'auto' means: the best available device; the backend says which it picked in Trainer.device. */
  device: DeviceKind | 'auto';
  engine?: string;
  /** Number of classes of the dataset (size of the logits / one-hot targets). */
  numClasses: number;
  /** Initial parameters and buffers from @bnx/core's initializers: every backend starts from these numbers. */
  initialState: NamedArrays;
  /** Compute per-parameter gradient L2 norms on every step (the grad_norm probe). */
  gradNorms: boolean;
  /** Largest batch the trainer will see; lets a backend preallocate. */
  maxBatch: number;
}

/**
 * One training step's inputs. Dropout masks come from @bnx/core, never from a backend's RNG.
 * The driver produces batches lazily and `x`/`y` are views of buffers that the NEXT batch overwrites: a backend
 * that pulls several batches before running them (to fuse steps) must copy `x` and `y` first.
 */
export interface TrainBatch {
  x: Float32Array;
  y: Int32Array;
  size: number;
  /** Global 0-based step number. */
  step: number;
  /** Learning rate for this step (the schedule is applied by the driver). */
  lr: number;
  /** Per dropout layer name: size * prod(layer input shape) values, each 0 or 1/(1-rate). */
  dropoutMasks: Record<string, Float32Array>;
}

export interface StepResult {
  step: number;
  /** Mean loss over the batch, in training mode. */
  loss: number;
  /** Correctly classified samples in the batch (argmax of logits). */
  correct: number;
  /** Per parameter name, the L2 norm of its gradient, when CompileOptions.gradNorms. */
  gradNorms?: Record<string, number>;
}

export interface StepHooks {
  /** Called after every step; return false to stop before the next one (divergence, interruption). */
  onStep(result: StepResult): boolean | void;
}

export interface EvalResult {
  loss: number;
  accuracy: number;
  count: number;
}

export interface ActivationRequest {
  /** Layer name in the model; the activation is that layer's output. */
  layer: string;
}

export interface Trainer {
  readonly backend: string;
  readonly device: DeviceKind;
  readonly engine?: string;
  /** Runs one step per batch, in order. A backend may fuse steps as long as onStep sees each one. */
  train(batches: Iterable<TrainBatch>, hooks: StepHooks): Promise<void>;
  /** Inference mode: batch normalization uses running statistics, dropout is off. */
  evaluate(data: Split, batchSize: number): Promise<EvalResult>;
  /** Outputs of the named layers on `x` (inference mode), each count * prod(shape) floats. */
  activations(x: Float32Array, count: number, requests: ActivationRequest[]): Promise<Float32Array[]>;
  /** Parameters, buffers (BN running stats) and optimizer state. */
  state(): Promise<NamedArrays>;
  load(state: NamedArrays): Promise<void>;
  dispose(): Promise<void>;
}

export interface Backend {
  readonly name: string;
  /** What can run here; an unavailable entry carries the reason. */
  devices(): Promise<DeviceInfo[]>;
  compile(model: ModelIR, recipe: TrainIR, options: CompileOptions): Promise<Trainer>;
}
