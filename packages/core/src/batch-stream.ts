// The training batches of one run, in the order every backend sees them: per epoch the training split in
// epochOrder(count, seed, epoch), in batches of the recipe's size (the last partial batch dropped only when
// defaultDropLast says so), each with the schedule's learning rate and the step's dropout masks. Batches are
// made lazily, when the backend pulls them, so the data buffers can be reused from one batch to the next.
import type { ModelIR, TrainIR } from '@bnx/ir';
import { batches, epochOrder } from '@bnx/data';
import type { Split } from '@bnx/data';
import type { TrainBatch } from './backend.js';
import { dropoutMasks } from './dropout.js';
import { learningRate } from './schedule.js';

export interface BatchStreamOptions {
  train: Split;
  model: ModelIR;
  recipe: TrainIR;
  seed: number;
  totalSteps: number;
  dropLast: boolean;
}

export interface BatchStream {
  /** Every step's batch, step 0 first, `totalSteps` in all. */
  batches: Generator<TrainBatch, void, undefined>;
  /** The size and epoch of a step whose batch was pulled and whose result has not been taken yet. */
  take(step: number): { size: number; epoch: number } | undefined;
}

export function batchStream(o: BatchStreamOptions): BatchStream {
  const stepInfo = new Map<number, { size: number; epoch: number }>();
  function* generate(): Generator<TrainBatch, void, undefined> {
    let step = 0;
    for (let epoch = 0; step < o.totalSteps; epoch++) {
      const order = epochOrder(o.train.count, o.seed, epoch);
      for (const batch of batches(o.train, { batchSize: o.recipe.batch, order, dropLast: o.dropLast })) {
        if (step >= o.totalSteps) return;
        stepInfo.set(step, { size: batch.size, epoch });
        yield {
          x: batch.x,
          y: batch.y,
          size: batch.size,
          step,
          lr: learningRate(o.recipe.schedule, o.recipe.optimizer.lr, { step, epoch, totalSteps: o.totalSteps }),
          dropoutMasks: dropoutMasks(o.model, o.seed, step, batch.size),
        };
        step++;
      }
    }
  }
  return {
    batches: generate(),
    take(step) {
      const info = stepInfo.get(step);
      stepInfo.delete(step);
      return info;
    },
  };
}

/**
 * At most `count` items of `source`, without closing `source` when the consumer stops early (it has no
 * `return`, so a `break` in the backend's loop leaves the run's batch stream where it was).
 */
export function take<T>(source: Iterator<T>, count: number): IterableIterator<T> {
  let left = count;
  return {
    next(): IteratorResult<T> {
      if (left <= 0) return { done: true, value: undefined };
      left--;
      return source.next();
    },
    [Symbol.iterator]() {
      return this;
    },
  };
}
