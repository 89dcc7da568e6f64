import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { BusLogger } from '@dgt/bus';
import type { Gauge } from 'prom-client';

export interface ConsumerLagOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly gauge: Gauge<'topic' | 'partition'>;
  readonly intervalMs?: number;
  readonly logger: BusLogger;
}

export interface ConsumerLagPoller {
  /** One measurement now (also what the timer runs). */
  poll(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Consumer lag = high watermark − the group's committed offset, per partition. Measured from
 * the outside with the admin API because the bus port does not expose a batch's high
 * watermark; it is also what an operator's tools would report, commits included.
 */
export function startConsumerLagPoller(options: ConsumerLagOptions): ConsumerLagPoller {
  const kafka = new Kafka({
    clientId: `${options.clientId}-lag`,
    brokers: [...options.brokers],
    logLevel: logLevel.NOTHING,
    retry: { retries: 1 },
  });
  const admin: Admin = kafka.admin();
  let connected: Promise<void> | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  const measure = async (): Promise<void> => {
    connected ??= admin.connect();
    try {
      await connected;
      const committed = await admin.fetchOffsets({ groupId: options.groupId, topics: [...options.topics] });
      for (const topic of options.topics) {
        const ends = await admin.fetchTopicOffsets(topic);
        const group = committed.find((c) => c.topic === topic)?.partitions ?? [];
        for (const end of ends) {
          const done = group.find((p) => p.partition === end.partition)?.offset ?? '-1';
          const from = BigInt(done) >= 0n ? BigInt(done) : BigInt(end.low);
          const lag = BigInt(end.high) - from;
          options.gauge.set({ topic, partition: String(end.partition) }, Number(lag > 0n ? lag : 0n));
        }
      }
    } catch (error) {
      connected = undefined;
      options.logger.debug('consumer lag not measured', { error: String(error) });
    }
  };

  const poll = (): Promise<void> => {
    running ??= measure().finally(() => (running = undefined));
    return running;
  };
  const timer = setInterval(() => void poll(), options.intervalMs ?? 5000);
  timer.unref();

  return {
    poll,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await running;
      if (connected !== undefined) await admin.disconnect().catch(() => undefined);
    },
  };
}
