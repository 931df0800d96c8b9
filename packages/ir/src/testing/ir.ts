// Test helpers: IR written by hand, with source locations computed from the text it stands for, so a test
// can say "this diagnostic starts at 5:11" exactly as the DSL would report it.
import type { DatasetIR, ExperimentIR, Layer, ModelIR, NodeLocation, ProgramIR, SourceRange, TrainIR, VariantIR } from '../types.js';
import { BATCHNORM_DEFAULTS } from '../defaults.js';

/** Ranges in a source text: `range(5, 11, 3)` is 3 characters from line 5, column 11 (both 1-based). */
export function sourceOf(text: string, file = '/test/input.bnx') {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const position = (line: number, column: number) => ({ line, column, offset: (lineStarts[line - 1] ?? 0) + column - 1 });
  const range = (line: number, column: number, length: number): SourceRange => ({
    file,
    start: position(line, column),
    end: position(line, column + length),
  });
  /** The range of the first occurrence of `needle` on a line. */
  const find = (line: number, needle: string): SourceRange => {
    const lineText = text.split('\n')[line - 1] ?? '';
    const column = lineText.indexOf(needle) + 1;
    if (column < 1) throw new Error(`'${needle}' is not on line ${line}`);
    return range(line, column, needle.length);
  };
  /** A node spanning the rest of the line from `needle`, with fields located by their value text. */
  const loc = (line: number, needle: string, fields: Record<string, [number, string]> = {}): NodeLocation => {
    const lineText = text.split('\n')[line - 1] ?? '';
    const start = lineText.indexOf(needle);
    const node = range(line, start + 1, lineText.length - start);
    const located: Record<string, SourceRange> = {};
    for (const [name, [fieldLine, value]] of Object.entries(fields)) located[name] = find(fieldLine, value);
    return { range: node, fields: located };
  };
  return { file, range, find, loc };
}

export const dense = (name: string, units: number, extra: Partial<Layer> = {}): Layer =>
  ({ op: 'dense', name, units, init: null, bias: true, ...extra }) as Layer;
export const act = (op: 'relu' | 'sigmoid' | 'tanh' | 'softmax', name: string): Layer => ({ op, name });
export const bn = (name: string, extra: Partial<Layer> = {}): Layer => ({ op: 'batchnorm', name, ...BATCHNORM_DEFAULTS, ...extra }) as Layer;
export const flatten = (name = 'flatten_1'): Layer => ({ op: 'flatten', name });
export const conv = (name: string, filters: number, kernel: number, extra: Partial<Layer> = {}): Layer =>
  ({ op: 'conv2d', name, filters, kernel: [kernel, kernel], stride: [1, 1], padding: 'valid', init: null, bias: true, ...extra }) as Layer;
export const maxpool = (name: string, size: number): Layer => ({ op: 'maxpool', name, size: [size, size], stride: [size, size] });

export function model(name: string, input: number[], layers: Layer[], loc?: NodeLocation): ModelIR {
  return loc ? { name, input, layers, loc } : { name, input, layers };
}

/** 784 → dense(100) → relu → dense(10), optionally with BN before the activation (the DSL's `with batchnorm`). */
export function mlp(withBatchNorm = false): ModelIR {
  const layers = withBatchNorm
    ? [dense('dense_1', 100, { bias: false } as Partial<Layer>), bn('batchnorm_1'), act('relu', 'relu_1'), dense('dense_2', 10)]
    : [dense('dense_1', 100), act('relu', 'relu_1'), dense('dense_2', 10)];
  return model('mlp', [784], layers);
}

export const mnistFlat = (extra: Partial<DatasetIR> = {}): DatasetIR => ({
  name: 'd',
  source: { kind: 'mnist' },
  preprocess: [{ op: 'flatten' }],
  ...extra,
});

export const sgd = (extra: Partial<TrainIR> = {}): TrainIR => ({
  name: 't',
  optimizer: { kind: 'sgd', lr: 0.1, momentum: 0, nesterov: false, weightDecay: 0 },
  loss: 'cross_entropy',
  epochs: 1,
  batch: 32,
  schedule: { kind: 'constant' },
  initScale: 1,
  ...extra,
});

export const variant = (name: string, m: ModelIR, loc?: NodeLocation): VariantIR =>
  loc ? { name, base: m.name, model: m, loc } : { name, base: m.name, model: m };

export function experiment(variants: VariantIR[], extra: Partial<ExperimentIR> = {}): ExperimentIR {
  return { name: 'e', data: 'd', train: 't', variants, seeds: [1], sweeps: [], probes: [], ...extra };
}

export function program(parts: Partial<ProgramIR>): ProgramIR {
  return { file: '/test/input.bnx', datasets: [], models: [], trains: [], experiments: [], ...parts };
}

/** `line:column message` of each diagnostic, the form the invalid files' first lines use. */
export const positions = (diagnostics: { message: string; range?: SourceRange }[]) =>
  diagnostics.map((d) => `${d.range?.start.line}:${d.range?.start.column} ${d.message}`);
