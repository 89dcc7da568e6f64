import { canonicalJson } from '@dgt/events';
import type { SimMessage } from '../messages.ts';
import { type MessageSink, SinkError, type SinkStats } from './sink.ts';

export interface HttpIngestOptions {
  /** Base URL of the ingest gateway (`/v1/events` is appended unless already there). */
  url: string;
  apiKey: string;
  /** Events per POST (the gateway's default maximum is 5,000). */
  batchSize?: number;
  fetch?: typeof fetch;
  /** Retries of a batch answered 5xx or not answered at all. */
  retries?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * POSTs NDJSON batches to the ingest HTTP API. Malformed messages travel in the batches like
 * any other line: the gateway refuses each on its own (that is what they are there to test).
 * A retried batch is safe: the gateway answers what it has already as `duplicates`, counted here
 * as accepted (it has them); `conflicts` (another event under the id) count as rejected. A 429
 * waits for its Retry-After and does not use up the retries.
 */
export class HttpIngestSink implements MessageSink {
  private lines: string[] = [];
  private readonly endpoint: string;
  private readonly counts: SinkStats = { sent: 0, accepted: 0, rejected: 0, skipped: 0 };

  constructor(private readonly o: HttpIngestOptions) {
    const base = o.url.replace(/\/+$/, '');
    this.endpoint = base.endsWith('/v1/events') ? base : `${base}/v1/events`;
  }

  async write(m: SimMessage): Promise<void> {
    // Time in the record is the recorder's: ingest refuses ClockTicked, so they are not posted.
    if (m.kind === 'event' && m.event.type === 'ClockTicked') {
      this.counts.skipped++;
      return;
    }
    this.lines.push(m.kind === 'event' ? canonicalJson(m.event) : m.raw);
    if (this.lines.length >= (this.o.batchSize ?? 1_000)) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.lines.length === 0) return;
    const body = this.lines.join('\n') + '\n';
    const count = this.lines.length;
    this.lines = [];
    const doFetch = this.o.fetch ?? fetch;
    const sleep = this.o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const retries = this.o.retries ?? 5;
    for (let attempt = 0; ; attempt++) {
      let failure: string;
      try {
        const res = await doFetch(this.endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/x-ndjson', 'x-api-key': this.o.apiKey },
          body,
        });
        if (res.status === 202 || res.status === 409) {
          const answer = (await res.json()) as { accepted: number; rejected: number; duplicates?: number; conflicts?: number };
          this.counts.sent += count;
          this.counts.accepted += answer.accepted + (answer.duplicates ?? 0);
          this.counts.rejected += answer.rejected + (answer.conflicts ?? 0);
          return;
        }
        if (res.status === 429) {
          await res.body?.cancel();
          attempt--;
          await sleep(Math.max(1, Number(res.headers.get('retry-after')) || 1) * 1000);
          continue;
        }
        const text = await res.text();
        failure = `${this.endpoint} answered ${res.status}: ${text.slice(0, 300)}`;
        if (res.status < 500) throw new SinkError('INGEST_FAILED', failure);
      } catch (err) {
        if (err instanceof SinkError) throw err;
        failure = `${this.endpoint}: ${(err as Error).message}`;
      }
      if (attempt >= retries) throw new SinkError('INGEST_FAILED', `${failure} (gave up after ${retries + 1} attempts)`);
      await sleep(Math.min(10_000, 250 * 2 ** attempt));
    }
  }

  async close(): Promise<void> {
    await this.flush();
  }

  stats(): SinkStats {
    return { ...this.counts };
  }
}
