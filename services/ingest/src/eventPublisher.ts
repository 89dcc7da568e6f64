import { SerialProducer, type BusProducer, type OutgoingMessage, type TopicNames } from '@dgt/bus';
import { destinationOf, type IngestibleEvent } from './eventRouting.ts';
import type { PreparedEvent } from './knownEvents.ts';

export class PublishTimeoutError extends Error {
  override readonly name = 'PublishTimeoutError';
  readonly code = 'PUBLISH_TIMEOUT';
}

export interface EventPublisherOptions {
  /** Called once, and again after every failed send (see SerialProducer in @dgt/bus). */
  readonly createProducer: () => BusProducer;
  readonly topics: TopicNames;
  readonly timeoutMs: number;
  /** Wall clock for the `dgt-ingested-at` header. */
  readonly now?: () => Date;
  /** Told about sends that failed after their request had already timed out. */
  readonly onLateFailure?: (error: unknown) => void;
}

/**
 * Publishes one batch: one `send` per topic, topics in parallel, in item order (so per-key
 * order is the client's order); batches of concurrent requests queue per topic. Resolves after every broker acknowledgement; rejects on the first
 * failure or after `timeoutMs`, in which case some topics may already hold their part — the
 * client retries the whole batch and the event store drops the duplicates by eventId.
 */
export class EventPublisher {
  private readonly producer: SerialProducer;

  constructor(private readonly options: EventPublisherOptions) {
    this.producer = new SerialProducer(options.createProducer);
  }

  /** Each event's canonical JSON is written once, by the caller. */
  async publish(events: readonly PreparedEvent<IngestibleEvent>[]): Promise<void> {
    if (events.length === 0) return;
    const byTopic = this.messagesByTopic(events);
    const deadline = { passed: false };
    const sends = Promise.all(
      [...byTopic].map(([topic, messages]) => this.producer.send(topic, messages, () => deadline.passed)),
    );
    await withTimeout(sends, this.options.timeoutMs, deadline, this.options.onLateFailure);
  }

  /** Lets queued sends finish, then flushes and closes the producer. */
  close(): Promise<void> {
    return this.producer.close(this.options.timeoutMs);
  }

  private messagesByTopic(events: readonly PreparedEvent<IngestibleEvent>[]): Map<string, OutgoingMessage[]> {
    const ingestedAt = (this.options.now?.() ?? new Date()).toISOString();
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const { event, json } of events) {
      const { topic, key } = destinationOf(event, this.options.topics);
      const message: OutgoingMessage = {
        key,
        value: json,
        headers: { 'dgt-event-type': event.type, 'dgt-event-id': event.eventId, 'dgt-ingested-at': ingestedAt },
      };
      const list = byTopic.get(topic);
      if (list === undefined) byTopic.set(topic, [message]);
      else list.push(message);
    }
    return byTopic;
  }
}

async function withTimeout(
  work: Promise<unknown>,
  ms: number,
  deadline: { passed: boolean },
  onLateFailure?: (error: unknown) => void,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      deadline.passed = true;
      reject(new PublishTimeoutError(`the broker did not acknowledge within ${ms} ms`));
    }, ms);
  });
  // The send keeps retrying in the background after a timeout; its outcome no longer has a caller.
  work.catch((error: unknown) => {
    if (deadline.passed) onLateFailure?.(error);
  });
  try {
    await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
