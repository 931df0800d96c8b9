import { describe, expect, it } from 'vitest';
import type { ModelIR, ProgramIR, TrainIR } from './types.js';
import { validate } from './validate.js';
import { act, bn, conv, dense, experiment, flatten, mlp, mnistFlat, model, positions, program, sgd, sourceOf, variant } from './testing/ir.js';

// The four files of shared/bnx/invalid/ that @bnx/ir is responsible for, lowered by hand the way the DSL
// lowers them (locations included). Their first lines say what validate() must report.

describe('the invalid example files', () => {
  it('bn-batch-one.bnx: batch normalization trained with batch 1, at the variant', () => {
    const text = [
      '# expect: 22:3 ...',
      'dataset d {',
      '  source: mnist',
      '  preprocess: [flatten]',
      '}',
      'model mlp {',
      '  input(784)',
      '  dense(100)',
      '  relu',
      '  dense(10)',
      '}',
      'train t {',
      '  optimizer: sgd(lr: 0.1)',
      '  loss: cross_entropy',
      '  epochs: 1',
      '  batch: 1',
      '}',
      'experiment e {',
      '  data: d',
      '  train: t',
      '  variant baseline: mlp',
      '  variant bn: mlp with batchnorm(placement: before_activation)',
      '}',
    ].join('\n');
    const s = sourceOf(text);
    const train = sgd({ batch: 1, loc: s.loc(12, 'train', { batch: [16, '1'], epochs: [15, '1'], lr: [13, '0.1'] }) });
    const base = mlp();
    const withBn = mlp(true);
    const prog = program({
      datasets: [mnistFlat({ loc: s.loc(2, 'dataset') })],
      models: [{ ...base, loc: s.loc(6, 'model') }],
      trains: [train],
      experiments: [
        experiment([variant('baseline', base, s.loc(21, 'variant')), variant('bn', withBn, s.loc(22, 'variant'))], {
          loc: s.loc(18, 'experiment', { data: [19, 'd'], train: [20, 't'] }),
        }),
      ],
    });
    expect(positions(validate(prog))).toEqual(["22:3 batch normalization in training needs batches of at least 2 samples; 'bn' trains with batch 1"]);
  });

  it('conv-on-flat.bnx: conv2d after flatten, at the conv2d layer', () => {
    const s = sourceOf(
      ['# expect', 'model m {', '  input(28, 28)', '  flatten', '  conv2d(8, kernel: 3)', '  relu', '  flatten', '  dense(10)', '}'].join('\n'),
    );
    const m: ModelIR = {
      name: 'm',
      input: [28, 28],
      layers: [
        { ...flatten('flatten_1'), loc: s.loc(4, 'flatten') },
        { ...conv('conv2d_1', 8, 3), loc: s.loc(5, 'conv2d', { filters: [5, '8'], kernel: [5, '3'] }) },
        { ...act('relu', 'relu_1'), loc: s.loc(6, 'relu') },
        { ...flatten('flatten_2'), loc: s.loc(7, 'flatten') },
        { ...dense('dense_1', 10), loc: s.loc(8, 'dense', { units: [8, '10'] }) },
      ],
      loc: s.loc(2, 'model', { input: [3, '28, 28'] }),
    };
    expect(positions(validate(program({ models: [m] })))).toEqual(['5:3 conv2d needs an input of shape (channels, height, width); it gets (784)']);
  });

  it('dropout-rate.bnx: dropout(1.5), at the rate', () => {
    const s = sourceOf(['# expect', 'model m {', '  input(784)', '  dense(100)', '  dropout(1.5)', '  dense(10)', '}'].join('\n'));
    const m: ModelIR = {
      name: 'm',
      input: [784],
      layers: [
        { ...dense('dense_1', 100), loc: s.loc(4, 'dense', { units: [4, '100'] }) },
        { op: 'dropout', name: 'dropout_1', rate: 1.5, loc: s.loc(5, 'dropout', { rate: [5, '1.5'] }) },
        { ...dense('dense_2', 10), loc: s.loc(6, 'dense', { units: [6, '10'] }) },
      ],
      loc: s.loc(2, 'model'),
    };
    expect(positions(validate(program({ models: [m] })))).toEqual(['5:11 dropout rate must be at least 0 and below 1; it is 1.5']);
  });

  it('negative-batch.bnx: batch: -5, at the value', () => {
    const s = sourceOf(['# expect', 'train t {', '  optimizer: sgd(lr: 0.1)', '  loss: cross_entropy', '  batch: -5', '  epochs: 1', '}'].join('\n'));
    const train = sgd({ batch: -5, loc: s.loc(2, 'train', { batch: [5, '-5'], epochs: [6, '1'], lr: [3, '0.1'] }) });
    expect(positions(validate(program({ trains: [train] })))).toEqual(['5:10 batch must be a whole number of at least 1; it is -5']);
  });
});

/** A valid program around one model and recipe: validate() reports nothing for it. */
function valid(parts: { model?: ModelIR; train?: TrainIR } = {}): ProgramIR {
  const m = parts.model ?? mlp();
  return program({
    datasets: [mnistFlat()],
    models: [m],
    trains: [parts.train ?? sgd()],
    experiments: [experiment([variant('baseline', m), variant('bn', mlp(true))])],
  });
}

const codes = (prog: ProgramIR) => validate(prog).map((d) => d.code);

describe('validate', () => {
  it('accepts a valid program', () => {
    expect(validate(valid())).toEqual([]);
  });

  it('checks value ranges of layers and recipes', () => {
    const m = model('m', [784], [dense('dense_1', 0), bn('batchnorm_1', { epsilon: 0, momentum: 1.5 } as never), dense('dense_2', 10)]);
    expect(codes(program({ models: [m] }))).toEqual(['E1201', 'E1201', 'E1201']);
    const messages = validate(program({ models: [m] })).map((d) => d.message);
    expect(messages).toContain('dense units must be a whole number of at least 1; it is 0');
    expect(messages).toContain('batchnorm epsilon must be above 0; it is 0');
    expect(messages).toContain('batchnorm momentum must be between 0 and 1; it is 1.5');

    const train = sgd({ optimizer: { kind: 'adam', lr: 0, beta1: 1, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 } });
    expect(validate(program({ trains: [train] })).map((d) => d.message)).toEqual([
      'lr must be above 0; it is 0',
      'beta1 must be at least 0 and below 1; it is 1',
    ]);
    expect(codes(program({ trains: [sgd({ batch: 2.5 })] }))).toEqual(['E1202']);
    expect(codes(program({ trains: [sgd({ steps: 10 })] }))).toEqual(['E1205']);
    const neither = sgd();
    delete neither.epochs;
    expect(codes(program({ trains: [neither] }))).toEqual(['E1206']);
  });

  it('checks datasets: subset, validation leaving training data, synthetic sizes', () => {
    expect(codes(program({ datasets: [mnistFlat({ subset: 0 })] }))).toEqual(['E1203']);
    expect(codes(program({ datasets: [mnistFlat({ subset: 1000, validation: { count: 1000 } })] }))).toEqual(['E1208']);
    expect(codes(program({ datasets: [mnistFlat({ subset: 1000, validation: { count: 999 } })] }))).toEqual([]);
    expect(codes(program({ datasets: [mnistFlat({ validation: { fraction: 1.2 } })] }))).toEqual(['E1203']);
    expect(codes(program({ datasets: [mnistFlat({ subset: 70000 })] }))).toEqual(['E1208']);
    expect(codes(program({ datasets: [mnistFlat({ subset: 10, validation: { fraction: 0.01 } })] }))).toEqual(['E1208']);
    expect(codes(program({ datasets: [mnistFlat({ subset: 10, validation: { fraction: 0.99 } })] }))).toEqual(['E1208']);
    expect(codes(program({ datasets: [mnistFlat({ subset: 10, validation: { fraction: 0.5 } })] }))).toEqual([]);
    const synthetic = mnistFlat({ source: { kind: 'synthetic', shape: 'blobs', samples: 100, features: 0, classes: 3 }, preprocess: [] });
    expect(codes(program({ datasets: [synthetic] }))).toEqual(['E1203']);
    const normalize = mnistFlat({ source: { kind: 'cifar10', dir: '/c' }, preprocess: [{ op: 'normalize', mean: [0.5, 0.5], std: 0.5 }] });
    expect(codes(program({ datasets: [normalize] }))).toEqual(['E1211']);
  });

  it('reports unknown initializers with a suggestion', () => {
    const m = model('m', [784], [dense('dense_1', 10, { init: { kind: 'he_normall' } } as never)]);
    const [d] = validate(program({ models: [m] }));
    expect(d?.code).toBe('E1204');
    expect(d?.hint).toBe("did you mean 'he_normal'?");
    expect(codes(program({ models: [model('m', [784], [dense('dense_1', 10, { init: { kind: 'normal', std: -1 } } as never)])] }))).toEqual(['E1204']);
  });

  it('reports batch 1 with batch normalization through a sweep value', () => {
    const prog = valid();
    prog.experiments[0]!.sweeps = [{ key: 'batch', values: [1, 32] }];
    const found = validate(prog);
    expect(found.map((d) => d.code)).toEqual(['E1301']);
    expect(found[0]?.message).toContain("'bn' trains with batch 1");
    expect(found[0]?.hint).toBe('the sweep over batch includes 1');
    prog.experiments[0]!.sweeps = [{ key: 'batch', values: [2, 32] }];
    expect(validate({ ...valid({ train: sgd({ batch: 1 }) }), experiments: prog.experiments })).toEqual([]);
  });

  it('reports sweeps over unknown keys, keys the optimizer lacks, and bad values', () => {
    const prog = valid();
    prog.experiments[0]!.sweeps = [{ key: 'btach', values: [16] }];
    const [unknown] = validate(prog);
    expect(unknown?.code).toBe('E1403');
    expect(unknown?.hint).toContain("did you mean 'batch'?");
    prog.experiments[0]!.sweeps = [{ key: 'beta1', values: [0.9] }];
    expect(validate(prog)[0]?.message).toContain('sgd has no argument');
    prog.experiments[0]!.sweeps = [{ key: 'lr', values: [0.1, -1, 0.1] }];
    expect(codes(prog)).toEqual(['E1202', 'E1210']);
  });

  it('matches the last layer to the class count and the input to the dataset', () => {
    const wide = model('wide', [784], [dense('dense_1', 100), act('relu', 'relu_1'), dense('dense_2', 12)]);
    expect(codes(valid({ model: wide }))).toEqual(['E1501']);
    expect(validate(valid({ model: wide, train: sgd({ loss: 'mse' }) }))[0]?.message).toBe(
      "the last layer of model 'wide' gives 12 outputs but dataset 'd' has 10 classes; mse needs one output per class (one-hot targets)",
    );
    const image = model('image', [1, 28, 28], [flatten(), dense('dense_1', 10)]);
    const [mismatch] = validate(valid({ model: image }));
    expect(mismatch?.code).toBe('E1502');
    expect(mismatch?.message).toBe("model 'image' takes input (1, 28, 28) but dataset 'd' gives samples of shape (784)");
    // a leading channel of 1 may be left out on either side
    const prog = valid({ model: model('hw', [28, 28], [flatten(), dense('dense_1', 10)]) });
    prog.datasets[0]!.preprocess = [];
    prog.experiments[0]!.variants = [prog.experiments[0]!.variants[0]!];
    expect(validate(prog)).toEqual([]);
  });

  it('reports a bad argument of with batchnorm(...) once, at the argument', () => {
    const s = sourceOf('  variant bn: mlp with batchnorm(epsilon: 0, placement: before_activation)');
    const transformLoc = { range: s.find(1, 'batchnorm(epsilon: 0, placement: before_activation)') };
    const withBn = mlp(true);
    withBn.layers = withBn.layers.map((l) => (l.op === 'batchnorm' ? { ...l, epsilon: 0, loc: transformLoc } : l));
    const prog = valid();
    prog.experiments[0]!.variants[1] = {
      ...variant('bn', withBn, s.loc(1, 'variant', { epsilon: [1, '0'], transform: [1, 'batchnorm(epsilon: 0, placement: before_activation)'] })),
      transform: {
        op: 'batchnorm',
        placement: 'before_activation',
        input: false,
        keepBias: false,
        momentum: 0.1,
        epsilon: 0,
        runningVar: 'unbiased',
        affine: true,
      },
    };
    expect(positions(validate(prog))).toEqual(['1:43 batchnorm epsilon must be above 0; it is 0']);
  });

  it('warns when with batchnorm(...) found nothing to normalize', () => {
    const linear = model('linear', [784], [dense('dense_1', 10)]);
    const prog = valid({ model: linear });
    prog.experiments[0]!.variants = [
      variant('baseline', linear),
      {
        ...variant('bn', linear),
        transform: {
          op: 'batchnorm',
          placement: 'before_activation',
          input: false,
          keepBias: false,
          momentum: 0.1,
          epsilon: 1e-5,
          runningVar: 'unbiased',
          affine: true,
        },
      },
    ];
    expect(validate(prog).map((d) => [d.code, d.severity])).toEqual([['W1302', 'warning']]);
  });

  it('warns when a batch is larger than the training split, for the recipe and for each swept batch', () => {
    const prog = valid();
    prog.datasets[0] = mnistFlat({ subset: 1000, validation: { fraction: 0.1 } });
    prog.trains[0] = sgd({ batch: 900 });
    expect(validate(prog)).toEqual([]);
    prog.trains[0] = sgd({ batch: 901 });
    expect(validate(prog).map((d) => [d.code, d.severity, d.message])).toEqual([
      ['W1213', 'warning', "batch 901 is larger than the 900 training samples of dataset 'd': every epoch is one batch of 900"],
    ]);
    const t = sourceOf('experiment e {\n  sweep batch: [64, 2048]\n}');
    prog.experiments[0]!.sweeps = [{ key: 'batch', values: [64, 2048], loc: t.loc(2, 'sweep', { 'values.0': [2, '64'], 'values.1': [2, '2048'] }) }];
    expect(positions(validate(prog))).toEqual(["2:21 batch 2048 is larger than the 900 training samples of dataset 'd': every epoch is one batch of 900"]);
  });

  it('warns about a final softmax with cross_entropy', () => {
    const m = model('m', [784], [dense('dense_1', 10), act('softmax', 'softmax_1')]);
    const found = validate(valid({ model: m }));
    expect(found.map((d) => [d.code, d.severity])).toEqual([['W1503', 'warning']]);
  });

  it('reports unknown dataset and recipe names with suggestions', () => {
    const prog = valid();
    prog.experiments[0]!.data = 'dd';
    prog.experiments[0]!.train = 'x';
    const found = validate(prog);
    expect(found.map((d) => d.code)).toEqual(['E1401', 'E1402']);
    expect(found[0]?.hint).toBe("did you mean 'd'?");
  });

  it('checks seeds, percentiles and probe layers', () => {
    const prog = valid();
    const e = prog.experiments[0]!;
    e.seeds = [1, 1.5, 1];
    e.probes = [{ kind: 'activations', layer: 'dense_9', point: 'pre_activation', percentiles: [50, 150] }];
    expect(codes(prog).sort()).toEqual(['E1207', 'E1207', 'E1210', 'E1406']);
  });

  it('rejects negative seeds (the generator takes seeds from 0 up)', () => {
    const prog = valid();
    prog.experiments[0]!.seeds = [-1, 2];
    const found = validate(prog).filter((d) => d.code === 'E1207');
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain('from 0 to 2^53-1; one is -1');
  });

  it('checks the target: a known metric, an accuracy between 0 and 1', () => {
    const prog = valid();
    prog.experiments[0]!.target = { metric: 'val_accuracy', op: '>=', value: 97 };
    expect(validate(prog).map((d) => d.message)).toEqual(['target val_accuracy must be between 0 and 1; it is 97']);
    prog.experiments[0]!.target = { metric: 'val_acuracy' as never, op: '>=', value: 0.97 };
    expect(validate(prog)[0]?.hint).toBe("did you mean 'val_accuracy'?");
    prog.experiments[0]!.target = { metric: 'val_loss', op: '<', value: 0.1 };
    expect(validate(prog)).toEqual([]);
  });

  it('never throws, whatever half-built IR it is given', () => {
    // Seeded mutations of a valid program: fields deleted or replaced with wrong types. Every outcome must be
    // a list of diagnostics, and none may come from the internal-error safety net.
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const junk = [undefined, null, -1, 0, 1.5, 'x', true, [], {}, [0, 0], NaN];
    const paths: (string | number)[][] = [];
    const collect = (value: unknown, path: (string | number)[]) => {
      paths.push(path);
      if (value !== null && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) collect(v, [...path, Array.isArray(value) ? Number(k) : k]);
      }
    };
    const base = valid();
    base.experiments[0]!.sweeps = [{ key: 'batch', values: [2, 4] }];
    base.experiments[0]!.probes = [{ kind: 'activations', layer: 'last_hidden', point: 'pre_activation', percentiles: [15, 50] }];
    collect(base, []);
    for (let i = 0; i < 1500; i++) {
      const prog = structuredClone(base) as unknown as Record<string, unknown>;
      for (let m = 0; m < 1 + Math.floor(random() * 3); m++) {
        const path = paths[Math.floor(random() * paths.length)]!;
        if (path.length === 0) continue;
        let parent: unknown = prog;
        for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, unknown> | undefined)?.[key];
        if (parent !== null && typeof parent === 'object') {
          (parent as Record<string | number, unknown>)[path[path.length - 1]!] = junk[Math.floor(random() * junk.length)];
        }
      }
      const found = validate(prog as unknown as ProgramIR);
      expect(Array.isArray(found)).toBe(true);
      const internal = found.filter((d) => d.code === 'E1901');
      expect(internal, JSON.stringify(internal)).toEqual([]);
    }
  });
});
