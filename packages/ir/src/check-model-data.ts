// Whether a model fits the samples it is given: its input takes the sample shape, and a classification loss
// gets one output per class. The validator asks it with what the declaration tells (MNIST is 1x28x28 with 10
// classes); the training driver asks it again with what the loaded files tell (a CSV's width and classes
// are known only once it is read), so both report the same codes at the same places.
import { diagnostic } from './codes.js';
import { sampleShapesMatch } from './datasets.js';
import { fieldRange, formatShape, objects } from './format.js';
import { canonicalInput, inferShapes } from './shapes.js';
import type { Diagnostic, Loss, ModelIR, SourceRange } from './types.js';

/** What is known of a dataset's samples; undefined where it is not known yet. */
export interface SampleFacts {
  datasetName: string;
  shape: readonly number[] | undefined;
  classes: number | undefined;
}

const sameStart = (a: SourceRange | undefined, b: SourceRange | undefined) =>
  a !== undefined && b !== undefined && a.file === b.file && a.start.offset === b.start.offset;

/**
 * E1502 (input against sample shape) and E1501 (outputs against classes), located at `at` (the variant in
 * the validator; the model's input or last layer when `at` is undefined), with notes pointing at the
 * model's input and last layer. Nothing is reported for a model whose own shapes do not check.
 */
export function checkModelFitsSamples(model: ModelIR, samples: SampleFacts, loss: Loss | undefined, at: SourceRange | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  const layers = objects(model.layers);
  const shapes = inferShapes(model);
  const complete = shapes.outputs.length === layers.length && !shapes.diagnostics.some((d) => d.severity === 'error');
  const input = canonicalInput(model.input);
  const { datasetName, shape: sample, classes } = samples;

  if (input && sample && !sampleShapesMatch(input, [...sample])) {
    const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
    const hint =
      size(input) !== size(sample)
        ? undefined
        : sample.length > 1
          ? `add flatten to the preprocess of dataset '${datasetName}', or use input${formatShape([...sample])}`
          : `use input${formatShape([...sample])}, or drop flatten from the preprocess of dataset '${datasetName}'`;
    const declared = model.loc ? (fieldRange(model.loc, 'input') ?? model.loc.range) : undefined;
    const related = declared && !sameStart(declared, at ?? declared) ? [{ message: 'input declared here', range: declared }] : [];
    out.push(
      diagnostic(
        'E1502',
        `model '${model.name}' takes input ${formatShape(model.input)} but dataset '${datasetName}' gives samples of shape ${formatShape([...sample])}`,
        at ?? declared,
        {
          hint,
          related,
        },
      ),
    );
  }

  if ((loss === 'cross_entropy' || loss === 'mse') && complete) {
    // Both losses compare the outputs with one-hot targets, so the model needs one output per class.
    const logits = shapes.outputs[shapes.outputs.length - 1] ?? shapes.input;
    const lastRange = layers[layers.length - 1]?.loc?.range;
    const related = lastRange && !sameStart(lastRange, at ?? lastRange) ? [{ message: 'last layer', range: lastRange }] : [];
    const perClass = loss === 'cross_entropy' ? 'one logit per class' : 'one output per class (one-hot targets)';
    if (logits.length !== 1) {
      out.push(
        diagnostic('E1501', `${loss} needs ${perClass} from the last layer; model '${model.name}' ends with shape ${formatShape(logits)}`, at ?? lastRange, {
          related,
          hint: 'end the model with flatten and dense(CLASSES)',
        }),
      );
    } else if (classes !== undefined && logits[0] !== classes) {
      out.push(
        diagnostic(
          'E1501',
          `the last layer of model '${model.name}' gives ${logits[0]} outputs but dataset '${datasetName}' has ${classes} classes; ${loss} needs ${perClass}`,
          at ?? lastRange,
          {
            related,
          },
        ),
      );
    }
  }
  return out;
}
