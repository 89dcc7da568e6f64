import type { Writable } from 'node:stream';
import { canonicalJson } from '@dgt/events';
import type { SimMessage } from '../messages.ts';
import type { MessageSink, SinkStats } from './sink.ts';

/**
 * Canonical NDJSON, one event per line, in arrival order. Malformed messages go to their own
 * stream when one is given (so the main file stays valid input for `dgt detect`), else are dropped.
 */
export class NdjsonSink implements MessageSink {
  private buffer = '';
  private malformedBuffer = '';
  private readonly counts: SinkStats = { sent: 0, accepted: 0, rejected: 0, skipped: 0 };

  constructor(
    private readonly out: Writable,
    private readonly malformedOut: Writable | null = null,
  ) {}

  async write(m: SimMessage): Promise<void> {
    if (m.kind === 'malformed') {
      if (this.malformedOut === null) {
        this.counts.skipped++;
        return;
      }
      this.malformedBuffer += m.raw + '\n';
    } else {
      this.buffer += canonicalJson(m.event) + '\n';
    }
    this.counts.sent++;
    if (this.buffer.length >= 256 * 1024 || this.malformedBuffer.length >= 64 * 1024) await this.flush();
  }

  async flush(): Promise<void> {
    await writeAll(this.out, this.buffer);
    this.buffer = '';
    if (this.malformedOut !== null) await writeAll(this.malformedOut, this.malformedBuffer);
    this.malformedBuffer = '';
  }

  async close(): Promise<void> {
    await this.flush();
  }

  stats(): SinkStats {
    return { ...this.counts };
  }
}

async function writeAll(out: Writable, text: string): Promise<void> {
  if (text.length === 0) return;
  if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', resolve));
}
