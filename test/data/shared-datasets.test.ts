// Every dataset declared in the acceptance files (shared/bnx) loads through @bnx/dsl -> @bnx/ir -> @bnx/data,
// with the sample shape and class count that @bnx/ir's datasetSampleShape/datasetClassCount promise before loading, and fits the
// input of every model an experiment feeds it (a leading channel axis of 1 may be left out).
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFile } from '@bnx/dsl';
import type { DatasetIR } from '@bnx/ir';
import { loadDataset } from '@bnx/data';
import { datasetClassCount, datasetSampleShape } from '@bnx/ir';

const dir = process.env.BNX_SHARED_BNX_DIR ?? fileURLToPath(new URL('../../examples/', import.meta.url));
// Fashion-MNIST's parsed cache lives in the git-ignored test-artifacts/ so that later runs skip the JSON parse.
const cacheDir = fileURLToPath(new URL('../../test-artifacts/bnx-cache', import.meta.url));

const fits = (input: number[], shape: number[]) => input.join(',') === shape.join(',') || (shape[0] === 1 && input.join(',') === shape.slice(1).join(','));

describe('datasets of shared/bnx', () => {
  it('load with the promised shapes and fit their experiments', async () => {
    const loaded = new Map<string, { ir: DatasetIR; shape: number[] }>();
    const files = readdirSync(dir).filter((f) => f.endsWith('.bnx'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const { program, diagnostics } = checkFile(join(dir, file));
      expect(program, `${file}: ${diagnostics.map((d) => d.message).join('; ')}`).toBeDefined();
      for (const ir of program!.datasets) {
        const key = JSON.stringify({
          source: ir.source,
          subset: ir.subset,
          validation: ir.validation,
          preprocess: ir.preprocess.map((p) => ({ ...p, loc: undefined })),
        });
        let entry = loaded.get(key);
        if (!entry) {
          const data = await loadDataset(ir, { seed: 1, cacheDir });
          expect(data.train.count, `${file}: ${ir.name}`).toBeGreaterThan(0);
          expect(data.test.count).toBeGreaterThan(0);
          expect(data.validation === null, `${file}: ${ir.name} validation`).toBe(ir.validation === undefined);
          expect(data.train.sampleShape).toEqual(datasetSampleShape(ir));
          expect(data.train.numClasses).toBe(datasetClassCount(ir));
          entry = { ir, shape: data.train.sampleShape };
          loaded.set(key, entry);
        }
        for (const experiment of program!.experiments.filter((e) => e.data === ir.name)) {
          for (const variant of experiment.variants) {
            expect(
              fits(variant.model.input, entry.shape),
              `${file}: ${experiment.name}/${variant.name} input (${variant.model.input}) vs data (${entry.shape})`,
            ).toBe(true);
          }
        }
      }
    }
  });
});
