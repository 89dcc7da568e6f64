import type { BusProducer, OutgoingMessage, TopicNames } from '@dgt/bus';
import { canonicalJson, type DgtEvent } from '@dgt/events';
import { destinationOf as routeOf, isIngestible } from '@dgt/ingest/routing';
import type { SimMessage } from '../messages.ts';
import { type MessageSink, SinkError, type SinkStats } from './sink.ts';

/** Topic and key of an event exactly as the ingest gateway routes it; detections never go out. */
export function destinationOf(event: DgtEvent, topics: TopicNames): { topic: string; key: string } | null {
  return isIngestible(event) ? routeOf(event, topics) : null;
}

export interface BusSinkOptions {
  producer: BusProducer;
  topics: TopicNames;
  /** Messages buffered before a send. */
  batchSize?: number;
  /** Wall clock for the `dgt-ingested-at` header (the recorder's latency metric). */
  now?: () => Date;
}

/**
 * Publishes straight to the bus, as the ingest gateway would after validation: so malformed
 * messages are not published (the gateway would have refused them); they are counted as skipped.
 */
export class BusSink implements MessageSink {
  private readonly byTopic = new Map<string, OutgoingMessage[]>();
  private buffered = 0;
  private readonly counts: SinkStats = { sent: 0, accepted: 0, rejected: 0, skipped: 0 };

  constructor(private readonly o: BusSinkOptions) {}

  async write(m: SimMessage): Promise<void> {
    if (m.kind === 'malformed') {
      this.counts.skipped++;
      return;
    }
    const dest = destinationOf(m.event, this.o.topics);
    if (dest === null) {
      this.counts.skipped++;
      return;
    }
    const message: OutgoingMessage = {
      key: dest.key,
      value: Buffer.from(canonicalJson(m.event), 'utf8'),
      headers: { 'dgt-event-type': m.event.type, 'dgt-event-id': m.event.eventId, 'dgt-ingested-at': (this.o.now?.() ?? new Date()).toISOString() },
    };
    const list = this.byTopic.get(dest.topic);
    if (list) list.push(message);
    else this.byTopic.set(dest.topic, [message]);
    if (++this.buffered >= (this.o.batchSize ?? 1_000)) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buffered === 0) return;
    const batches = [...this.byTopic];
    const count = this.buffered;
    this.byTopic.clear();
    this.buffered = 0;
    try {
      // Zones and the register first: positions must never overtake the zones they are judged by.
      const order = [this.o.topics.zones, this.o.topics.consignments, this.o.topics.positions];
      batches.sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]));
      for (const [topic, messages] of batches) await this.o.producer.send(topic, messages);
    } catch (err) {
      throw new SinkError('PUBLISH_FAILED', `publishing to the bus failed: ${(err as Error).message}`);
    }
    this.counts.sent += count;
    this.counts.accepted += count;
  }

  async close(): Promise<void> {
    await this.flush();
  }

  stats(): SinkStats {
    return { ...this.counts };
  }
}
