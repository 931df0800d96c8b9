// Sizes that cannot be allocated are errors at check time, with the limit named: a model whose parameters do
// not fit, a batch whose activations do not fit, a generated dataset that does not fit. Without this,
// `bnx check` passed `dense(1e9)` and `batch: 1e12`, and `bnx run` died with "Invalid typed array length".
import { diagnostic } from './codes.js';
import { fieldRange, objects } from './format.js';
import { formatCount, MAX_BATCH_VALUES, MAX_DATASET_VALUES, MAX_PARAMETERS } from './limits.js';
import { paramSpecs } from './params.js';
import { inferShapes } from './shapes.js';
import type { DatasetIR, Diagnostic, ModelIR, SourceRange } from './types.js';

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Whether every layer's shape is known: sizes of a model that does not check are not counted. */
function checks(model: ModelIR): boolean {
  if (!Array.isArray(model.layers) || model.layers.some((layer) => layer === null || typeof layer !== 'object')) return false;
  const shapes = inferShapes(model);
  return shapes.outputs.length === model.layers.length && !shapes.diagnostics.some((d) => d.severity === 'error');
}

/** E1215 when the model's parameters exceed MAX_PARAMETERS, at the layer that holds the most of them. */
export function checkModelSize(model: ModelIR): Diagnostic[] {
  if (model === null || typeof model !== 'object' || !checks(model)) return [];
  const perLayer = new Map<string, number>();
  let total = 0;
  for (const spec of paramSpecs(model)) {
    const n = product(spec.shape);
    total += n;
    perLayer.set(spec.layer, (perLayer.get(spec.layer) ?? 0) + n);
  }
  if (total <= MAX_PARAMETERS) return [];
  const [largest, count] = [...perLayer].reduce((a, b) => (b[1] > a[1] ? b : a));
  const layer = objects(model.layers).find((l) => l.name === largest);
  return [
    diagnostic(
      'E1215',
      `model '${model.name}' has ${formatCount(total)} parameters (${largest} holds ${formatCount(count)}); at most ${formatCount(MAX_PARAMETERS)} can be trained`,
      layer?.loc?.range ?? model.loc?.range,
      {
        hint: 'use fewer units or filters',
      },
    ),
  ];
}

/** Values one sample makes: the input and every layer's output (undefined for a model that does not check). */
export function valuesPerSample(model: ModelIR): number | undefined {
  if (model === null || typeof model !== 'object' || !checks(model)) return undefined;
  const shapes = inferShapes(model);
  return product(shapes.input) + shapes.outputs.reduce((a, shape) => a + product(shape), 0);
}

/** E1215 when `batch` samples of the largest model make more than MAX_BATCH_VALUES values. */
export function checkBatchSize(batch: unknown, models: readonly ModelIR[], range: SourceRange | undefined): Diagnostic[] {
  if (typeof batch !== 'number' || !Number.isFinite(batch) || batch < 1) return [];
  const sized = models
    .map((model) => ({ model, values: valuesPerSample(model) }))
    .filter((m): m is { model: ModelIR; values: number } => m.values !== undefined);
  if (sized.length === 0) return [];
  const largest = sized.reduce((a, b) => (b.values > a.values ? b : a));
  const values = batch * largest.values;
  if (values <= MAX_BATCH_VALUES) return [];
  const fits = Math.floor(MAX_BATCH_VALUES / largest.values);
  return [
    diagnostic(
      'E1215',
      `batch ${formatCount(batch)} of model '${largest.model.name}' (${formatCount(largest.values)} values per sample: its input and every layer's output) is ${formatCount(values)} values; at most ${formatCount(MAX_BATCH_VALUES)} fit in memory for one batch`,
      range,
      { hint: fits >= 1 ? `a batch of at most ${formatCount(fits)} fits` : 'one sample alone makes more values than that: the model is too large' },
    ),
  ];
}

/** E1215 when a generated dataset holds more than MAX_DATASET_VALUES values. */
export function checkDatasetSize(dataset: DatasetIR): Diagnostic[] {
  const source = dataset?.source;
  if (source?.kind !== 'synthetic' || typeof source.samples !== 'number' || typeof source.features !== 'number') return [];
  const values = source.samples * source.features;
  if (!(values > MAX_DATASET_VALUES)) return [];
  return [
    diagnostic(
      'E1215',
      `synthetic samples × features is ${formatCount(source.samples)} × ${formatCount(source.features)} = ${formatCount(values)} values; at most ${formatCount(MAX_DATASET_VALUES)} fit in memory`,
      fieldRange(dataset.loc, 'samples', 'source'),
    ),
  ];
}
