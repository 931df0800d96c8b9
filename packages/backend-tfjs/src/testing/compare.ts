import type { ModelIR, TrainIR } from '@bnx/ir';
import type { NamedArrays, StepResult, TrainBatch, Trainer } from '@bnx/core';
import { createReferenceBackend } from '@bnx/core/reference';
import { tfjsBackend } from '../backend.js';
import { options } from './fixtures.js';

/** Largest |a - b| / (1 + |b|) over every entry of the reference state `expected`; names that differ throw. */
export function worstRelativeError(actual: NamedArrays, expected: NamedArrays): { error: number; where: string } {
  const missing = Object.keys(expected).filter((k) => !(k in actual));
  const extra = Object.keys(actual).filter((k) => !(k in expected));
  if (missing.length || extra.length) throw new Error(`state names differ: missing ${missing}, extra ${extra}`);
  let worst = { error: 0, where: '' };
  for (const [name, ref] of Object.entries(expected)) {
    const got = actual[name]!;
    if (got.shape.join('x') !== ref.shape.join('x')) throw new Error(`${name}: shape ${got.shape} vs ${ref.shape}`);
    for (let i = 0; i < ref.data.length; i++) {
      const e = Math.abs(got.data[i]! - ref.data[i]!) / (1 + Math.abs(ref.data[i]!));
      if (!(e <= worst.error)) worst = { error: e, where: `${name}[${i}]: ${got.data[i]} vs ${ref.data[i]}` };
    }
  }
  return worst;
}

export interface ParityRun {
  trainer: Trainer;
  steps: StepResult[];
  state: NamedArrays;
}

/** Trains the same model from the same state on the reference and on one tfjs engine. */
export async function trainBoth(
  m: ModelIR,
  r: TrainIR,
  initial: NamedArrays,
  numClasses: number,
  data: TrainBatch[],
  engine: string,
): Promise<{ reference: ParityRun; tfjs: ParityRun }> {
  const run = async (trainer: Trainer): Promise<ParityRun> => {
    const steps: StepResult[] = [];
    await trainer.train(data, { onStep: (s) => void steps.push(s) });
    return { trainer, steps, state: await trainer.state() };
  };
  const reference = await run(await createReferenceBackend().compile(m, r, options(numClasses, initial, 64, true)));
  const tfjs = await run(await tfjsBackend.compile(m, r, options(numClasses, initial, 64, true, engine)));
  return { reference, tfjs };
}
