// Every diagnostic @bnx/ir produces, with a stable code. The README's table is generated from the same list
// (see codes.test.ts), so the two cannot drift. IR codes are E1xxx/W1xxx; the DSL uses other numbers.
import type { Diagnostic, Severity, SourceRange } from './types.js';

export const DIAGNOSTIC_CODES = {
  // Shapes
  E1101: 'a model input shape is not 1 to 3 whole numbers of at least 1',
  E1102: 'a layer needs an image input (channels, height, width) and gets something else',
  E1103: 'dense needs a 1-D input (features); flatten first',
  E1104: 'a convolution kernel or pooling window is larger than its (padded) input',
  E1105: 'a normalization layer needs a 1-D (features) or 3-D (channels, height, width) input',
  E1106: 'softmax needs a 1-D input',
  E1107: 'a model has no layers',
  E1108: 'a layer op is not in the op catalogue',
  E1109: 'groupnorm groups do not divide the channels (or features) of its input',
  // Values
  E1201: 'a layer attribute is out of its allowed range',
  E1202: 'a training setting is out of its allowed range',
  E1203: 'a dataset setting is out of its allowed range',
  E1204: 'an initializer is unknown or has bad arguments',
  E1205: 'both steps and epochs are given',
  E1206: 'neither steps nor epochs is given',
  E1207: 'an experiment value is out of range (seeds, percentiles, probe interval)',
  E1208: 'the validation split or subset leaves no training data',
  E1209: 'an experiment has no variants or no seeds',
  E1210: 'a name or value appears twice where it must be unique (variants, seeds, sweep keys, sweep values)',
  E1211: 'a per-channel preprocessing list does not match the channel count',
  E1212: 'a variant or layer has no name (half-built IR)',
  W1213: 'the batch is larger than the training split, so every epoch is one smaller batch',
  E1214: 'an experiment expands to more runs than the limit (variants × sweep points × seeds over 10,000)',
  E1215: 'a size that cannot be allocated: parameters of a model, values of one batch, or a generated dataset, over its limit',
  // Batch normalization
  E1301: 'batch normalization is trained with batches of 1 sample',
  W1302: '`with batchnorm(...)` (or layernorm, groupnorm) inserted no layer (no hidden dense/conv layer, and input: false)',
  W1303: '`with batchnorm(...)` (or layernorm, groupnorm) on a model that has layers of that kind of its own (the variants without it normalize too)',
  // References
  E1401: 'an experiment names an unknown dataset',
  E1402: 'an experiment names an unknown training recipe',
  E1403: 'a sweep or override names an unknown key',
  E1404: 'a sweep or override names an optimizer argument that the optimizer does not take',
  E1406: 'an activations probe names a layer that cannot be resolved',
  E1407: 'steps and epochs are both swept',
  E1408:
    'a claim in `claims:` is unknown, listed twice, or cannot be tested by the experiment (a sweep or probe it needs is missing, or no variant with batch normalization and one without)',
  // Model and dataset together
  E1501: 'the last layer does not give one output per class (cross_entropy and mse compare with one-hot targets)',
  E1502: 'the model input does not match the dataset sample shape after preprocessing',
  W1503: 'softmax as last layer with cross_entropy (which applies softmax itself)',
  // Plans
  E1601: 'the program has no experiment',
  E1602: 'the program has several experiments and none was named',
  E1603: 'the named experiment does not exist',
  E1604: 'a --set value cannot be parsed',
  // Safety net
  E1901: 'internal error while validating (a bug in bnx; please report it)',
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

export function diagnostic(
  code: DiagnosticCode,
  message: string,
  range: SourceRange | undefined,
  extra: { hint?: string | undefined; related?: Diagnostic['related'] } = {},
): Diagnostic {
  const severity: Severity = code.startsWith('W') ? 'warning' : 'error';
  const result: Diagnostic = { severity, code, message };
  if (range !== undefined) result.range = range;
  if (extra.hint !== undefined) result.hint = extra.hint;
  if (extra.related !== undefined && extra.related.length > 0) result.related = extra.related;
  return result;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
