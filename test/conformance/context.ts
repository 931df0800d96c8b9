// What every case shares: the backend under test, how to compile a scenario with a state built here (never by
// the driver), how to run steps, and how to compare against the float64 reference.
import { expect, it } from 'vitest';
import type { Backend, CompileOptions, DeviceKind, NamedArrays, StepResult, TrainBatch, Trainer } from '@bnx/core';
import { lossAndGradients, planNetwork, stateSpecs, type Float64Params, type LossAndGradients, type NetworkPlan } from '@bnx/core/reference';
import type { ModelIR, TrainIR } from '@bnx/ir';
import { labels, uniform, type Random } from './random.js';
import { relativeError } from './relative-error.js';

export interface ConformanceOptions {
  /** Passed to CompileOptions.engine (tfjs: 'wasm' | 'cpu'). */
  engine?: string;
  /** Passed to CompileOptions.device; default 'auto'. */
  device?: DeviceKind | 'auto';
  /** Largest accepted relativeError (see relative-error.ts); default 1e-4. */
  tolerance?: number;
  /** Case ids to skip (as printed, e.g. 'forward/conv2d same stride 2'), or prefixes ending in '/' ('optimizer/'). */
  skip?: string[];
}

/** A model, its recipe and the state every backend starts from. */
export interface Scenario {
  model: ModelIR;
  recipe: TrainIR;
  numClasses: number;
  initial: NamedArrays;
}

export interface StepInput {
  x: Float32Array;
  y: Int32Array;
  size: number;
  dropoutMasks?: Record<string, Float32Array>;
}

export class ConformanceContext {
  private current: Backend | null = null;
  /** Worst relative error seen per case, for the optional summary (BNX_CONFORMANCE_REPORT=1). */
  readonly worst = new Map<string, { error: number; what: string }>();

  constructor(readonly options: ConformanceOptions) {}

  get tolerance(): number {
    return this.options.tolerance ?? 1e-4;
  }

  set backend(backend: Backend) {
    this.current = backend;
  }

  get backend(): Backend {
    if (this.current === null) throw new Error('the backend under test has not been created (beforeAll failed?)');
    return this.current;
  }

  /** Registers one vitest case, unless opts.skip names it or a prefix of it. */
  case(id: string, body: () => Promise<void>): void {
    const skip = (this.options.skip ?? []).some((s) => s === id || (s.endsWith('/') && id.startsWith(s)));
    (skip ? it.skip : it)(id, body);
  }

  compileOptions(scenario: Scenario, gradNorms: boolean, maxBatch = 16): CompileOptions {
    const options: CompileOptions = {
      device: this.options.device ?? 'auto',
      numClasses: scenario.numClasses,
      initialState: scenario.initial,
      gradNorms,
      maxBatch,
    };
    if (this.options.engine !== undefined) options.engine = this.options.engine;
    return options;
  }

  /** Compiles, runs `body`, and always disposes the trainer. */
  async withTrainer<T>(scenario: Scenario, body: (trainer: Trainer) => Promise<T>, gradNorms = false, maxBatch = 16): Promise<T> {
    const trainer = await this.backend.compile(scenario.model, scenario.recipe, this.compileOptions(scenario, gradNorms, maxBatch));
    try {
      return await body(trainer);
    } finally {
      await trainer.dispose();
    }
  }

  expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, tolerance = this.tolerance): void {
    expect(actual.length, `${what}: length`).toBe(expected.length);
    const error = relativeError(actual, expected);
    const id = expect.getState().currentTestName ?? '?';
    if (!((this.worst.get(id)?.error ?? -1) >= error)) this.worst.set(id, { error, what });
    expect(error, `${what}: relative error ${error.toExponential(2)} (tolerance ${tolerance})`).toBeLessThan(tolerance);
  }
}

/**
 * The initial state of a model: every parameter and BN buffer named as the reference names them, with values
 * of order 1 (weights scaled by 1/sqrt(fan-in) so activations neither vanish nor explode in small nets).
 */
export function makeInitialState(model: ModelIR, recipe: TrainIR, random: Random): NamedArrays {
  const out: NamedArrays = {};
  for (const spec of stateSpecs(planNetwork(model), recipe.optimizer)) {
    if (spec.kind === 'slot') continue;
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const role = spec.name.slice(spec.name.lastIndexOf('.') + 1);
    let data: Float32Array;
    if (role === 'weight') {
      // dense [in, out]: fan-in is `in`; conv [out, in, kh, kw]: in*kh*kw.
      const fanIn = spec.shape.length === 2 ? spec.shape[0]! : n / spec.shape[0]!;
      const limit = Math.sqrt(3 / fanIn);
      data = uniform(random, n, -limit, limit);
    } else if (role === 'gamma') data = uniform(random, n, 0.5, 1.5);
    else if (role === 'running_var') data = uniform(random, n, 0.5, 2);
    else data = uniform(random, n, -0.5, 0.5);
    out[spec.name] = { shape: [...spec.shape], data };
  }
  return out;
}

export function scenario(model: ModelIR, recipe: TrainIR, random: Random, numClasses?: number): Scenario {
  const plan = planNetwork(model);
  return { model, recipe, numClasses: numClasses ?? plan.outputSize, initial: makeInitialState(model, recipe, random) };
}

export function randomBatch(plan: NetworkPlan, numClasses: number, random: Random, size: number): StepInput {
  return { x: uniform(random, size * plan.inputSize, -1.5, 1.5), y: labels(random, size, numClasses), size };
}

export const toFloat64 = (state: NamedArrays): Float64Params =>
  Object.fromEntries(Object.entries(state).map(([name, entry]) => [name, Float64Array.from(entry.data)]));

/** Runs the batches as steps 0, 1, ... with the given learning rates and collects every StepResult. */
export async function trainSteps(trainer: Trainer, batches: StepInput[], lrs: number[]): Promise<StepResult[]> {
  const results: StepResult[] = [];
  const steps: TrainBatch[] = batches.map((b, step) => ({
    x: b.x,
    y: b.y,
    size: b.size,
    step,
    lr: lrs[step]!,
    dropoutMasks: b.dropoutMasks ?? {},
  }));
  await trainer.train(steps, { onStep: (r) => void results.push(r) });
  expect(results.map((r) => r.step)).toEqual(steps.map((s) => s.step));
  return results;
}

/**
 * One SGD step with lr 1 and no momentum makes new = old - grad, so the backend's gradients are old - new.
 * Compares them, the loss, the correct count and the gradient norms with the reference; returns the state after
 * the step and the reference's result for further checks.
 */
export async function checkOneStepGradients(
  ctx: ConformanceContext,
  s: Scenario,
  batch: StepInput,
): Promise<{ after: NamedArrays; expected: LossAndGradients }> {
  expect(s.recipe.optimizer).toMatchObject({ kind: 'sgd', momentum: 0, weightDecay: 0 });
  const plan = planNetwork(s.model);
  const expected = lossAndGradients(plan, s.recipe.loss, toFloat64(s.initial), batch, s.numClasses);
  return ctx.withTrainer(
    s,
    async (trainer) => {
      const [result] = await trainSteps(trainer, [batch], [1]);
      const after = await trainer.state();
      ctx.expectClose([result!.loss], [expected.loss], 'loss');
      expect(result!.correct, 'correct count').toBe(expected.correct);
      for (const [name, grad] of Object.entries(expected.gradients)) {
        const before = s.initial[name]!.data;
        const now = after[name]?.data;
        expect(now, `state() has no '${name}'`).toBeDefined();
        ctx.expectClose(
          Array.from(before, (b, i) => b - now![i]!),
          grad,
          `gradient of ${name}`,
        );
      }
      const norms = result!.gradNorms;
      expect(norms, 'gradNorms requested but not reported').toBeDefined();
      for (const [name, grad] of Object.entries(expected.gradients)) {
        const norm = Math.sqrt(grad.reduce((a, g) => a + g * g, 0));
        ctx.expectClose([norms![name] ?? NaN], [norm], `gradNorms['${name}']`);
      }
      return { after, expected };
    },
    true,
  );
}
