import type { Bus, BusProducer } from '@dgt/bus';
import { SerialProducer } from '@dgt/bus';
import type { DriverMessageRequestedData, EventOf } from '@dgt/events';
import { driverMessageEventId, parseEvent } from '@dgt/events';

/**
 * Where a request to message a driver goes: the consignments topic, keyed by the vehicle. That
 * topic is durable (Kafka, or the stack's SQLite bus), the recorder already records it (so the
 * request is on the vehicle's `driver-messages-` stream), and every JT/T 808 gateway reads it
 * with a group of its own, so whichever holds the terminal sends. A topic of its own would need
 * every deployment and the stack to provision and record one more topic for a few messages a day.
 */
export interface DriverMessageRequests {
  /** Resolves once the bus holds the request (durably, on Kafka or the stack's bus). */
  publish(data: DriverMessageRequestedData, now: Date): Promise<EventOf<'DriverMessageRequested'>>;
  close(): Promise<void>;
}

export function busDriverMessageRequests(bus: Bus, topic: string): DriverMessageRequests {
  let producer: SerialProducer | undefined;
  const open = (): BusProducer => (producer ??= new SerialProducer(() => bus.producer()));
  return {
    async publish(data, now) {
      const occurredAt = now.toISOString();
      // Checked against the catalog here, so the recorder never dead-letters what the API wrote.
      const event = parseEvent({ eventId: driverMessageEventId(data.messageId, 'requested'), type: 'DriverMessageRequested', occurredAt, data }) as EventOf<'DriverMessageRequested'>;
      await open().send(topic, [
        {
          key: data.vehicleId,
          value: JSON.stringify(event),
          headers: { 'dgt-event-type': event.type, 'dgt-event-id': event.eventId, 'dgt-ingested-at': occurredAt },
        },
      ]);
      return event;
    },
    close: async () => producer?.close(),
  };
}
