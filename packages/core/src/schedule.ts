// Learning rate at a step. The driver applies the schedule and hands each step its rate in TrainBatch.lr,
// so every backend sees the same numbers.
import type { Schedule } from '@bnx/ir';

export interface SchedulePoint {
  /** Global 0-based step. */
  step: number;
  /** 0-based epoch the step belongs to. */
  epoch: number;
  /** Total number of training steps of the run. */
  totalSteps: number;
}

/**
 * - `constant`: the base rate.
 * - `step(every, gamma)`: base * gamma^floor(epoch / every), `every` in epochs (PyTorch StepLR stepped once
 *   per epoch).
 * - `cosine`: base * (1 + cos(pi * step / totalSteps)) / 2 per step, the formula of the IR and of PyTorch's
 *   CosineAnnealingLR(T_max = totalSteps) stepped every step and Keras's CosineDecay(decay_steps = totalSteps):
 *   the first step uses the base rate and the rate reaches 0 just after the last step (no step is wasted at 0).
 */
export function learningRate(schedule: Schedule, baseLr: number, at: SchedulePoint): number {
  switch (schedule.kind) {
    case 'constant':
      return baseLr;
    case 'step':
      return baseLr * schedule.gamma ** Math.floor(at.epoch / schedule.every);
    case 'cosine': {
      if (at.totalSteps <= 0) return baseLr;
      const progress = Math.min(1, at.step / at.totalSteps);
      return (baseLr * (1 + Math.cos(Math.PI * progress))) / 2;
    }
  }
}
