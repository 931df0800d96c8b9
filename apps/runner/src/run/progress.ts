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
  runEnd(spec: RunSpec, record: RunResult): void;
  /** A line that must not be garbled by the bars (warnings, the interruption notice). */
  note(line: string): void;
  stop(): void;
}

const fmt = (v: number | null | undefined, digits = 4) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : 'n/a');

function runLine(record: RunResult): string {
  const last = record.history[record.history.length - 1];
  const sps = record.samples_per_second;
  const detail = record.status === 'failed' ? `: ${record.error ?? 'failed'}` : record.status === 'diverged' ? ` at step ${record.diverged_at_step ?? '?'}` : '';
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
  runEnd(spec: RunSpec, record: RunResult): void {
    // The driver reports evaluations in the record; they are printed as the run ends.
    for (const h of record.history) this.write(`  ${evaluationLine(spec.id, h)}`);
    this.done++;
    this.write(`[${this.done}/${this.total}] ${spec.id}: ${runLine(record)}`);
  }
  note(line: string): void {
    this.write(line);
  }
  stop(): void {}
}

/** Two live bars: overall runs (with ETA), and the current run's steps with epoch, loss and samples/s. */
export class TtyProgress implements ProgressReporter {
  private readonly bars: cliProgress.MultiBar;
  private overall: cliProgress.SingleBar | undefined;
  private current: cliProgress.SingleBar | undefined;
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
    this.overall = this.bars.create(total, alreadyDone, {}, { format: 'runs        |{bar}| {value}/{total} runs · elapsed {duration_formatted} · ETA {eta_formatted}' });
  }
  runStart(spec: RunSpec): void {
    this.current?.stop();
    if (this.current) this.bars.remove(this.current);
    this.current = this.bars.create(1, 0, { detail: spec.id }, { format: 'current run |{bar}| {value}/{total} steps · {detail}' });
  }
  progress(spec: RunSpec, p: RunProgress): void {
    this.current?.setTotal(p.totalSteps);
    this.current?.update(p.step, { detail: `epoch ${p.epoch + 1} · loss ${fmt(p.loss)} · ${Math.round(p.samplesPerSecond)} samples/s · ${spec.id}` });
  }
  runEnd(spec: RunSpec, record: RunResult): void {
    this.done++;
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
  runEnd(): void {}
  note(): void {}
  stop(): void {}
}
