// The docs/results.md generator on synthetic results whose right numbers are known by construction.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs module of the repository's scripts, without type declarations
import { derivedValue, entryVerdict, measuredRows, modelSizes, publishedRows, renderResults } from './generate-results.mjs';

const SEEDS = [1, 2, 3, 4, 5];

/** A run whose final validation accuracy and per-epoch training loss are given. */
function run(variant: string, seed: number, opts: { acc: number; losses?: number[]; params?: Record<string, number>; sps?: number }) {
  const losses = opts.losses ?? [0.5, 0.3];
  return {
    id: `${variant}__seed=${seed}`,
    variant,
    seed,
    params: opts.params ?? {},
    status: 'completed',
    history: losses.map((loss, i) => ({ step: (i + 1) * 100, epoch: i + 1, train_loss: loss, train_accuracy: opts.acc + 0.01, val_loss: loss + 0.1, val_accuracy: opts.acc })),
    step_losses: [1, 0.8, 0.9, 0.7, 0.75, 0.6],
    probes: {},
    samples_per_second: opts.sps ?? 1000,
    seconds: 2,
    steps: losses.length * 100,
    total_steps: losses.length * 100,
    backend: 'onnx',
    device: 'cpu',
    test: { loss: 0.2, accuracy: opts.acc },
  };
}

function results(runs: ReturnType<typeof run>[], claims: unknown[] = []) {
  return {
    schema: 'bnx.results/2',
    experiment: 'e',
    backend: 'onnx',
    device: 'cpu',
    engine: null,
    seeds: SEEDS,
    variants: [
      { name: 'baseline', batchnorm: false },
      { name: 'batchnorm', batchnorm: true },
    ],
    runs,
    claims,
    comparisons: [],
    time_to_target: [],
  };
}

// Baseline accuracy 0.90 + seed/1000; batchnorm exactly 0.02 higher on every seed but seed 5 (0.03).
const accuracy = (variant: string, seed: number) => 0.9 + seed / 1000 + (variant === 'batchnorm' ? (seed === 5 ? 0.03 : 0.02) : 0);
const plain = results(SEEDS.flatMap((s) => ['baseline', 'batchnorm'].map((v) => run(v, s, { acc: accuracy(v, s), losses: [0.5, v === 'batchnorm' ? 0.2 : 0.3] }))));

const entry = {
  name: 'synthetic',
  kind: 'study',
  file: 'examples/studies/synthetic.bnx',
  title: 'A synthetic study',
  question: 'Q?',
  claimed: 'batchnorm ends at 92.5%',
  claims: ['faster_convergence'],
  published: [
    { label: 'final accuracy, batchnorm', variant: 'batchnorm', measure: 'final', metric: 'val_accuracy', value: 0.925, tolerance: 0.005 },
    { label: 'epoch 2 training loss, baseline', variant: 'baseline', measure: 'history', metric: 'train_loss', epoch: 2, value: 0.1, tolerance: 0.01 },
  ],
  notes: ['A note that must reach the document.'],
};

describe('publishedRows', () => {
  it('sets the mean over seeds beside each published value and says whether it is within tolerance', () => {
    const rows = publishedRows(entry, plain);
    expect(rows).toHaveLength(2);
    // mean of 0.9 + s/1000 + 0.02 (+0.01 for seed 5) over s = 1..5: 0.903 + 0.022 = 0.925
    expect(rows[0].mean).toBeCloseTo(0.925, 12);
    expect(rows[0].within).toBe(true);
    expect(rows[0].bnx).toMatch(/^92\.5% ± [0-9.]+ points \(5 seeds\)$/);
    // The baseline's epoch-2 loss is 0.3 on every seed, 0.2 away from the published 0.1.
    expect(rows[1].mean).toBeCloseTo(0.3, 12);
    expect(rows[1].within).toBe(false);
  });

  it('gives one row per sweep point when the published value fixes no swept setting', () => {
    const swept = results(
      [0.01, 0.1].flatMap((lr) => SEEDS.flatMap((s) => ['baseline', 'batchnorm'].map((v) => run(v, s, { acc: lr === 0.1 ? 0.925 : 0.5, params: { lr } })))),
    );
    const rows = publishedRows({ ...entry, published: [entry.published[0]] }, swept);
    expect(rows.map((r: { label: string }) => r.label)).toEqual(['final accuracy, batchnorm (lr 0.01)', 'final accuracy, batchnorm (lr 0.1)']);
    expect(rows.map((r: { within: boolean }) => r.within)).toEqual([false, true]);
    // The summary says at which sweep point the study's numbers are matched (the rate it actually ran).
    const doc = renderResults({ entries: [{ ...entry, claims: [], published: [entry.published[0]] }] }, { synthetic: { results: swept } }, { runsDir: 'r', jobs: 1, machine: 'm', budget: 'b' });
    expect(doc).toContain('1 of 2 published numbers within tolerance: 0 of 1 at lr 0.01, 1 of 1 at lr 0.1.');
    // ...and the verdict names it.
    expect(entryVerdict(entry, swept, rows)).toBe('reproduced at lr 0.1 (1 of 2 numbers over all sweep points)');
  });
});

describe('entryVerdict', () => {
  it('is reproduced only when every counted number matches, and says when nothing ran', () => {
    const rows = publishedRows(entry, plain);
    expect(entryVerdict(entry, plain, rows)).toBe('partly reproduced (1 of 2 numbers)');
    expect(entryVerdict(entry, plain, [{ ...rows[0] }, { ...rows[1], excluded: 'a notebook artefact' }])).toBe('reproduced');
    expect(entryVerdict(entry, plain, rows.map((r: object) => ({ ...r, within: false })))).toBe('not reproduced');
    expect(entryVerdict(entry, undefined, [])).toBe('not run yet');
    // A study whose claims are qualitative (a figure) is decided by the tested claims.
    const figure = { ...entry, claims: ['faster_convergence', 'activation_stability'], verdict_from_claims: true };
    const claims = (a: string, b: string) => ({ ...plain, claims: [{ claim: 'faster_convergence', status: a }, { claim: 'activation_stability', status: b }] });
    expect(entryVerdict(figure, claims('supported', 'supported'), [])).toBe('reproduced (every claim supported)');
    expect(entryVerdict(figure, claims('supported', 'not_shown'), [])).toBe('not reproduced here (faster convergence: supported, activation stability: not shown)');
    expect(entryVerdict(figure, claims('contradicted', 'supported'), [])).toBe('contradicted');
    // A claim experiment gives its one claim's status, or each of several by name.
    const claimEntry = { ...entry, kind: 'claim', claims: ['faster_convergence', 'activation_stability'] };
    expect(entryVerdict(claimEntry, claims('supported', 'not_shown'), [])).toBe('faster convergence: supported, activation stability: not shown');
    expect(entryVerdict({ ...claimEntry, claims: ['activation_stability'] }, claims('supported', 'not_shown'), [])).toBe('not shown');
    expect(entryVerdict({ ...claimEntry, claims: [] }, claims('supported', 'not_shown'), [])).toBe('measured (no claim declared)');
  });
});

describe('measuredRows', () => {
  it('pairs each seed with the reference and gives the mean difference with a t interval', () => {
    const [row] = measuredRows({ measure: 'final_by_point', metric: 'val_accuracy' }, plain);
    expect(row.variant).toBe('batchnorm');
    expect(row.reference).toBe('baseline');
    // differences 0.02, 0.02, 0.02, 0.02, 0.03: mean 0.022, sd 0.004472; t(0.975, 4) = 2.776445
    expect(row.test.difference).toBeCloseTo(0.022, 12);
    const half = 2.7764451051977987 * (Math.sqrt(0.00002) / Math.sqrt(5));
    expect(row.test.ci95[0]).toBeCloseTo(0.022 - half, 9);
    expect(row.test.ci95[1]).toBeCloseTo(0.022 + half, 9);
    expect(row.test.n).toBe(5);
  });

  it('gives the step-time ratio minus one, per seed', () => {
    const timed = results(SEEDS.flatMap((s) => [run('baseline', s, { acc: 0.9, sps: 1000 }), run('batchnorm', s, { acc: 0.9, sps: 800 + s })]));
    const [row] = measuredRows({ measure: 'step_time_ratio' }, timed);
    const ratios = SEEDS.map((s) => 1000 / (800 + s));
    expect(row.test.difference).toBeCloseTo(ratios.reduce((a, b) => a + b, 0) / 5 - 1, 12);
    // Step times in microseconds per sample: 1,000 samples/s is 1,000 µs a sample.
    const doc = renderResults({ entries: [{ ...entry, published: [], claims: [], measured: [{ measure: 'step_time_ratio' }] }] }, { synthetic: { results: timed } }, { runsDir: 'r', jobs: 1, machine: 'm', budget: 'b' });
    // mean of 1e6 / (800 + s) over s = 1..5
    expect(doc).toMatch(/\| all \| batchnorm \| 1245\.3 ± [0-9.]+ µs\/sample \(5 seeds\) \| 1000\.0 ± 0\.0 µs\/sample \(5 seeds\) \| \+0\.2453, /);
  });

  it('sums up every variant at one sweep point when asked (summary_point), beside the claims', () => {
    const three = {
      ...results(
        [2, 32].flatMap((batch) => SEEDS.flatMap((s) => ['baseline', 'batchnorm', 'layernorm'].map((v) => run(v, s, { acc: v === 'batchnorm' && batch === 2 ? 0.5 + s / 1000 : 0.9 + s / 1000, params: { batch } })))),
        [{ claim: 'small_batch_degradation', status: 'supported', p_adjusted: 0.001, verdict: 'v' }],
      ),
      variants: [{ name: 'baseline', batchnorm: false }, { name: 'batchnorm', batchnorm: true }, { name: 'layernorm', batchnorm: false }],
    };
    const e = { ...entry, published: [], claims: ['small_batch_degradation'], measured: [{ measure: 'final_by_point', metric: 'val_accuracy', summary_point: { batch: 2 } }] };
    const row = renderResults({ entries: [e] }, { synthetic: { results: three } }, { runsDir: 'r', jobs: 1, machine: 'm', budget: 'b' }).split('\n').find((l: string) => l.startsWith('| ['))!;
    expect(row).toContain('small batch degradation: supported (Holm p = 0.001).');
    expect(row).toContain('final val accuracy, batchnorm against baseline (batch 2): -40.0 points');
    expect(row).toContain('final val accuracy, layernorm against baseline (batch 2): +0.0 points');
    expect(row).not.toContain('(batch 32)');
  });

  it('gives accuracy gaps in signed points', () => {
    const gap = results(SEEDS.flatMap((s) => [run('baseline', s, { acc: 0.9 }), run('batchnorm', s, { acc: 0.8 })]));
    const doc = renderResults({ entries: [{ ...entry, published: [], claims: [], measured: [{ measure: 'mode_gap' }] }] }, { synthetic: { results: gap } }, { runsDir: 'r', jobs: 1, machine: 'm', budget: 'b' });
    // train_accuracy is the validation accuracy + 0.01 in these runs: a +1-point gap for both variants.
    expect(doc).toContain('| all | batchnorm | +1.0 ± 0.0 points (5 seeds) | +1.0 ± 0.0 points (5 seeds) |');
  });
});

describe('modelSizes', () => {
  it('counts trainable values, buffers and the layer outputs of one sample, per variant', () => {
    const counts: Record<string, { trainable: number; nonTrainable: number; layers: { outputShape: number[] }[] }> = {
      plain: { trainable: 100, nonTrainable: 0, layers: [{ outputShape: [10] }, { outputShape: [10] }] },
      bn: { trainable: 120, nonTrainable: 20, layers: [{ outputShape: [10] }, { outputShape: [2, 3, 3] }] },
    };
    const experiment = { variants: [{ name: 'baseline', model: 'plain' }, { name: 'batchnorm', model: 'bn' }] };
    const sizes = modelSizes(experiment, (model: string) => counts[model]);
    expect(sizes).toEqual([
      { variant: 'baseline', trainable: 100, nonTrainable: 0, activationsPerSample: 20 },
      { variant: 'batchnorm', trainable: 120, nonTrainable: 20, activationsPerSample: 28 },
    ]);
    const entryWithSizes = { ...entry, published: [], claims: [], measured: [{ measure: 'model_size' }] };
    const swept = results(SEEDS.flatMap((s) => ['baseline', 'batchnorm'].map((v) => run(v, s, { acc: 0.9, params: { batch: 1000 } }))));
    const doc = renderResults({ entries: [entryWithSizes] }, { synthetic: { results: swept, modelSizes: sizes } }, { runsDir: 'r', jobs: 1, machine: 'm', budget: 'b' });
    // 28 floats of 4 bytes at batch 1,000: 0.112 MB
    expect(doc).toContain('| batchnorm | 120 | 20 | 28 | 0.11 MB |');
  });
});

describe('derivedValue', () => {
  const r = run('batchnorm', 1, { acc: 0.9, losses: [0.5, 0.2] });
  it('computes the generalization gap, the mode gap and the loss variation of one run', () => {
    expect(derivedValue(r, 'generalization_gap')).toBeCloseTo(0.1, 12);
    expect(derivedValue(r, 'mode_gap')).toBeCloseTo(0.01, 12);
    // second half of [1, 0.8, 0.9, 0.7, 0.75, 0.6]: [0.7, 0.75, 0.6] -> |0.05| + |-0.15| over 2
    expect(derivedValue(r, 'loss_variation')).toBeCloseTo(0.1, 12);
  });

  it('reads the relative drift of any activations probe, e.g. the one-unit one', () => {
    const trace = (values: number[][], unit?: number) => ({ layer: 'last_hidden', point: 'pre_activation', percentiles: [15, 50, 85], steps: values.map((_, i) => i * 100), values, ...(unit === undefined ? {} : { unit }) });
    const probed = { ...r, probes: { activations: [trace([[-1, 0, 1], [-1, 0, 1]]), trace([[-1, 0, 1], [-2, 0, 2]], 0)] } };
    expect(derivedValue(probed, { measure: 'activation_drift', probe: 0 })).toBe(0);
    // ranges 1, 0, 1 (mean 2/3) over spreads 2 and 4 (mean 3)
    expect(derivedValue(probed, { measure: 'activation_drift', probe: 1 })).toBeCloseTo(2 / 9, 12);
    expect(derivedValue(probed, { measure: 'activation_drift', probe: 2 })).toBeNull();
  });

  it('is missing for a diverged run, and refuses an unknown measure by name', () => {
    expect(derivedValue({ ...r, status: 'diverged' }, 'mode_gap')).toBeNull();
    expect(() => derivedValue(r, 'smoothness')).toThrow(/unknown measure 'smoothness'/);
  });
});

describe('renderResults', () => {
  const doc = renderResults({ entries: [entry, { ...entry, name: 'later', title: 'Not yet run' }] }, { synthetic: { results: plain, plan: { runs: plain.runs }, wallSeconds: 125, figures: ['results/synthetic/curve.svg'] } }, {
    runsDir: 'reproduce/runs',
    jobs: 1,
    machine: 'a test machine',
    budget: 'full budget',
  });

  it('opens with the summary table, one row per entry, linked to its section', () => {
    const table = doc.split('\n').filter((l: string) => l.startsWith('| ['));
    expect(table).toHaveLength(2);
    expect(table[0]).toContain('[A synthetic study](#a-synthetic-study)');
    expect(table[0]).toContain('1 of 2 published numbers within tolerance');
    expect(table[0]).toMatch(/\| partly reproduced \(1 of 2 numbers\) \|$/);
    expect(table[1]).toMatch(/\| not run yet \| not run yet \|$/);
  });

  it('gives each section its setup, runs, numbers beside the study, figures and reading', () => {
    expect(doc).toContain('## A synthetic study');
    expect(doc).toContain('10 of 10 planned runs finished, seeds 1, 2, 3, 4, 5; backend onnx on cpu');
    expect(doc).toContain('wall time 2.1 min');
    expect(doc).toContain('| final accuracy, batchnorm | 92.5% | 92.5% ±');
    expect(doc).toContain('![curve](results/synthetic/curve.svg)');
    expect(doc).toContain('- A note that must reach the document.');
    expect(doc).toContain('Not matched: epoch 2 training loss, baseline (study 0.1000, bnx 0.3000');
    expect(doc).toContain('**Not run yet.**');
  });

  it('says when an entry ran on fewer seeds than its file declares', () => {
    const one = results(['baseline', 'batchnorm'].map((v) => run(v, 1, { acc: 0.9 })));
    const cut = renderResults({ entries: [entry] }, { synthetic: { results: { ...one, seeds: [1] }, declaredSeeds: SEEDS } }, { runsDir: 'r', jobs: 1, machine: 'm', budget: 'b' });
    expect(cut).toContain("**Fewer seeds than the file's 5** (1, 2, 3, 4, 5)");
    expect(doc).not.toContain('Fewer seeds');
  });

  it('keeps the published numbers out of code: studies.json holds them', () => {
    const studies = JSON.parse(readFileSync(new URL('./studies.json', import.meta.url), 'utf8')) as { entries: { name: string; file: string }[] };
    expect(studies.entries.map((e) => e.name)).toContain('seed-mlp-sgd');
    const source = readFileSync(new URL('./generate-results.mjs', import.meta.url), 'utf8');
    expect(source).not.toMatch(/0\.2445|0\.0456|0\.885/);
  });
});
