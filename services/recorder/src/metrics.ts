import type { PartitionLag } from '@dgt/bus';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { deadLetterReasons } from './deadLetter.ts';

/** The recorder's Prometheus metrics. Labels are bounded (topic, partition, reason): never per vehicle. */
export interface RecorderMetrics {
  readonly consumed: Counter<'topic'>;
  readonly appended: Counter<'topic'>;
  readonly duplicates: Counter;
  readonly conflicts: Counter<'topic'>;
  readonly deadLettered: Counter<'reason'>;
  readonly appendSeconds: Histogram;
  readonly batchSeconds: Histogram;
  readonly ingestToRecordedSeconds: Histogram;
  readonly consumerLag: Gauge<'topic' | 'partition'>;
  readonly failedBatches: Counter<'topic'>;
  readonly clockTicks: Counter<'result'>;
}

export interface RecorderMetricsOptions {
  /**
   * Where the consumer lag can be read at once (the embedded bus): the gauge asks it at every
   * scrape. Without it the gauge is set from outside (the Kafka recorder's admin poller).
   */
  readonly consumerLag?: () => readonly PartitionLag[];
}

export function createRecorderMetrics(registry: Registry, options: RecorderMetricsOptions = {}): RecorderMetrics {
  const registers = [registry];
  const lagSource = options.consumerLag;
  const metrics: RecorderMetrics = {
    consumed: new Counter({
      name: 'dgt_recorder_messages_consumed_total',
      help: 'Messages handed to the recorder by the bus (redeliveries count again).',
      labelNames: ['topic'],
      registers,
    }),
    appended: new Counter({
      name: 'dgt_recorder_events_appended_total',
      help: 'Events newly written to the event store.',
      labelNames: ['topic'],
      registers,
    }),
    duplicates: new Counter({
      name: 'dgt_recorder_duplicates_total',
      help: 'Events skipped because the same event was already recorded (redelivery or duplicate publish).',
      registers,
    }),
    conflicts: new Counter({
      name: 'dgt_recorder_conflicts_total',
      help: 'Events not recorded because their eventId is recorded with other content (dead-lettered with reason conflict).',
      labelNames: ['topic'],
      registers,
    }),
    deadLettered: new Counter({
      name: 'dgt_recorder_deadlettered_total',
      help: 'Messages sent to the dead-letter topic, by reason.',
      labelNames: ['reason'],
      registers,
    }),
    appendSeconds: new Histogram({
      name: 'dgt_recorder_append_seconds',
      help: 'Duration of one event-store append (one stream of one batch).',
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1],
      registers,
    }),
    batchSeconds: new Histogram({
      name: 'dgt_recorder_batch_seconds',
      help: 'Duration of handling one bus batch (decode, appends, dead letters).',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    ingestToRecordedSeconds: new Histogram({
      name: 'dgt_recorder_ingest_to_recorded_seconds',
      help: 'From the gateway publishing a message (dgt-ingested-at header) to its event being recorded.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    consumerLag: new Gauge({
      name: 'dgt_recorder_consumer_lag',
      help: 'Messages in the partition not yet committed by the recorder group.',
      labelNames: ['topic', 'partition'],
      registers,
      ...(lagSource === undefined
        ? {}
        : {
            collect(this: Gauge<'topic' | 'partition'>) {
              this.reset();
              for (const p of lagSource()) this.set({ topic: p.topic, partition: String(p.partition) }, p.lag);
            },
          }),
    }),
    failedBatches: new Counter({
      name: 'dgt_recorder_failed_batches_total',
      help: 'Batches whose handling failed; the bus redelivers them.',
      labelNames: ['topic'],
      registers,
    }),
    clockTicks: new Counter({
      name: 'dgt_recorder_clock_ticks_total',
      help: 'ClockTicked events the recorder appended (recorded), found recorded already (duplicate: another recorder ticked that minute), or failed to append (failed: retried at the next tick).',
      labelNames: ['result'],
      registers,
    }),
  };
  // Zero series exist from the start, so rate() and alerts see every reason before it first happens.
  for (const reason of deadLetterReasons) metrics.deadLettered.inc({ reason }, 0);
  return metrics;
}
