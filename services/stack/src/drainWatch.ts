import { setTimeout as sleep } from 'node:timers/promises';
import type { Bus, BusConsumer, BusProducer, ConsumerOptions, RunOptions } from '@dgt/bus';

export interface DrainWatch {
  /** The bus to hand to the publishers and to the watched consumer group. */
  readonly bus: Bus;
  /** Messages published to the watched topics that the group has not handled yet. */
  backlog(): number;
  /** Resolves true once the backlog is empty, false if it is not within `timeoutMs`. */
  drained(timeoutMs: number): Promise<boolean>;
}

/**
 * Counts what is published to some topics and what one consumer group has handled of it.
 * The in-process bus keeps messages in memory only: a gateway that answered 202 has handed its
 * events to the bus, not to the store, so a clean stop must wait until the recorder has
 * recorded them all. (Kafka keeps them; there the recorder resumes from its committed offsets.)
 */
export function watchDrain(inner: Bus, topics: readonly string[], groupId: string): DrainWatch {
  const watched = new Set(topics);
  let published = 0;
  let handled = 0;

  const producer = (): BusProducer => {
    const p = inner.producer();
    return {
      send: async (topic, messages) => {
        await p.send(topic, messages);
        if (watched.has(topic)) published += messages.length;
      },
      close: () => p.close(),
    };
  };

  const consumer = (options: ConsumerOptions): BusConsumer => {
    const c = inner.consumer(options);
    if (options.groupId !== groupId) return c;
    return {
      run: (run: RunOptions) =>
        c.run({
          topics: run.topics,
          eachBatch: async (batch) => {
            await run.eachBatch(batch);
            if (watched.has(batch.topic)) handled += batch.messages.length;
          },
        }),
      stop: () => c.stop(),
    };
  };

  const bus: Bus = {
    durable: inner.durable,
    ensureTopics: (specs) => inner.ensureTopics(specs),
    producer,
    consumer,
    close: () => inner.close(),
  };
  const backlog = (): number => Math.max(0, published - handled);
  return {
    bus,
    backlog,
    async drained(timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      while (backlog() > 0) {
        if (performance.now() >= deadline) return false;
        await sleep(20);
      }
      return true;
    },
  };
}
