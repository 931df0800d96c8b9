import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '@bnx/metrics';
import { recordRunOnce, runNumbers } from './record-once.js';

const record = (overrides: Partial<RunResult> = {}): RunResult => ({
  id: 'baseline__seed=1',
  variant: 'baseline',
  seed: 1,
  params: {},
  status: 'completed',
  history: [{ step: 10, epoch: 1, train_loss: 0.5, train_accuracy: 0.8, val_loss: 0.6, val_accuracy: 0.75, seconds: 1.5 }],
  step_losses: [0.9, Number.NaN],
  test: { loss: 0.6, accuracy: 0.74 },
  probes: {},
  samples_per_second: 1000,
  seconds: 2,
  backend: 'onnx',
  device: 'cpu',
  ...overrides,
});

describe('recording a run once', () => {
  it('compares numbers without wall-clock timings; NaN in memory equals null on disk', () => {
    const slower = record({ seconds: 9, samples_per_second: 10, history: [{ ...record().history[0]!, seconds: 7 }], step_losses: [0.9, null] });
    expect(runNumbers(slower)).toBe(runNumbers(record()));
    expect(runNumbers(record({ test: { loss: 0.6, accuracy: 0.75 } }))).not.toBe(runNumbers(record()));
  });

  it('the first finished record wins; an identical second one is dropped; a different one is an error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bnx-once-'));
    expect(recordRunOnce(dir, record()).outcome).toBe('stored');
    const first = readFileSync(join(dir, 'runs', 'baseline__seed=1.json'), 'utf8');
    expect(recordRunOnce(dir, record({ seconds: 5 })).outcome).toBe('duplicate');
    expect(readFileSync(join(dir, 'runs', 'baseline__seed=1.json'), 'utf8')).toBe(first);
    expect(() => recordRunOnce(dir, record({ step_losses: [0.8, 0.1] }), 'the record from the queue')).toThrow(
      /run baseline__seed=1: the record from the queue has a different result than .*baseline__seed=1\.json \(step_losses differs\)/,
    );
  });

  it('a failed or interrupted record is replaced by a new one, as --resume reruns such runs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bnx-once-'));
    recordRunOnce(dir, record({ status: 'failed', error: 'out of memory' }));
    expect(recordRunOnce(dir, record()).outcome).toBe('stored');
    expect(JSON.parse(readFileSync(join(dir, 'runs', 'baseline__seed=1.json'), 'utf8')).status).toBe('completed');
  });
});
