import type { BusProducer, OutgoingMessage } from '@dgt/bus';
import type { Logger } from './logger.ts';
import type { GatewayMetrics } from './metrics.ts';
import type { TerminalStateStore } from './state/terminalStateStore.ts';

export interface TerminalEventOutboxOptions {
  readonly store: TerminalStateStore;
  readonly producer: Pick<BusProducer, 'send'>;
  readonly topic: string;
  readonly metrics: GatewayMetrics;
  readonly logger: Logger;
  /** Wall clock for the `dgt-ingested-at` header. */
  readonly clock: () => number;
  /** Events per send. */
  readonly batchSize?: number;
}

/**
 * Publishes the state store's outbox (TerminalRegistered, TerminalRegistrationReset) to the bus,
 * and forgets an event only after the bus acknowledged it: at least once, in order; the event
 * store keeps each id once. Whoever wrote the event — the gateway at registration, `dgt terminals
 * reset` in another process — only had to commit it to the file.
 */
export class TerminalEventOutbox {
  private running: Promise<void> | undefined;
  private again = false;

  constructor(private readonly options: TerminalEventOutboxOptions) {}

  /** Publishes whatever is waiting; calls made while a drain runs are folded into one more pass. */
  drain(): Promise<void> {
    if (this.running !== undefined) {
      this.again = true;
      return this.running;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async loop(): Promise<void> {
    const { store, metrics, logger } = this.options;
    const batchSize = this.options.batchSize ?? 100;
    do {
      this.again = false;
      for (;;) {
        const pending = store.pendingEvents(batchSize);
        if (pending.length === 0) break;
        const ingestedAt = new Date(this.options.clock()).toISOString();
        const messages: OutgoingMessage[] = pending.map((e) => ({
          key: e.key,
          value: Buffer.from(e.json, 'utf8'),
          headers: { 'dgt-event-type': e.type, 'dgt-event-id': e.eventId, 'dgt-ingested-at': ingestedAt },
        }));
        try {
          await this.options.producer.send(this.options.topic, messages);
        } catch (error) {
          metrics.outboxFailures.inc();
          logger.warn('bus did not accept terminal registration events; they stay in the outbox and are retried', { events: pending.length, error: String(error) });
          return;
        }
        store.markPublished(pending.map((e) => e.seq));
        metrics.outboxPublished.inc(pending.length);
      }
    } while (this.again);
  }
}
