// Dropout masks come from @bnx/core, never from a backend's RNG, so every backend drops the same units.
// Inverted dropout: a kept unit is scaled by 1/(1-rate) in training, and evaluation needs no rescaling.
import { layerInputShapes } from '@bnx/ir';
import type { ModelIR } from '@bnx/ir';
import { rawWords } from '@bnx/data';

/** The PRNG purpose of a dropout layer's masks; the training step is the stream index. */
export function dropoutPurpose(layerName: string): string {
  return `dropout/${layerName}`;
}

/**
 * One mask of `count` values for a layer of `rate`. Each 32-bit word of the stream (seed, `dropout/<layer>`,
 * step) decides two units with its 16-bit halves: unit 2k uses the low half of word k, unit 2k+1 the high
 * half, and a unit is kept (value 1/(1-rate)) when its half h satisfies h >= rate * 65536, else dropped (0).
 * The drop probability is thus ceil(rate * 65536) / 65536, within 1.6e-5 of `rate` (exact for multiples of
 * 1/65536 such as 0.5 or 0.25); half a word per unit halves the generator's cost, which is most of a mask's.
 */
export function dropoutMask(seed: number, layerName: string, step: number, rate: number, count: number): Float32Array {
  const words = rawWords({ seed, purpose: dropoutPurpose(layerName), index: step }, Math.ceil(count / 2));
  const keep = 1 / (1 - rate);
  // h >= rate * 65536 for a whole h is h >= ceil(rate * 65536): an integer compare.
  const threshold = Math.ceil(rate * 65536) | 0;
  const mask = new Float32Array(count);
  const pairs = count >> 1;
  for (let k = 0; k < pairs; k++) {
    const w = words[k]!;
    mask[2 * k] = (w & 0xffff) >= threshold ? keep : 0;
    mask[2 * k + 1] = w >>> 16 >= threshold ? keep : 0;
  }
  if (count & 1) mask[count - 1] = (words[pairs]! & 0xffff) >= threshold ? keep : 0;
  return mask;
}

/** Per dropout layer, its name, rate and values per sample; computed once per model object (shape inference is not free). */
const dropoutLayersCache = new WeakMap<ModelIR, { name: string; rate: number; perSample: number }[]>();

function dropoutLayers(model: ModelIR): { name: string; rate: number; perSample: number }[] {
  let layers = dropoutLayersCache.get(model);
  if (!layers) {
    layers = [];
    if (model.layers.some((l) => l.op === 'dropout')) {
      const inputs = layerInputShapes(model);
      model.layers.forEach((layer, i) => {
        if (layer.op !== 'dropout') return;
        layers!.push({ name: layer.name, rate: layer.rate, perSample: (inputs[i] ?? []).reduce((a, b) => a * b, 1) });
      });
    }
    dropoutLayersCache.set(model, layers);
  }
  return layers;
}

/**
 * Per dropout layer of `model`, the mask of training step `step` for a batch of `batchSize`:
 * batchSize * prod(layer input shape) values, sample-major, each 0 or 1/(1-rate). Layers with rate 0 get a
 * mask of ones. (The model is treated as immutable: its dropout layers are looked up once per object.)
 */
export function dropoutMasks(model: ModelIR, seed: number, step: number, batchSize: number): Record<string, Float32Array> {
  const masks: Record<string, Float32Array> = {};
  for (const { name, rate, perSample } of dropoutLayers(model)) {
    masks[name] = dropoutMask(seed, name, step, rate, batchSize * perSample);
  }
  return masks;
}
