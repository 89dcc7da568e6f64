import { setTimeout as sleep } from 'node:timers/promises';
import {
  type BatchHandler,
  createInProcessBus,
  topicNames,
  topicSpecs,
  type Bus,
  type OutgoingMessage,
  type TopicNames,
} from '@dgt/bus';
import { canonicalJson, isoUtc, type DgtEvent, type EventOf } from '@dgt/events';
import { openMemoryEventStore, type EventStore, type RecordedEvent } from '@dgt/eventstore';
import { Registry } from 'prom-client';
import { createRecorder, createRecorderMetrics, type Recorder, type RecorderMetrics } from '../src/index.ts';

const BASE_MS = Date.parse('2026-03-01T00:00:00Z');

export function position(vehicleId: string, seq: number): EventOf<'VehiclePositionReported'> {
  return {
    eventId: `pos-${vehicleId}-${seq}`,
    type: 'VehiclePositionReported',
    occurredAt: isoUtc(BASE_MS + seq * 1000),
    data: { vehicleId, lon: 121.42 + seq * 1e-5, lat: 28.65, speedKmh: 40 },
  };
}

export function consignmentDeclared(waybillNo: string): EventOf<'ConsignmentDeclared'> {
  return {
    eventId: `decl-${waybillNo}`,
    type: 'ConsignmentDeclared',
    occurredAt: isoUtc(BASE_MS),
    data: {
      waybillNo,
      consignorId: 'C1',
      goods: [{ unNumber: '1203', name: 'Gasoline', hazardClass: '3', quantityKg: 20000 }],
      origin: { name: 'Depot', lon: 121.4, lat: 28.6 },
      destination: { name: 'Station', lon: 121.5, lat: 28.7 },
    },
  };
}

export function zoneWithdrawn(zoneId: string): EventOf<'ZoneWithdrawn'> {
  return { eventId: `zw-${zoneId}`, type: 'ZoneWithdrawn', occurredAt: isoUtc(BASE_MS), data: { zoneId } };
}

export function asMessage(event: DgtEvent, key: string): OutgoingMessage {
  return {
    key,
    value: canonicalJson(event),
    headers: { 'dgt-event-type': event.type, 'dgt-event-id': event.eventId, 'dgt-ingested-at': new Date().toISOString() },
  };
}

export interface Harness {
  readonly bus: Bus;
  readonly topics: TopicNames;
  readonly store: EventStore;
  readonly registry: Registry;
  readonly metrics: RecorderMetrics;
  recorder(options?: { store?: EventStore; bus?: Bus; groupId?: string; partitionsConsumedConcurrently?: number }): Recorder;
  close(): Promise<void>;
}

/** In-process bus + memory store + a recorder factory; everything is closed by `close()`. */
export async function harness(): Promise<Harness> {
  const bus = createInProcessBus({ maxBatchSize: 500 });
  const topics = topicNames({ prefix: 't.' });
  await bus.ensureTopics(topicSpecs(topics));
  const store = openMemoryEventStore();
  const registry = new Registry();
  const metrics = createRecorderMetrics(registry);
  const recorders: Recorder[] = [];
  return {
    bus,
    topics,
    store,
    registry,
    metrics,
    recorder(options = {}) {
      const recorder = createRecorder({
        bus: options.bus ?? bus,
        store: options.store ?? store,
        topics,
        groupId: options.groupId ?? 'recorder-test',
        metrics,
        retryBackoffMs: 10,
        ...(options.partitionsConsumedConcurrently === undefined ? {} : { partitionsConsumedConcurrently: options.partitionsConsumedConcurrently }),
      });
      recorders.push(recorder);
      return recorder;
    },
    async close() {
      for (const r of recorders) await r.stop();
      await bus.close();
      await store.close();
    },
  };
}

export async function allRecorded(store: EventStore): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const e of store.readAll()) out.push(e);
  return out;
}

export async function streamEventIds(store: EventStore, stream: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of store.readStream(stream)) out.push(e.event.eventId);
  return out;
}

export async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs = 5000): Promise<void> {
  const giveUpAt = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > giveUpAt) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(5);
  }
}

export async function metricValue(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const values = (metric?.values ?? []) as { value: number; labels: Record<string, string | number>; metricName?: string }[];
  return values
    .filter((v) => (v.metricName === undefined || v.metricName === name) && Object.entries(labels).every(([k, x]) => String(v.labels[k]) === x))
    .reduce((sum, v) => sum + v.value, 0);
}

export async function histogramCount(registry: Registry, name: string): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const values = (metric?.values ?? []) as { value: number; metricName?: string }[];
  return values.find((v) => v.metricName === `${name}_count`)?.value ?? 0;
}

/** A bus that hands the test the recorder's batch handler, so batches can be built by hand. */
export function capturingBus(): { bus: Bus; handler: () => BatchHandler } {
  let captured: BatchHandler | undefined;
  const bus: Bus = {
    durable: false,
    ensureTopics: async () => {},
    producer: () => ({ send: async () => {}, close: async () => {} }),
    consumer: () => ({
      run: async ({ eachBatch }) => {
        captured = eachBatch;
      },
      stop: async () => {},
    }),
    close: async () => {},
  };
  return {
    bus,
    handler: () => {
      if (captured === undefined) throw new Error('recorder not started');
      return captured;
    },
  };
}
