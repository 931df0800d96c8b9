// What the probes of one run record, and when: activation percentiles on a fixed batch of the evaluation
// split (batch normalization using that batch's own statistics, as in training), gradient norms averaged over the steps since the last evaluation, weight norms and batch-norm
// running statistics at each evaluation. The training loop tells it about steps and pauses.
import { inferShapes, resolveProbeLayer } from '@bnx/ir';
import type { ModelIR, Probe } from '@bnx/ir';
import type { Split } from '@bnx/data';
import type { NamedArrays, StepResult, Trainer } from './backend.js';
import { percentiles } from './percentiles.js';
import { meanAndStd, tensorNorms } from './probe-stats.js';
import type { RunRecord } from './run-record.js';

/** Samples in the fixed batch the activations probe runs on: the first ones of the evaluation split. */
export const PROBE_BATCH = 256;

export type ActivationsProbe = Extract<Probe, { kind: 'activations' }>;

export class ProbeRecorder {
  /** What goes into the run record's `probes`. */
  readonly records: RunRecord['probes'] = {};
  readonly activationProbes: ActivationsProbe[];
  /** Whether the trainer must report per-parameter gradient norms each step. */
  readonly wantsGradNorms: boolean;
  private readonly activationRecords: NonNullable<RunRecord['probes']['activations']>;
  private readonly probeLayers: string[];
  /** Per-sample output shape of each probe's layer, e.g. (100) or (32, 14, 14): channels first. */
  private readonly probeShapes: number[][];
  /** Each batchnorm layer with the layer whose output it normalizes (undefined: the model's input). */
  private readonly batchNorms: { name: string; input: string | undefined; shape: number[] }[];
  private readonly probeX: Float32Array;
  private readonly probeCount: number;
  private gradSteps = 0;
  private readonly gradSums = new Map<string, number>();

  constructor(
    model: ModelIR,
    probes: readonly Probe[],
    evalSplit: Split,
    /** Names of the trainable parameters. */
    private readonly trainable: readonly string[],
    /** The activation points: step 0 and the schedule's pauses. */
    private readonly isActivationPoint: (probe: ActivationsProbe, step: number) => boolean,
  ) {
    this.activationProbes = probes.filter((p): p is ActivationsProbe => p.kind === 'activations');
    this.wantsGradNorms = probes.some((p) => p.kind === 'grad_norm');
    const bnLayers = model.layers.filter((l) => l.op === 'batchnorm').map((l) => l.name);
    this.probeLayers = this.activationProbes.map((p) => resolveProbeLayer(model, p));
    const shapes = inferShapes(model);
    const shapeOf = (layer: string) => shapes.outputs[model.layers.findIndex((l) => l.name === layer)] ?? [];
    this.probeShapes = this.probeLayers.map(shapeOf);
    this.batchNorms = model.layers.flatMap((l, i) =>
      l.op === 'batchnorm' ? [{ name: l.name, input: i === 0 ? undefined : model.layers[i - 1]!.name, shape: shapes.outputs[i] ?? [] }] : [],
    );
    this.probeCount = Math.min(PROBE_BATCH, evalSplit.count);
    const sampleSize = evalSplit.count === 0 ? 0 : evalSplit.x.length / evalSplit.count;
    this.probeX = evalSplit.x.subarray(0, this.probeCount * sampleSize);
    this.activationRecords = this.activationProbes.map((p, i) => ({
      layer: p.layer,
      resolved_layer: this.probeLayers[i]!,
      point: p.point,
      percentiles: [...p.percentiles],
      ...(p.unit === undefined ? {} : { unit: p.unit }),
      samples: this.probeCount,
      steps: [],
      values: [],
    }));
    if (this.activationProbes.length > 0) this.records.activations = this.activationRecords;
    if (this.wantsGradNorms) this.records.grad_norm = { steps: [], norms: Object.fromEntries(trainable.map((n) => [n, []])) };
    if (probes.some((p) => p.kind === 'weight_norm')) this.records.weight_norm = { steps: [], norms: Object.fromEntries(trainable.map((n) => [n, []])) };
    if (probes.some((p) => p.kind === 'bn_stats') && bnLayers.length > 0) {
      this.records.bn_stats = {
        steps: [],
        layers: Object.fromEntries(bnLayers.map((n) => [n, { running_mean_mean: [], running_mean_std: [], running_var_mean: [], running_var_std: [] }])),
      };
    }
  }

  /** One training step's gradient norms, averaged at the next evaluation. */
  recordStep(result: StepResult): void {
    if (!result.gradNorms) return;
    this.gradSteps++;
    for (const [name, norm] of Object.entries(result.gradNorms)) this.gradSums.set(name, (this.gradSums.get(name) ?? 0) + norm);
  }

  /**
   * The activation percentiles of the probes due at `step`. Batch normalization runs with the probe batch's
   * own mean and variance, as it does in training: the running statistics are an estimate that starts at
   * 0 and 1, so in inference mode the step-0 sample of a batch-normalized network would not be normalized at
   * all, and the drift measured from it would be the running statistics catching up, not the network's.
   */
  async sampleActivations(trainer: Trainer, step: number): Promise<void> {
    const due = this.activationProbes.flatMap((p, i) => (this.isActivationPoint(p, step) ? [i] : []));
    if (due.length === 0) return;
    const saved = this.batchNorms.length > 0 ? await this.useProbeBatchStatistics(trainer) : undefined;
    try {
      const outputs = await trainer.activations(
        this.probeX,
        this.probeCount,
        due.map((i) => ({ layer: this.probeLayers[i]! })),
      );
      due.forEach((i, k) => {
        const rec = this.activationRecords[i]!;
        const unit = this.activationProbes[i]!.unit;
        const values = unit === undefined ? outputs[k]! : unitValues(outputs[k]!, this.probeCount, this.probeShapes[i]!, unit);
        rec.steps.push(step);
        rec.values.push(percentiles(values, rec.percentiles));
      });
    } finally {
      if (saved) await trainer.load(saved);
    }
  }

  /**
   * Sets every batchnorm layer's running statistics to the probe batch's (biased variance, as training
   * normalizes with), layer by layer since each one's input depends on the ones before; returns the state
   * to restore afterwards, so that training never sees the change.
   */
  private async useProbeBatchStatistics(trainer: Trainer): Promise<NamedArrays> {
    const saved = await trainer.state();
    const probing: NamedArrays = { ...saved };
    for (const bn of this.batchNorms) {
      const input = bn.input === undefined ? this.probeX : (await trainer.activations(this.probeX, this.probeCount, [{ layer: bn.input }]))[0]!;
      const { mean, variance } = channelMoments(input, this.probeCount, bn.shape);
      const meanKey = `${bn.name}.running_mean`;
      const varKey = `${bn.name}.running_var`;
      if (!saved[meanKey] || !saved[varKey]) throw new Error(`the backend's state has no running statistics for '${bn.name}'`);
      probing[meanKey] = { shape: [...saved[meanKey].shape], data: mean };
      probing[varKey] = { shape: [...saved[varKey].shape], data: variance };
      await trainer.load(probing);
    }
    return saved;
  }

  /** The probes read at an evaluation point: gradient norms since the last one, weight norms, running statistics. */
  async recordEvaluation(trainer: Trainer, step: number): Promise<void> {
    const { grad_norm: gradNorm, weight_norm: weightNorm, bn_stats: bnStats } = this.records;
    if (gradNorm) {
      gradNorm.steps.push(step);
      for (const name of this.trainable) {
        gradNorm.norms[name]!.push(this.gradSteps > 0 ? (this.gradSums.get(name) ?? 0) / this.gradSteps : Number.NaN);
      }
    }
    this.gradSteps = 0;
    this.gradSums.clear();
    if (!weightNorm && !bnStats) return;
    const state = await trainer.state();
    if (weightNorm) {
      weightNorm.steps.push(step);
      const norms = tensorNorms(state, this.trainable);
      for (const name of this.trainable) weightNorm.norms[name]!.push(norms[name]!);
    }
    if (bnStats) {
      bnStats.steps.push(step);
      for (const [layer, series] of Object.entries(bnStats.layers)) {
        const mean = state[`${layer}.running_mean`];
        const variance = state[`${layer}.running_var`];
        if (!mean || !variance) throw new Error(`the backend's state has no running statistics for '${layer}'`);
        const m = meanAndStd(mean.data);
        const v = meanAndStd(variance.data);
        series.running_mean_mean.push(m.mean);
        series.running_mean_std.push(m.std);
        series.running_var_mean.push(v.mean);
        series.running_var_std.push(v.std);
      }
    }
  }
}

/** The values of one unit (a dense feature, or a channel over all its positions) across a batch laid out (count, ...shape). */
export function unitValues(values: Float32Array, count: number, shape: readonly number[], unit: number): Float32Array {
  const channels = shape[0] ?? 1;
  const positions = shape.slice(1).reduce((a, b) => a * b, 1);
  if (!(unit >= 0 && unit < channels)) throw new Error(`unit ${unit} is outside the layer's ${channels} units`);
  const out = new Float32Array(count * positions);
  for (let n = 0; n < count; n++) out.set(values.subarray((n * channels + unit) * positions, (n * channels + unit + 1) * positions), n * positions);
  return out;
}

/** Per-channel mean and biased variance of a batch laid out (count, channels, ...positions), in float64. */
export function channelMoments(values: Float32Array, count: number, shape: readonly number[]): { mean: Float32Array; variance: Float32Array } {
  const channels = shape[0] ?? 1;
  const positions = shape.slice(1).reduce((a, b) => a * b, 1);
  const mean = new Float32Array(channels);
  const variance = new Float32Array(channels);
  const n = count * positions;
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let s = 0; s < count; s++) for (let p = 0; p < positions; p++) sum += values[(s * channels + c) * positions + p]!;
    const m = sum / n;
    let squares = 0;
    for (let s = 0; s < count; s++) for (let p = 0; p < positions; p++) squares += (values[(s * channels + c) * positions + p]! - m) ** 2;
    mean[c] = m;
    variance[c] = squares / n;
  }
  return { mean, variance };
}
