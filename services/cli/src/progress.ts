import type { Writable } from 'node:stream';

export interface ProgressOptions {
  label: string;
  /** Total units of work when known (bytes or events), for the bar and ETA. */
  total: number | null;
  unit: string;
  out: Writable & { isTTY?: boolean };
  /** Show nothing for runs shorter than this. */
  delayMs?: number;
  enabled?: boolean;
}

/**
 * A progress line on stderr for long runs: processed, rate, ETA. Silent when stderr is not a
 * terminal (pipes, CI logs) or for runs that finish quickly.
 */
export class Progress {
  private readonly started = performance.now();
  private lastDraw = 0;
  private drawn = false;
  private readonly enabled: boolean;

  constructor(private readonly opts: ProgressOptions) {
    this.enabled = opts.enabled ?? Boolean(opts.out.isTTY);
  }

  update(done: number, events: number): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (now - this.started < (this.opts.delayMs ?? 1500) || now - this.lastDraw < 200) return;
    this.lastDraw = now;
    const elapsedS = (now - this.started) / 1000;
    const rate = events / elapsedS;
    let line = `${this.opts.label} ${events.toLocaleString('en')} events, ${Math.round(rate).toLocaleString('en')}/s`;
    const { total } = this.opts;
    if (total !== null && total > 0) {
      const frac = Math.min(1, done / total);
      const width = 24;
      const filled = Math.round(frac * width);
      const etaS = frac > 0 ? elapsedS * (1 / frac - 1) : 0;
      line = `${this.opts.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(0)}% ${events.toLocaleString('en')} events, ${Math.round(rate).toLocaleString('en')}/s, ETA ${formatSeconds(etaS)}`;
    }
    this.opts.out.write(`\r${line}\x1b[K`);
    this.drawn = true;
  }

  done(): void {
    if (this.drawn) this.opts.out.write('\r\x1b[K');
  }
}

function formatSeconds(s: number): string {
  if (s < 60) return `${Math.ceil(s)}s`;
  return `${Math.floor(s / 60)}m${String(Math.ceil(s % 60)).padStart(2, '0')}s`;
}
