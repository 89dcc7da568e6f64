import { defaultTopicPartitions, type Bus, type BusConsumer, type ReceivedMessage } from '@dgt/bus';
import { alertView, type AlertView } from '@dgt/readmodels';
import type { ApiMetrics } from '../apiMetrics.ts';
import type { AlertHub } from './alertHub.ts';

export interface AlertConsumerOptions {
  readonly bus: Bus;
  readonly topic: string;
  /** One group per API instance: every instance must see every alert. */
  readonly groupId: string;
  readonly hub: AlertHub;
  readonly metrics: ApiMetrics;
  readonly onError?: (error: unknown) => void;
}

/**
 * Consumes the alert topic into the hub from the newest offset (the stream is live; history is
 * in GET /v1/violations). A message that is not an AlertView is counted and skipped: throwing
 * would redeliver it forever.
 */
export async function startAlertConsumer({ bus, topic, groupId, hub, metrics, onError }: AlertConsumerOptions): Promise<BusConsumer> {
  await bus.ensureTopics([{ topic, partitions: defaultTopicPartitions.alerts }]);
  const consumer = bus.consumer({ groupId, startFrom: 'latest', ...(onError === undefined ? {} : { onError: (error) => onError(error) }) });
  await consumer.run({
    topics: [topic],
    eachBatch: async (batch) => {
      for (const message of batch.messages) {
        const alert = parseAlert(message);
        if (alert === undefined) metrics.alertsInvalid.inc();
        else hub.publish(alert);
      }
    },
  });
  return consumer;
}

export function parseAlert(message: Pick<ReceivedMessage, 'value'>): AlertView | undefined {
  let json: unknown;
  try {
    json = JSON.parse(message.value.toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = alertView.safeParse(json);
  // The id becomes the SSE `id:` line: a line break in it would forge frames.
  if (!parsed.success || /[\r\n]/.test(parsed.data.alertId)) return undefined;
  return parsed.data;
}
