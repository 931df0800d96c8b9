// What the probes of one run record, and when: activation percentiles on a fixed batch of the evaluation
// split, gradient norms averaged over the steps since the last evaluation, weight norms and batch-norm
// running statistics at each evaluation. The training loop tells it about steps and pauses.
import { resolveProbeLayer } from '@bnx/ir';
import type { ModelIR, Probe } from '@bnx/ir';
import type { Split } from '@bnx/data';
import type { StepResult, Trainer } from './backend.js';
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
    this.probeCount = Math.min(PROBE_BATCH, evalSplit.count);
    const sampleSize = evalSplit.count === 0 ? 0 : evalSplit.x.length / evalSplit.count;
    this.probeX = evalSplit.x.subarray(0, this.probeCount * sampleSize);
    this.activationRecords = this.activationProbes.map((p, i) => ({
      layer: p.layer,
      resolved_layer: this.probeLayers[i]!,
      point: p.point,
      percentiles: [...p.percentiles],
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
        layers: Object.fromEntries(
          bnLayers.map((n) => [n, { running_mean_mean: [], running_mean_std: [], running_var_mean: [], running_var_std: [] }]),
        ),
      };
    }
  }

  /** One training step's gradient norms, averaged at the next evaluation. */
  recordStep(result: StepResult): void {
    if (!result.gradNorms) return;
    this.gradSteps++;
    for (const [name, norm] of Object.entries(result.gradNorms)) this.gradSums.set(name, (this.gradSums.get(name) ?? 0) + norm);
  }

  /** The activation percentiles of the probes due at `step`. */
  async sampleActivations(trainer: Trainer, step: number): Promise<void> {
    const due = this.activationProbes.flatMap((p, i) => (this.isActivationPoint(p, step) ? [i] : []));
    if (due.length === 0) return;
    const outputs = await trainer.activations(
      this.probeX,
      this.probeCount,
      due.map((i) => ({ layer: this.probeLayers[i]! })),
    );
    due.forEach((i, k) => {
      const rec = this.activationRecords[i]!;
      rec.steps.push(step);
      rec.values.push(percentiles(outputs[k]!, rec.percentiles));
    });
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
