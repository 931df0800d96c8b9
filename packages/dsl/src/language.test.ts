// The language as lowered to IR: values, expressions, entries, layers, imports, errors in one pass.
import { describe, expect, it } from 'vitest';
import { expandPlan, type ModelIR } from '@bnx/ir';
import { checkText, parseProgram } from './index.js';

const model = (body: string): ModelIR => {
  const result = parseProgram(`model m {\n${body}\n}\n`, '/virtual/m.bnx');
  expect(result.diagnostics).toEqual([]);
  return result.program!.models[0]!;
};
const errorsOf = (text: string, files: Record<string, string> = {}) =>
  parseProgram(text, '/virtual/main.bnx', {
    readFile: (path) => {
      const found = files[path];
      if (found === undefined) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      return found;
    },
  }).diagnostics.map(
    (d) => `${d.range?.file === '/virtual/main.bnx' ? '' : `${d.range?.file}:`}${d.range?.start.line}:${d.range?.start.column} ${d.code} ${d.message}`,
  );

describe('values', () => {
  it('evaluates constant expressions with precedence, parentheses and unary minus', () => {
    const text = 'dataset d {\n  source: mnist\n  preprocess: [scale(1/255), scale(2 + 3 * 4), scale((2 + 3) * 4), scale(-(1 - 3) / 4), scale(8 - 2 - 1)]\n}\n';
    const program = parseProgram(text, '/virtual/d.bnx').program!;
    expect(program.datasets[0]!.preprocess.map((p) => (p.op === 'scale' ? p.factor : NaN))).toEqual([1 / 255, 14, 20, 0.5, 5]);
  });

  it('keeps the sign of a negative literal in the value range (so `batch: -5` points at `-5`)', () => {
    const text = 'train t {\n  optimizer: sgd(lr: 0.1)\n  batch: -5\n}\n';
    const train = parseProgram(text, '/virtual/t.bnx').program!.trains[0]!;
    expect(train.batch).toBe(-5);
    expect(train.loc?.fields?.batch?.start).toEqual({ line: 3, column: 10, offset: 45 });
    expect(train.loc?.fields?.batch?.end.column).toBe(12);
  });

  it('expands ranges and reads validation counts and fractions', () => {
    const text = [
      'dataset a { source: mnist; validation: 0.1 }',
      'dataset b { source: mnist; validation: 5000; subset: 10000 }',
      'model m { input(2); dense(2) }',
      'train t { optimizer: adam; batch: 4; epochs: 1 }',
      'experiment e { data: a; train: t; variant v: m; seeds: 3..6; sweep lr: [1e-3, 1e-2]; sweep init: [he_normal, zeros] }',
    ].join('\n');
    const program = parseProgram(text, '/virtual/x.bnx').program!;
    expect(program.datasets.map((d) => d.validation)).toEqual([{ fraction: 0.1 }, { count: 5000 }]);
    expect(program.datasets[1]!.subset).toBe(10000);
    expect(program.experiments[0]!.seeds).toEqual([3, 4, 5, 6]);
    expect(program.experiments[0]!.sweeps.map((s) => [s.key, s.values])).toEqual([
      ['lr', [0.001, 0.01]],
      ['init', ['he_normal', 'zeros']],
    ]);
    expect(program.trains[0]!.optimizer).toEqual({ kind: 'adam', lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 });
  });

  it('resolves source paths relative to the declaring file', () => {
    const text = 'dataset c { source: csv("../data/iris.csv", label: "species") }\ndataset f { source: cifar10(dir: "/abs/cifar") }';
    const program = parseProgram(text, '/virtual/sub/x.bnx').program!;
    expect(program.datasets.map((d) => d.source)).toEqual([
      { kind: 'csv', file: '/virtual/data/iris.csv', label: 'species' },
      { kind: 'cifar10', dir: '/abs/cifar' },
    ]);
  });
});

describe('models', () => {
  it('fills layer defaults from the op catalogue and names layers per op in model order', () => {
    const m = model('  input(1, 28, 28)\n  conv2d(4, kernel: 3)\n  leaky_relu\n  maxpool(2)\n  flatten\n  batchnorm\n  dense(10)\n  elu');
    expect(m.input).toEqual([1, 28, 28]);
    expect(m.layers.map(({ loc, ...layer }) => layer)).toEqual([
      { name: 'conv2d_1', op: 'conv2d', filters: 4, kernel: [3, 3], stride: [1, 1], padding: 'valid', init: null, bias: true },
      { name: 'leaky_relu_1', op: 'leaky_relu', alpha: 0.01 },
      { name: 'maxpool_1', op: 'maxpool', size: [2, 2], stride: [2, 2] },
      { name: 'flatten_1', op: 'flatten' },
      { name: 'batchnorm_1', op: 'batchnorm', momentum: 0.1, epsilon: 1e-5, runningVar: 'unbiased', affine: true },
      { name: 'dense_1', op: 'dense', units: 10, init: null, bias: true },
      { name: 'elu_1', op: 'elu', alpha: 1 },
    ]);
  });

  it('gives a declaration the range from its keyword to its closing brace', () => {
    const m = model('  input(8)\n  dense(2)');
    expect(m.loc?.range.start).toEqual({ line: 1, column: 1, offset: 0 });
    expect(m.loc?.range.end).toEqual({ line: 4, column: 2, offset: 33 });
    expect(m.loc?.fields?.name?.start).toEqual({ line: 1, column: 7, offset: 6 });
  });

  it('unrolls nested repeat blocks', () => {
    const m = model('  input(8)\n  repeat 2 {\n    dense(8)\n    repeat 2 { relu }\n  }\n  dense(2)');
    expect(m.layers.map((l) => l.name)).toEqual(['dense_1', 'relu_1', 'relu_2', 'dense_2', 'relu_3', 'relu_4', 'dense_3']);
  });

  it('records the range of every argument value, keyed as written and as in the IR', () => {
    const m = model('  input(784)\n  dropout(1.5)\n  batchnorm(running_var: biased)');
    expect(m.layers[0]!.loc?.fields?.rate?.start).toMatchObject({ line: 3, column: 11 });
    expect(m.layers[0]!.loc?.range.start).toMatchObject({ line: 3, column: 3 });
    expect(m.layers[1]!.loc?.fields?.runningVar).toEqual(m.layers[1]!.loc?.fields?.running_var);
  });

  it('reads initializers, with and without arguments', () => {
    const m = model('  input(4)\n  dense(4, init: normal(0.01))\n  dense(4, init: uniform(limit: 0.1), bias: false)\n  dense(2, init: torch_default)');
    expect(m.layers.map((l) => (l.op === 'dense' ? [l.init, l.bias] : []))).toEqual([
      [{ kind: 'normal', std: 0.01 }, true],
      [{ kind: 'uniform', limit: 0.1 }, false],
      [{ kind: 'torch_default' }, true],
    ]);
  });
});

describe('experiments', () => {
  const base =
    'dataset d { source: mnist; preprocess: [flatten] }\nmodel m { input(784); dense(100); relu; dense(10) }\ntrain t { optimizer: sgd(lr: 0.1); epochs: 1; batch: 32 }\n';

  it('derives the batch-normalized variant and keeps where it was written', () => {
    const program = parseProgram(
      `${base}experiment e {\n  data: d; train: t\n  variant bn: m with batchnorm(input: true, keep_bias: true, momentum: 0.2)\n}\n`,
      '/virtual/e.bnx',
    ).program!;
    const variant = program.experiments[0]!.variants[0]!;
    expect(variant.transform).toEqual({
      op: 'batchnorm',
      placement: 'before_activation',
      input: true,
      keepBias: true,
      momentum: 0.2,
      epsilon: 1e-5,
      runningVar: 'unbiased',
      affine: true,
    });
    expect(variant.model.layers.map((l) => l.name)).toEqual(['batchnorm_1', 'dense_1', 'batchnorm_2', 'relu_1', 'dense_2']);
    expect(variant.loc?.range.start).toMatchObject({ line: 6, column: 3 });
    expect(variant.loc?.fields?.keepBias?.start).toMatchObject({ line: 6, column: 56 });
    expect(program.experiments[0]!.seeds).toEqual([1, 2, 3, 4, 5]);
  });

  it('derives layer-norm and group-norm twins the same way, and lowers the layers written in a model', () => {
    const text = `${base}model c { input(4, 6, 6); conv2d(8, kernel: 3); groupnorm(4); relu; flatten; dense(10) }\nexperiment e {\n  data: d; train: t\n  variant ln: m with layernorm(placement: after_activation)\n  variant gn: m with groupnorm(groups: 5, epsilon: 1e-3)\n  variant c: c\n}\n`;
    const program = parseProgram(text, '/virtual/e.bnx').program!;
    const [ln, gn] = program.experiments[0]!.variants;
    expect(ln!.transform).toEqual({ op: 'layernorm', placement: 'after_activation', input: false, keepBias: false, epsilon: 1e-5, affine: true });
    expect(ln!.model.name).toBe('m+ln');
    expect(ln!.model.layers.map((l) => l.name)).toEqual(['dense_1', 'relu_1', 'layernorm_1', 'dense_2']);
    expect(gn!.model.layers.map((l) => l.name)).toEqual(['dense_1', 'groupnorm_1', 'relu_1', 'dense_2']);
    expect(gn!.model.layers[1]).toMatchObject({ op: 'groupnorm', groups: 5, epsilon: 1e-3, affine: true });
    expect(gn!.model.layers[0]).toMatchObject({ op: 'dense', bias: false });
    expect(program.models.find((m) => m.name === 'c')!.layers[1]).toMatchObject({ op: 'groupnorm', groups: 4, epsilon: 1e-5, affine: true });
  });

  it('reports groupnorm without groups, and groups that do not divide the channels', () => {
    const missing = parseProgram(
      `${base}experiment e {\n  data: d; train: t\n  variant gn: m with groupnorm(placement: before_activation)\n}\n`,
      '/virtual/e.bnx',
    );
    expect(missing.diagnostics.map((d) => d.code)).toContain('E0106');
    const uneven = checkText(`${base}experiment e {\n  data: d; train: t\n  variant gn: m with groupnorm(groups: 3)\n}\n`, '/virtual/e.bnx');
    expect(uneven.diagnostics.map((d) => `${d.code} ${d.message}`)).toContain('E1109 groupnorm groups (3) must divide the 100 features of its input');
  });

  it('collects probes given on several lines', () => {
    const program = parseProgram(
      `${base}experiment e {\n  data: d; train: t; variant v: m\n  probe: grad_norm\n  probe: [bn_stats, weight_norm]\n}\n`,
      '/virtual/e.bnx',
    ).program!;
    expect(program.experiments[0]!.probes.map((p) => p.kind)).toEqual(['grad_norm', 'bn_stats', 'weight_norm']);
  });

  it('reads probes (single or a list) and the target', () => {
    const program = parseProgram(
      `${base}experiment e {\n  data: d; train: t; variant v: m\n  probe: [grad_norm, activations(layer: dense_1)]\n  target: val_loss < 0.3\n}\n`,
      '/virtual/e.bnx',
    ).program!;
    const experiment = program.experiments[0]!;
    expect(experiment.probes.map(({ loc, ...p }) => p)).toEqual([
      { kind: 'grad_norm' },
      { kind: 'activations', layer: 'dense_1', point: 'pre_activation', percentiles: [15, 50, 85] },
    ]);
    expect(experiment.target).toMatchObject({ metric: 'val_loss', op: '<', value: 0.3 });
  });
});

describe('activations probe unit', () => {
  const base =
    'dataset d { source: mnist; preprocess: [flatten] }\nmodel m { input(784); dense(100); relu; dense(10) }\ntrain t { optimizer: sgd(lr: 0.1); epochs: 1; batch: 32 }\n';
  it('reads unit: one unit of the layer tracked, as Ioffe & Szegedy do', () => {
    const program = parseProgram(
      `${base}experiment e {\n  data: d; train: t; variant v: m\n  probe: activations(layer: last_hidden, unit: 7)\n}\n`,
      '/virtual/e.bnx',
    ).program!;
    expect(program.experiments[0]!.probes[0]).toMatchObject({ kind: 'activations', unit: 7 });
  });

  it('refuses a unit past the probed layer, or not a whole number, at the unit', () => {
    const past = checkText(`${base}experiment e {\n  data: d; train: t; variant v: m\n  probe: activations(layer: dense_1, unit: 100)\n}\n`, '/virtual/e.bnx');
    const messages = past.diagnostics.map((d) => `${d.range?.start.line}:${d.range?.start.column} ${d.code} ${d.message}`);
    expect(messages, JSON.stringify(messages)).toContain(`6:44 E1207 probe unit 100 is past layer 'dense_1' of variant 'v', which has 100 units (0 to 99)`);
    const fraction = checkText(`${base}experiment e {\n  data: d; train: t; variant v: m\n  probe: activations(unit: 1.5)\n}\n`, '/virtual/e.bnx');
    expect(fraction.diagnostics.map((d) => d.code)).toContain('E1207');
    expect(fraction.diagnostics.find((d) => d.code === 'E1207')!.message).toMatch(/^probe unit /);
  });
});

describe('errors', () => {
  it('reports several syntax errors in one pass', () => {
    const errors = errorsOf('model m {\n  input(784\n  dense(10)\n}\ntrain t {\n  batch: : 3\n}\nexperiment e {\n  seeds: [1,, 2]\n}\n');
    expect(errors.length).toBeGreaterThanOrEqual(3);
    expect(errors.every((e) => e.includes(' E0002 '))).toBe(true);
  });

  it('reports several lowering errors in one pass', () => {
    const errors = errorsOf('model m {\n  input(784)\n  dense2(10)\n  relu(3)\n}\ntrain t {\n  optimiser: sgd(lr: 1)\n  batch: 4\n}\n');
    expect(errors).toEqual([
      "3:3 E0103 unknown layer 'dense2'",
      '4:8 E0105 relu takes no positional arguments; name the others',
      "6:7 E0106 train 't' needs a 'optimizer:' entry, such as optimizer: sgd(lr: 0.1)",
      "7:3 E0104 unknown train entry 'optimiser'; the entries are optimizer, loss, epochs, steps, batch, schedule, eval_every, init, init_scale",
    ]);
  });

  it('reports an import cycle through several files and names it', () => {
    const files = { '/virtual/a.bnx': 'import "b.bnx"\n', '/virtual/b.bnx': 'import "main.bnx"\n' };
    expect(errorsOf('import "a.bnx"\nmodel m { input(1); dense(1) }\n', files)).toEqual([
      '/virtual/b.bnx:1:8 E0110 import cycle: main.bnx → a.bnx → b.bnx → main.bnx',
    ]);
  });

  it('loads a file imported twice once (no duplicate declarations)', () => {
    const files = { '/virtual/a.bnx': 'import "c.bnx"\n', '/virtual/b.bnx': 'import "c.bnx"\n', '/virtual/c.bnx': 'model shared { input(1); dense(1) }\n' };
    expect(errorsOf('import "a.bnx"\nimport "b.bnx"\n', files)).toEqual([]);
  });

  it('allows the same name for declarations of different kinds', () => {
    expect(errorsOf('dataset x { source: mnist }\nmodel x { input(1); dense(1) }\ntrain x { optimizer: adam; batch: 2; epochs: 1 }\n')).toEqual([]);
  });

  it('reports a misspelled model reference with a suggestion, and a model that failed only once', () => {
    const result = parseProgram(
      'model mlp { input(4); dense(2) }\nmodel broken { input(4); dens(2) }\nexperiment e { data: d; train: t; variant a: mpl; variant b: broken }\n',
      '/virtual/x.bnx',
    );
    expect(result.diagnostics.map((d) => [d.code, d.message, d.hint])).toEqual([
      ['E0103', "unknown layer 'dens'", "did you mean 'dense'?"],
      ['E0102', "no model named 'mpl'", "did you mean 'mlp'?"],
    ]);
  });
});

describe('line endings', () => {
  it('reads CRLF files like LF files, with the same line and column numbers', () => {
    const text = 'model m {\n  input(784)\n  dense(100)\n  dropout(1.5)\n  dense(10)\n}\n';
    const strip = (r: ReturnType<typeof parseProgram>) => JSON.stringify(r.program?.models, (k, v: unknown) => (k === 'offset' ? undefined : v));
    const lf = parseProgram(text, '/virtual/m.bnx');
    const crlf = parseProgram(text.replace(/\n/g, '\r\n'), '/virtual/m.bnx');
    expect(crlf.diagnostics).toEqual([]);
    expect(strip(crlf)).toBe(strip(lf));
  });
});

describe('limits', () => {
  it.each([
    ['brackets', `model m { input(1); dense(${'('.repeat(20000)}1${')'.repeat(20000)}) }`],
    ['signs', `model m { input(1); dense(${'-'.repeat(50000)}1) }`],
    ['unclosed lists', `model m { input(1); dense(${'['.repeat(20000)}) }`],
    ['a very long sum', `model m { input(1); dense(${'1+'.repeat(120_000)}1) }`], // 240 KB: under the size limit
  ])('reports input nested too deeply (%s) instead of overflowing the stack', (_, text) => {
    const result = parseProgram(text, '/virtual/deep.bnx');
    expect(result.program).toBeUndefined();
    expect(result.diagnostics.map((d) => d.code)).toContain('E0116');
  });

  it('reports a mistake inside nested repeat blocks once', () => {
    const result = parseProgram('model m {\n  input(1)\n  repeat 3 {\n    repeat 2 { dens(1) }\n  }\n}\n', '/virtual/r.bnx');
    expect(result.diagnostics.map((d) => `${d.code} ${d.range?.start.line}:${d.range?.start.column}`)).toEqual(['E0103 4:16']);
  });

  it('refuses to unroll more than 10,000 layers', () => {
    const result = parseProgram('model m {\n  input(1)\n  repeat 100 {\n    repeat 200 { relu }\n  }\n}\n', '/virtual/big.bnx');
    expect(result.diagnostics.map((d) => `${d.code} ${d.range?.start.line}:${d.range?.start.column}`)).toEqual(['E0115 4:18']);
  });
});

describe('models with parameters', () => {
  const head =
    'dataset d { source: mnist; preprocess: [flatten] }\ntrain t { optimizer: sgd(lr: 0.1); epochs: 1; batch: 32 }\nmodel mlp(depth: 2, width: 16) {\n  input(784)\n  repeat depth { dense(width); relu }\n  dense(10)\n}\n';
  const lowered = (text: string) => parseProgram(text, '/virtual/p.bnx').diagnostics;
  const denseUnits = (m: ModelIR) => m.layers.flatMap((l) => (l.op === 'dense' ? [l.units] : []));

  it("builds the model with its defaults, and with a variant's arguments", () => {
    const text = `${head}experiment e {\n  data: d; train: t\n  variant plain: mlp\n  variant deep: mlp(depth: 4, width: 8 * 4)\n  variant deep_bn: mlp(depth: 3) with batchnorm\n}\n`;
    const result = checkText(text, '/virtual/p.bnx');
    expect(result.diagnostics).toEqual([]);
    const [plain, deep, deepBn] = result.program!.experiments[0]!.variants;
    expect(denseUnits(plain!.model)).toEqual([16, 16, 10]);
    expect(plain!.modelParams).toEqual({ depth: 2, width: 16 });
    expect(denseUnits(deep!.model)).toEqual([32, 32, 32, 32, 10]);
    expect(deep!.model.name).toBe('mlp(depth: 4, width: 32)');
    expect(deep!.modelParams).toEqual({ depth: 4, width: 32 });
    expect(deepBn!.model.layers.filter((l) => l.op === 'batchnorm')).toHaveLength(3);
    expect(deepBn!.model.name).toBe('mlp(depth: 3)+bn');
  });

  it('sweeps a model parameter: every run gets the model built with its value', () => {
    const text = `${head}experiment e {\n  data: d; train: t\n  variant plain: mlp\n  variant bn: mlp with batchnorm\n  sweep depth: [1, 3]\n  sweep batch: [16, 32]\n  seeds: [1]\n}\n`;
    const result = checkText(text, '/virtual/p.bnx');
    expect(result.diagnostics).toEqual([]);
    const plan = expandPlan(result.program!).plan!;
    expect(plan.runs.map((r) => [r.variant, r.params['depth'], r.train.batch, r.model.layers.filter((l) => l.op === 'dense').length])).toEqual([
      ['plain', 1, 16, 2],
      ['plain', 1, 32, 2],
      ['plain', 3, 16, 4],
      ['plain', 3, 32, 4],
      ['bn', 1, 16, 2],
      ['bn', 1, 32, 2],
      ['bn', 3, 16, 4],
      ['bn', 3, 32, 4],
    ]);
    expect(plan.runs.find((r) => r.variant === 'bn' && r.params['depth'] === 3)!.model.layers.filter((l) => l.op === 'batchnorm')).toHaveLength(3);
  });

  it('reports an unknown parameter, a parameter named like a train entry, and a repeat count that is not whole', () => {
    const unknown = lowered(`${head}experiment e {\n  data: d; train: t\n  variant deep: mlp(dpeth: 4)\n}\n`);
    expect(unknown).toContainEqual(
      expect.objectContaining({
        code: 'E0117',
        message: "model 'mlp' has no parameter 'dpeth'; its parameters are depth, width",
        hint: "did you mean 'depth'?",
      }),
    );
    const shadow = lowered('model m(batch: 2) {\n  input(4)\n  dense(batch)\n}\n');
    expect(shadow).toContainEqual(
      expect.objectContaining({ code: 'E0118', range: expect.objectContaining({ start: expect.objectContaining({ line: 1, column: 9 }) }) }),
    );
    const half = lowered(`${head.replace('repeat depth', 'repeat depth / 2')}experiment e {\n  data: d; train: t\n  variant odd: mlp(depth: 3)\n}\n`);
    expect(half.map((d) => d.message)).toContain("a repeat count must be a whole number of at least 1; it is 1.5 (with depth: 3 from variant 'odd')");
    const swept = checkText(
      `${head.replace('repeat depth', 'repeat depth / 2')}experiment e {\n  data: d; train: t\n  variant v: mlp\n  sweep depth: [2, 5]\n}\n`,
      '/virtual/p.bnx',
    );
    expect(swept.diagnostics.map((d) => d.message)).toContain(
      'a repeat count must be a whole number of at least 1; it is 2.5 (with depth: 5 from sweep depth = 5)',
    );
  });

  it("reports a sweep over a parameter that a variant's model lacks, a variant that fixes a swept parameter, and parameters on other blocks", () => {
    const lacks = checkText(
      `${head}model small { input(784); dense(10) }\nexperiment e {\n  data: d; train: t\n  variant a: mlp\n  variant b: small\n  sweep depth: [1, 2]\n}\n`,
      '/virtual/p.bnx',
    );
    expect(lacks.diagnostics.map((d) => `${d.code} ${d.message}`)).toContain(
      "E1403 cannot sweep 'depth': model 'small' of variant 'b' has no parameter 'depth'",
    );
    const fixed = lowered(`${head}experiment e {\n  data: d; train: t\n  variant a: mlp(depth: 3)\n  sweep depth: [1, 2]\n}\n`);
    expect(fixed.map((d) => d.code)).toContain('E0117');
    expect(lowered(`train t2(x: 1) { optimizer: sgd(lr: 0.1); epochs: 1; batch: 4 }\n`).map((d) => d.code)).toContain('E0117');
    expect(lowered(`model m(2) {\n  input(4)\n  dense(2)\n}\n`).map((d) => d.code)).toContain('E0117');
  });
});
