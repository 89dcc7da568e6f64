import type { Registry } from 'prom-client';
import { Counter, Gauge } from 'prom-client';

/** What became of driver messages at this gateway: the `outcome` label of dgt_jt808_driver_messages_total. */
export const driverMessageOutcomes = ['sent', 'delivered', 'refused', 'no-reply', 'not-connected', 'not-encodable'] as const;
export type DriverMessageOutcomeLabel = (typeof driverMessageOutcomes)[number];

export interface DriverMessageMetrics {
  outcome(label: DriverMessageOutcomeLabel): { inc(): void };
  /** Requests waiting for their terminal (`pending`) and 0x8300 waiting for a 0x0001 (`awaiting`). */
  readonly waiting: Gauge;
  /** Driver message events on the topic that are not valid catalog events (skipped, logged with the field). */
  readonly invalid: Counter;
  /** Sends of outcome events the bus refused (kept and retried). */
  readonly publishFailures: Counter;
}

export function createDriverMessageMetrics(registry: Registry): DriverMessageMetrics {
  const registers = [registry];
  const outcomes = new Counter({ name: 'dgt_jt808_driver_messages_total', help: 'Driver messages (0x8300) by outcome: sent, delivered, refused, no-reply, not-connected, not-encodable.', labelNames: ['outcome'], registers });
  for (const o of driverMessageOutcomes) outcomes.labels(o);
  return {
    outcome: (label) => outcomes.labels(label),
    waiting: new Gauge({ name: 'dgt_jt808_driver_messages_waiting', help: 'Driver messages waiting at this gateway: for their terminal (pending) or for its 0x0001 (awaiting).', labelNames: ['state'], registers }),
    invalid: new Counter({ name: 'dgt_jt808_driver_message_events_invalid_total', help: 'Driver message events on the consignments topic that failed validation (skipped).', registers }),
    publishFailures: new Counter({ name: 'dgt_jt808_driver_message_publish_failures_total', help: 'Sends of driver message outcomes the bus refused (retried).', registers }),
  };
}
