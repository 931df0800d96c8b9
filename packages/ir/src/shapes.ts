// Shape inference: the sample shape (no batch axis) after every layer, from the model's `input(...)`.
import { checkLayerAttributes } from './attributes.js';
import { diagnostic } from './codes.js';
import { fieldRange, formatValue, isWholeNumber } from './format.js';
import { opSpec } from './ops.js';
import type { Diagnostic, Layer, ModelIR } from './types.js';

export interface ShapeInference {
  /** The input as layers see it: `input(28, 28)` becomes (1, 28, 28), images always channels-first. */
  input: number[];
  /**
   * The output shape of each layer, in order. Inference stops at the first layer whose input does not fit
   * (or whose attributes are invalid), so then there are fewer outputs than layers.
   */
  outputs: number[][];
  diagnostics: Diagnostic[];
}

/**
 * `input(...)` as layers see it, or undefined when it is not 1 to 3 whole numbers of at least 1. A 2-D input
 * (height, width) gets a leading channel axis of 1, so `input(28, 28)` and `input(1, 28, 28)` are the same.
 */
export function canonicalInput(input: unknown): number[] | undefined {
  if (!Array.isArray(input) || input.length < 1 || input.length > 3) return undefined;
  if (!input.every((d) => isWholeNumber(d) && d >= 1)) return undefined;
  return input.length === 2 ? [1, ...(input as number[])] : [...(input as number[])];
}

export function inferShapes(model: ModelIR): ShapeInference {
  const diagnostics: Diagnostic[] = [];
  const outputs: number[][] = [];
  const modelLoc = model?.loc;
  const input = canonicalInput(model?.input);
  if (input === undefined) {
    diagnostics.push(
      diagnostic(
        'E1101',
        `model input must be 1 to 3 whole numbers of at least 1, such as input(784) or input(1, 28, 28); it is ${formatValue(model?.input)}`,
        fieldRange(modelLoc, 'input'),
      ),
    );
  }
  const layers: unknown[] = Array.isArray(model?.layers) ? model.layers : [];
  if (layers.length === 0 && model !== undefined && model !== null) {
    diagnostics.push(diagnostic('E1107', `model '${formatValue(model.name)}' has no layers`, modelLoc?.range));
  }
  let current: number[] | undefined = input;
  const seenNames = new Set<string>();
  for (const item of layers) {
    if (item === null || typeof item !== 'object') {
      current = undefined;
      continue;
    }
    const layer = item as Layer;
    const spec = opSpec(layer.op);
    if (spec === undefined) {
      diagnostics.push(diagnostic('E1108', `unknown layer op '${formatValue(layer.op)}'`, layer.loc?.range));
      current = undefined;
      continue;
    }
    if (typeof layer.name !== 'string' || layer.name === '') {
      diagnostics.push(diagnostic('E1212', `a ${layer.op} layer of model '${formatValue(model.name)}' has no name`, layer.loc?.range));
    } else {
      if (seenNames.has(layer.name)) {
        diagnostics.push(diagnostic('E1210', `layer name '${layer.name}' appears twice in model '${formatValue(model.name)}'`, layer.loc?.range));
      }
      seenNames.add(layer.name);
    }
    const attributes = checkLayerAttributes(layer);
    diagnostics.push(...attributes.diagnostics);
    if (current === undefined) continue;
    if (!attributes.shapeSafe) {
      current = undefined;
      continue;
    }
    const result = spec.outputShape(layer, current);
    if (!result.ok) {
      const range = result.field === undefined ? layer.loc?.range : fieldRange(layer.loc, result.field);
      diagnostics.push(diagnostic(result.code, result.message, range));
      current = undefined;
      continue;
    }
    current = result.shape;
    outputs.push(current);
  }
  return { input: input ?? [], outputs, diagnostics };
}

/** The output shape of the whole model (the logits), or undefined when inference failed. */
export function outputShape(model: ModelIR): number[] | undefined {
  const shapes = inferShapes(model);
  if (shapes.diagnostics.some((d) => d.severity === 'error')) return undefined;
  return shapes.outputs.length === model.layers.length ? (shapes.outputs[shapes.outputs.length - 1] ?? shapes.input) : undefined;
}
