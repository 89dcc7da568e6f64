import type { Bus, BusConsumer } from '@dgt/bus';
import { headerText } from '@dgt/bus';
import { driverMessageEventTypes, safeParseEvent } from '@dgt/events';
import type { Logger } from '../logger.ts';
import type { DriverMessageDispatcher } from './dispatcher.ts';
import type { DriverMessageMetrics } from './metrics.ts';

const wanted: ReadonlySet<string> = new Set(driverMessageEventTypes);

export interface DriverMessageFeedOptions {
  readonly bus: Bus;
  readonly topic: string;
  readonly groupId: string;
  readonly dispatcher: DriverMessageDispatcher;
  readonly clock: () => number;
  readonly metrics: DriverMessageMetrics;
  readonly logger: Logger;
}

/**
 * Reads driver message events from the consignments topic into the dispatcher: requests to send,
 * and other gateways' outcomes. Other events are skipped by their `dgt-event-type` header before
 * any parsing. A new group starts at the topic's end: a gateway deployed today does not send last
 * month's requests; an existing one resumes where it stopped.
 */
export async function startDriverMessageFeed(o: DriverMessageFeedOptions): Promise<BusConsumer> {
  const consumer = o.bus.consumer({
    groupId: o.groupId,
    startFrom: 'latest',
    onError: (error, where) => o.logger.error('driver message feed failed; the batch is redelivered', { error: String(error), ...where }),
  });
  await consumer.run({
    topics: [o.topic],
    eachBatch: async (batch) => {
      for (const message of batch.messages) {
        const type = headerText(message, 'dgt-event-type');
        if (type === undefined || !wanted.has(type)) continue;
        let json: unknown;
        try {
          json = JSON.parse(message.value.toString('utf8'));
        } catch (error) {
          o.metrics.invalid.inc();
          o.logger.warn('driver message event is not JSON; skipped', { offset: message.offset, partition: message.partition, error: String(error) });
          continue;
        }
        const parsed = safeParseEvent(json);
        if (!parsed.ok) {
          o.metrics.invalid.inc();
          // The message names the field (`data.text: must not be empty`).
          o.logger.warn('driver message event is invalid; skipped', { offset: message.offset, partition: message.partition, error: parsed.error.message });
          continue;
        }
        const event = parsed.event;
        const now = o.clock();
        switch (event.type) {
          case 'DriverMessageRequested':
            o.dispatcher.onRequested(event.data, event.occurredAt, now);
            break;
          case 'DriverMessageSent':
          case 'DriverMessageDelivered':
          case 'DriverMessageUndeliverable':
            o.dispatcher.onOutcome(event, now);
            break;
          default:
            // The header named a driver message type but the body is another event: not ours to act on.
            o.metrics.invalid.inc();
            o.logger.warn('event body type differs from its dgt-event-type header; skipped', { offset: message.offset, header: type, body: event.type });
        }
      }
    },
  });
  return consumer;
}
