// Parses and validates a generated .bnx file of about 10,000 lines; prints the median of several runs.
// Run after a build: `pnpm --filter @bnx/dsl build && node packages/dsl/bench/parse.bench.mjs [lines]`.
import { checkText } from '@bnx/dsl';

const targetLines = Number(process.argv[2] ?? 10_000);

/** One dataset and train recipe, then models of 12 lines and experiments of 10 until the target is reached. */
function generate(lines) {
  const out = [
    '# generated for the parse benchmark',
    'dataset digits {',
    '  source: mnist',
    '  validation: 0.1',
    '  preprocess: [scale(1/255), flatten]',
    '}',
    'train recipe {',
    '  optimizer: sgd(lr: 0.05, momentum: 0.9)',
    '  loss: cross_entropy',
    '  epochs: 2',
    '  batch: 128',
    '}',
  ];
  for (let i = 0; out.length < lines; i++) {
    out.push(
      `model mlp_${i} {`,
      '  input(784)',
      `  dense(${100 + (i % 200)}, init: he_normal)   # a comment`,
      '  relu',
      '  repeat 2 {',
      '    dense(64)',
      '    tanh',
      '  }',
      '  dropout(0.1)',
      '  dense(10)',
      '}',
      '',
      `experiment e_${i} {`,
      '  data: digits',
      '  train: recipe',
      `  variant plain: mlp_${i}`,
      `  variant bn: mlp_${i} with batchnorm(placement: before_activation)`,
      '  seeds: 1..3',
      '  sweep lr: [0.01, 0.1]',
      '  probe: [grad_norm, activations(layer: last_hidden)]',
      '}',
      '',
    );
  }
  return out.join('\n');
}

const text = generate(targetLines);
const lineCount = text.split('\n').length;
const times = [];
// CPU time too: on a shared machine wall-clock time mostly measures the other processes.
const cpuTimes = [];
for (let run = 0; run < 7; run++) {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = checkText(text, '/bench/generated.bnx');
  times.push(performance.now() - started);
  const used = process.cpuUsage(cpu);
  cpuTimes.push((used.user + used.system) / 1000);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || result.program === undefined) {
    console.error('the generated file does not validate:', errors.slice(0, 3));
    process.exit(1);
  }
}
const first = times[0];
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const medianMs = median(times);
console.log(
  JSON.stringify({
    benchmark: 'dsl parse + lower + validate',
    lines: lineCount,
    bytes: text.length,
    first_run_ms: Math.round(first * 10) / 10,
    median_ms: Math.round(medianMs * 10) / 10,
    median_cpu_ms: Math.round(median(cpuTimes) * 10) / 10,
    lines_per_s: Math.round(lineCount / (medianMs / 1000)),
  }),
);
