// Runs the pending runs of a plan one after another: each dataset loaded once per seed, each record handed
// back as soon as its run ends (the caller stores it atomically), and a stop request honoured between and
// inside runs (the driver marks the current run interrupted).
import type { RunSpec } from '@bnx/ir';
import type { Backend, DeviceKind, HistoryPoint, RunProgress, RunRecord, TrainRunOptions } from '@bnx/core';
import type { LoadedDataset } from '@bnx/data';
import { groupByDataset } from './dataset-groups.js';
import { exportRunModel } from './export-model.js';

export interface ExecuteHooks {
  onRunStart?(spec: RunSpec): void;
  onProgress?(spec: RunSpec, progress: RunProgress): void;
  onEvaluation?(spec: RunSpec, entry: HistoryPoint): void;
  onRunEnd(spec: RunSpec, record: RunRecord): void;
}

export interface ExecuteOptions {
  backend: Backend;
  device: DeviceKind | 'auto';
  engine?: string;
  signal: AbortSignal;
  /** Where completed runs' trained models go as ONNX files (`--export`); absent: nowhere. */
  exportDir?: string;
  loadData(spec: RunSpec): Promise<LoadedDataset>;
  train(spec: RunSpec, options: TrainRunOptions): Promise<RunRecord>;
}

export async function executeSerially(pending: readonly RunSpec[], options: ExecuteOptions, hooks: ExecuteHooks): Promise<void> {
  for (const group of groupByDataset(pending)) {
    if (options.signal.aborted) return;
    const data = await options.loadData(group[0]!);
    for (const spec of group) {
      if (options.signal.aborted) return;
      hooks.onRunStart?.(spec);
      const record = await options.train(spec, {
        backend: options.backend,
        device: options.device,
        engine: options.engine,
        data,
        signal: options.signal,
        onProgress: (p) => hooks.onProgress?.(spec, p),
        onEvaluation: (entry) => hooks.onEvaluation?.(spec, entry),
        onFinalState: options.exportDir ? (state) => void exportRunModel(options.exportDir!, spec, state) : undefined,
      });
      hooks.onRunEnd(spec, record);
    }
  }
}
