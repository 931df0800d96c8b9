// What `bnx run` shows while it works: live bars on a terminal (cli-progress), plain lines otherwise
// (CI logs, pipes), nothing with --json or --quiet.
import cliProgress from 'cli-progress';
import type { RunSpec } from '@bnx/ir';
import type { RunProgress } from '@bnx/core';
import type { RunResult } from '@bnx/metrics';

export interface ProgressReporter {
  start(total: number, alreadyDone: number): void;
  runStart(spec: RunSpec): void;
  progress(spec: RunSpec, p: RunProgress): void;
  /** One evaluation point of a run, as it is measured. */
  evaluation(spec: RunSpec, entry: RunResult['history'][number]): void;
  runEnd(spec: RunSpec, record: RunResult): void;
  /** A line that must not be garbled by the bars (warnings, the interruption notice). */
  note(line: string): void;
  stop(): void;
}

const fmt = (v: number | null | undefined, digits = 4) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : 'n/a');

function runLine(record: RunResult): string {
  const last = record.history[record.history.length - 1];
  const sps = record.samples_per_second;
  const detail =
    record.status === 'failed' ? `: ${record.error ?? 'failed'}` : record.status === 'diverged' ? ` at step ${record.diverged_at_step ?? '?'}` : '';
  return `${record.status}${detail}; val_accuracy ${fmt(last?.val_accuracy)}, val_loss ${fmt(last?.val_loss)}, ${sps ? Math.round(sps) : 'n/a'} samples/s`;
}

export function evaluationLine(id: string, h: RunResult['history'][number]): string {
  return `${id} step ${h.step} epoch ${h.epoch.toFixed(2)}: train_loss ${fmt(h.train_loss)} train_accuracy ${fmt(h.train_accuracy)} val_loss ${fmt(h.val_loss)} val_accuracy ${fmt(h.val_accuracy)} (${h.seconds.toFixed(1)} s)`;
}

/** One line per evaluation point and one per finished run, for logs. */
export class PlainProgress implements ProgressReporter {
  private done = 0;
  private total = 0;
  constructor(private readonly write: (line: string) => void) {}
  start(total: number, alreadyDone: number): void {
    this.total = total;
    this.done = alreadyDone;
    this.write(`bnx: ${total} runs${alreadyDone > 0 ? `, ${alreadyDone} already finished` : ''}`);
  }
  runStart(spec: RunSpec): void {
    this.write(`[${this.done + 1}/${this.total}] ${spec.id}: training`);
  }
  progress(): void {}
  evaluation(spec: RunSpec, entry: RunResult['history'][number]): void {
    this.write(`  ${evaluationLine(spec.id, entry)}`);
  }
  runEnd(spec: RunSpec, record: RunResult): void {
    this.done++;
    this.write(`[${this.done}/${this.total}] ${spec.id}: ${runLine(record)}`);
  }
  note(line: string): void {
    this.write(line);
  }
  stop(): void {}
}

/**
 * Live bars: overall runs (with ETA), and one per run in progress (several with --jobs) showing its steps,
 * epoch, loss and samples/s.
 */
export class TtyProgress implements ProgressReporter {
  private readonly bars: cliProgress.MultiBar;
  private overall: cliProgress.SingleBar | undefined;
  private readonly current = new Map<string, cliProgress.SingleBar>();
  private done = 0;

  constructor(stream: NodeJS.WriteStream) {
    this.bars = new cliProgress.MultiBar(
      {
        stream,
        hideCursor: true,
        clearOnComplete: false,
        autopadding: true,
        barsize: 24,
      },
      cliProgress.Presets.shades_classic,
    );
  }
  start(total: number, alreadyDone: number): void {
    this.done = alreadyDone;
    this.overall = this.bars.create(
      total,
      alreadyDone,
      {},
      { format: 'runs        |{bar}| {value}/{total} runs · elapsed {duration_formatted} · ETA {eta_formatted}' },
    );
  }
  runStart(spec: RunSpec): void {
    this.current.set(spec.id, this.bars.create(1, 0, { detail: spec.id }, { format: 'current run |{bar}| {value}/{total} steps · {detail}' }));
  }
  progress(spec: RunSpec, p: RunProgress): void {
    const bar = this.current.get(spec.id);
    bar?.setTotal(p.totalSteps);
    bar?.update(p.step, { detail: `epoch ${p.epoch + 1} · loss ${fmt(p.loss)} · ${Math.round(p.samplesPerSecond)} samples/s · ${spec.id}` });
  }
  evaluation(): void {}
  runEnd(spec: RunSpec, record: RunResult): void {
    this.done++;
    const bar = this.current.get(spec.id);
    if (bar) {
      bar.stop();
      this.bars.remove(bar);
      this.current.delete(spec.id);
    }
    this.bars.log(`${spec.id}: ${runLine(record)}\n`);
    this.overall?.update(this.done);
  }
  note(line: string): void {
    this.bars.log(`${line}\n`);
  }
  stop(): void {
    this.bars.stop();
  }
}

export class SilentProgress implements ProgressReporter {
  start(): void {}
  runStart(): void {}
  progress(): void {}
  evaluation(): void {}
  runEnd(): void {}
  note(): void {}
  stop(): void {}
}
