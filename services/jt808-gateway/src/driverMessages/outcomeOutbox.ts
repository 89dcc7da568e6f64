import type { BusProducer, OutgoingMessage } from '@dgt/bus';
import type { Logger } from '../logger.ts';
import type { DriverMessageOutcome } from './dispatcher.ts';
import type { DriverMessageMetrics } from './metrics.ts';

/**
 * Publishes the dispatcher's outcomes to the consignments topic (key: the vehicle, so a message's
 * steps stay in order), in order, retrying what the bus refused at the next flush. Held in memory:
 * a gateway that dies with outcomes unsent leaves those messages `sent` (or `requested`) in the record.
 */
export class OutcomeOutbox {
  private readonly queue: DriverMessageOutcome[] = [];
  private running: Promise<void> | undefined;

  constructor(
    private readonly options: {
      readonly producer: Pick<BusProducer, 'send'>;
      readonly topic: string;
      readonly clock: () => number;
      readonly metrics: DriverMessageMetrics;
      readonly logger: Logger;
    },
  ) {}

  get size(): number {
    return this.queue.length;
  }

  push(event: DriverMessageOutcome): void {
    this.queue.push(event);
    void this.flush();
  }

  /** Sends what is queued; one send at a time, so the topic keeps the dispatcher's order. */
  flush(): Promise<void> {
    this.running ??= this.loop().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async loop(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, 100);
      const ingestedAt = new Date(this.options.clock()).toISOString();
      const messages: OutgoingMessage[] = batch.map((e) => ({
        key: e.data.vehicleId,
        value: Buffer.from(JSON.stringify(e), 'utf8'),
        headers: { 'dgt-event-type': e.type, 'dgt-event-id': e.eventId, 'dgt-ingested-at': ingestedAt },
      }));
      try {
        await this.options.producer.send(this.options.topic, messages);
      } catch (error) {
        this.options.metrics.publishFailures.inc();
        this.options.logger.warn('bus did not accept driver message outcomes; retried at the next tick', { events: batch.length, error: String(error) });
        return;
      }
      this.queue.splice(0, batch.length);
    }
  }
}
