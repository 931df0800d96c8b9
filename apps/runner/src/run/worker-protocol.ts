// Messages between `bnx run --jobs N` and its worker threads.
import type { Diagnostic, RunSpec } from '@bnx/ir';
import type { HistoryPoint, RunProgress, RunRecord } from '@bnx/core';

export interface WorkerSetup {
  backend: string;
  device: 'cpu' | 'cuda' | 'auto';
  engine?: string;
  exportDir?: string;
}

export type ToWorker = { type: 'run'; spec: RunSpec } | { type: 'abort' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'progress'; id: string; progress: RunProgress }
  | { type: 'evaluation'; id: string; entry: HistoryPoint }
  | { type: 'done'; id: string; record: RunRecord }
  | { type: 'error'; id: string; message: string; userError: boolean; diagnostics: Diagnostic[] };
