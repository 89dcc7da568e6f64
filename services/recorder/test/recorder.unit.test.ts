import { topicSpecs, type Bus, type BusProducer, type ReceivedMessage } from '@dgt/bus';
import { canonicalJson } from '@dgt/events';
import type { EventStore } from '@dgt/eventstore';
import { afterEach, describe, expect, it } from 'vitest';
import { deadLetterHeaders } from '../src/index.ts';
import {
  allRecorded,
  asMessage,
  consignmentDeclared,
  harness,
  histogramCount,
  metricValue,
  position,
  streamEventIds,
  waitUntil,
  zoneWithdrawn,
  type Harness,
} from './fixtures.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** `inner` with every producer it makes wrapped by `wrap` (to make sends fail, count them, …). */
function withProducers(inner: Bus, wrap: (producer: BusProducer) => BusProducer): Bus {
  return {
    durable: inner.durable,
    ensureTopics: (t) => inner.ensureTopics(t),
    consumer: (o) => inner.consumer(o),
    close: () => inner.close(),
    producer: () => wrap(inner.producer()),
  };
}

async function publishPositions(target: Harness, vehicles: number, perVehicle: number, from = 0): Promise<void> {
  const producer = target.bus.producer();
  // Interleaved across vehicles, like a real fleet reporting at the same time.
  const messages = [];
  for (let seq = from; seq < from + perVehicle; seq++) {
    for (let v = 0; v < vehicles; v++) messages.push(asMessage(position(`V${v}`, seq), `V${v}`));
  }
  await producer.send(target.topics.positions, messages);
}

/** Wraps a store so that `appendMany` calls (and the streams they touch) can be counted and made to fail. */
function instrumentedStore(inner: EventStore, failAfterAppend: (call: number) => boolean): EventStore & { calls: number; streams: string[] } {
  const wrapper = {
    calls: 0,
    streams: [] as string[],
    append: inner.append.bind(inner),
    appendMany: async (...args: Parameters<EventStore['appendMany']>) => {
      wrapper.calls++;
      wrapper.streams.push(...args[0].map((b) => b.streamId));
      const result = await inner.appendMany(...args);
      if (failAfterAppend(wrapper.calls)) throw new Error(`injected failure after append #${wrapper.calls}`);
      return result;
    },
    readStream: inner.readStream.bind(inner),
    readAll: inner.readAll.bind(inner),
    headPosition: inner.headPosition.bind(inner),
    subscribeAll: inner.subscribeAll.bind(inner),
    close: inner.close.bind(inner),
  };
  return wrapper;
}

describe('recorder', () => {
  it('records each event in its stream (vehicle, consignment, zones) in per-vehicle order', async () => {
    h = await harness();
    await publishPositions(h, 12, 25);
    const producer = h.bus.producer();
    await producer.send(h.topics.consignments, [asMessage(consignmentDeclared('WB-1'), 'WB-1')]);
    await producer.send(h.topics.zones, [asMessage(zoneWithdrawn('Z-1'), 'Z-1')]);
    await h.recorder().start();

    const store = h.store;
    await waitUntil(async () => (await allRecorded(store)).length === 12 * 25 + 2);
    for (let v = 0; v < 12; v++) {
      expect(await streamEventIds(store, `vehicle-V${v}`)).toEqual(Array.from({ length: 25 }, (_, s) => `pos-V${v}-${s}`));
    }
    expect(await streamEventIds(store, 'consignment-WB-1')).toEqual(['decl-WB-1']);
    expect(await streamEventIds(store, 'zones')).toEqual(['zw-Z-1']);
    expect(await metricValue(h.registry, 'dgt_recorder_messages_consumed_total', { topic: h.topics.positions })).toBe(300);
    expect(await metricValue(h.registry, 'dgt_recorder_events_appended_total')).toBe(302);
    expect(await metricValue(h.registry, 'dgt_recorder_duplicates_total')).toBe(0);
    expect(await histogramCount(h.registry, 'dgt_recorder_ingest_to_recorded_seconds')).toBe(302);
  });

  it('appends once per stream per batch, however many events a vehicle has in the batch', async () => {
    h = await harness();
    const counting = instrumentedStore(h.store, () => false);
    await publishPositions(h, 10, 20);
    await h.recorder({ store: counting }).start();
    await waitUntil(async () => (await allRecorded(h!.store)).length === 200);
    // 200 events, all delivered before the recorder started: one batch per partition, one
    // transaction per batch, each vehicle's stream appended once.
    expect([...counting.streams].sort()).toEqual(Array.from({ length: 10 }, (_, v) => `vehicle-V${v}`).sort());
    expect(counting.calls).toBeLessThanOrEqual(topicSpecs(h.topics).find((t) => t.topic === h!.topics.positions)!.partitions);
  });

  it('with partitionsConsumedConcurrently 2, appends two partitions\' batches at once and still records each vehicle in order', async () => {
    h = await harness();
    const inner = h.store;
    let inFlight = 0;
    let most = 0;
    // A slow store (as one writing on a worker thread is, seen from the event loop).
    const slow: EventStore = {
      ...instrumentedStore(inner, () => false),
      appendMany: async (...args: Parameters<EventStore['appendMany']>) => {
        most = Math.max(most, ++inFlight);
        try {
          await new Promise((resolve) => setTimeout(resolve, 20));
          return await inner.appendMany(...args);
        } finally {
          inFlight--;
        }
      },
    };
    // A backlog of several batches (500) per partition before the recorder starts.
    await publishPositions(h, 60, 100);
    await h.recorder({ store: slow, partitionsConsumedConcurrently: 2 }).start();
    await waitUntil(async () => (await allRecorded(inner)).length === 60 * 100);
    expect(most).toBe(2);
    for (let v = 0; v < 60; v++) {
      expect(await streamEventIds(inner, `vehicle-V${v}`)).toEqual(Array.from({ length: 100 }, (_, s) => `pos-V${v}-${s}`));
    }
  });

  it('records a redelivered batch exactly once when the handler failed after the append', async () => {
    h = await harness();
    const failing = instrumentedStore(h.store, (call) => call === 1);
    await publishPositions(h, 1, 50);
    await h.recorder({ store: failing }).start();

    await waitUntil(async () => (await metricValue(h!.registry, 'dgt_recorder_duplicates_total')) === 50);
    expect((await allRecorded(h.store)).map((e) => e.event.eventId)).toEqual(Array.from({ length: 50 }, (_, s) => `pos-V0-${s}`));
    expect(await metricValue(h.registry, 'dgt_recorder_failed_batches_total')).toBe(1);
    // Delivered twice; the second delivery found every event already recorded.
    expect(await metricValue(h.registry, 'dgt_recorder_messages_consumed_total')).toBe(100);
  });

  it('retries a failing store without skipping: the partition waits, then everything is recorded in order', async () => {
    h = await harness();
    let failures = 0;
    const flaky: EventStore = {
      ...h.store,
      append: h.store.append.bind(h.store),
      appendMany: async (...args) => {
        if (failures < 3) {
          failures++;
          throw new Error('disk full');
        }
        return h!.store.appendMany(...args);
      },
      readStream: h.store.readStream.bind(h.store),
      readAll: h.store.readAll.bind(h.store),
      headPosition: h.store.headPosition.bind(h.store),
      subscribeAll: h.store.subscribeAll.bind(h.store),
      close: h.store.close.bind(h.store),
    };
    await publishPositions(h, 1, 30);
    await h.recorder({ store: flaky }).start();
    await waitUntil(async () => (await allRecorded(h!.store)).length === 30);
    expect(failures).toBe(3);
    expect(await streamEventIds(h.store, 'vehicle-V0')).toEqual(Array.from({ length: 30 }, (_, s) => `pos-V0-${s}`));
    expect(await metricValue(h.registry, 'dgt_recorder_failed_batches_total')).toBe(3);
  });

  it('dead-letters malformed, invalid and misrouted messages with the reason and original bytes, and records the valid ones around them', async () => {
    h = await harness();
    const producer = h.bus.producer();
    const notJson = '{"eventId": "broken';
    const invalid = JSON.stringify({ ...position('V1', 1), data: { vehicleId: 'V1', lon: 500, lat: 28, speedKmh: 10 } });
    const zoneOnPositions = canonicalJson(zoneWithdrawn('Z-9'));
    await producer.send(h.topics.positions, [
      asMessage(position('V1', 0), 'V1'),
      { key: 'V1', value: notJson, headers: { 'dgt-event-id': 'x1' } },
      asMessage(position('V1', 2), 'V1'),
      { key: 'V1', value: invalid },
      asMessage(position('V1', 3), 'V1'),
      { key: 'V1', value: zoneOnPositions },
      asMessage(position('V1', 4), 'V1'),
    ]);
    await h.recorder().start();

    const dead: ReceivedMessage[] = [];
    await h.bus.consumer({ groupId: 'dlq-reader' }).run({
      topics: [h.topics.deadletter],
      eachBatch: async (batch) => void dead.push(...batch.messages),
    });
    await waitUntil(() => dead.length === 3);
    expect(await streamEventIds(h.store, 'vehicle-V1')).toEqual(['pos-V1-0', 'pos-V1-2', 'pos-V1-3', 'pos-V1-4']);

    const header = (m: ReceivedMessage, name: string) => m.headers[name]?.toString('utf8');
    expect(dead.map((m) => m.value.toString('utf8'))).toEqual([notJson, invalid, zoneOnPositions]);
    expect(dead.map((m) => m.key)).toEqual(['V1', 'V1', 'V1']);
    expect(dead.map((m) => header(m, deadLetterHeaders.reason))).toEqual(['malformed-json', 'invalid-event', 'wrong-topic']);
    expect(dead.map((m) => header(m, deadLetterHeaders.offset))).toEqual(['1', '3', '5']);
    expect(dead.every((m) => header(m, deadLetterHeaders.topic) === h!.topics.positions)).toBe(true);
    const partition = header(dead[0]!, deadLetterHeaders.partition);
    expect(partition).toMatch(/^\d+$/);
    expect(dead.every((m) => header(m, deadLetterHeaders.partition) === partition)).toBe(true);
    expect(header(dead[1]!, deadLetterHeaders.detail)).toContain('data.lon');
    expect(header(dead[0]!, 'dgt-event-id')).toBe('x1');
    expect(await metricValue(h.registry, 'dgt_recorder_deadlettered_total', { reason: 'malformed-json' })).toBe(1);
    expect(await metricValue(h.registry, 'dgt_recorder_deadlettered_total', { reason: 'invalid-event' })).toBe(1);
    expect(await metricValue(h.registry, 'dgt_recorder_deadlettered_total', { reason: 'wrong-topic' })).toBe(1);
  });

  it('does not stall the partition on a bad message: later messages are recorded and the offsets committed', async () => {
    h = await harness();
    const producer = h.bus.producer();
    await producer.send(h.topics.positions, [{ key: 'V2', value: 'not json at all' }]);
    const first = h.recorder();
    await first.start();
    await producer.send(h.topics.positions, [asMessage(position('V2', 0), 'V2'), asMessage(position('V2', 1), 'V2')]);
    await waitUntil(async () => (await allRecorded(h!.store)).length === 2);
    await first.stop();

    // A new member of the same group starts after the committed offsets: nothing is delivered again.
    await h.recorder().start();
    await producer.send(h.topics.positions, [asMessage(position('V2', 2), 'V2')]);
    await waitUntil(async () => (await allRecorded(h!.store)).length === 3);
    expect(await metricValue(h.registry, 'dgt_recorder_messages_consumed_total')).toBe(4);
    expect(await metricValue(h.registry, 'dgt_recorder_deadlettered_total')).toBe(1);
  });

  it('redelivers the batch when the dead-letter topic cannot be written, losing neither the good events nor the dead letter', async () => {
    h = await harness();
    let failedOnce = false;
    const flakyBus = withProducers(h.bus, (p) => ({
      send: async (topic, messages) => {
        if (!failedOnce) {
          failedOnce = true;
          throw new Error('deadletter topic unavailable');
        }
        return p.send(topic, messages);
      },
      close: () => p.close(),
    }));
    await h.bus.producer().send(h.topics.positions, [
      asMessage(position('V3', 0), 'V3'),
      { key: 'V3', value: '[]' },
      asMessage(position('V3', 1), 'V3'),
    ]);
    await h.recorder({ bus: flakyBus }).start();

    const dead: ReceivedMessage[] = [];
    await h.bus.consumer({ groupId: 'dlq-reader' }).run({
      topics: [h.topics.deadletter],
      eachBatch: async (batch) => void dead.push(...batch.messages),
    });
    await waitUntil(() => dead.length === 1);
    expect(failedOnce).toBe(true);
    expect(await streamEventIds(h.store, 'vehicle-V3')).toEqual(['pos-V3-0', 'pos-V3-1']);
    expect(await metricValue(h.registry, 'dgt_recorder_duplicates_total')).toBe(2);
    expect(dead[0]?.headers[deadLetterHeaders.reason]?.toString()).toBe('invalid-event');
  });

  it('sends the dead letters of a redelivered batch on a fresh producer after a failed dead-letter send, and closes the failed one', async () => {
    h = await harness();
    const producers: { id: number; sent: number; closed: boolean }[] = [];
    const flakyBus = withProducers(h.bus, (p) => {
      const record = { id: producers.length + 1, sent: 0, closed: false };
      producers.push(record);
      return {
        // The first producer refuses everything: reusing it would never get the dead letter out.
        send: async (topic, messages) => {
          if (record.id === 1) throw new Error('deadletter topic unavailable');
          await p.send(topic, messages);
          record.sent += messages.length;
        },
        close: async () => {
          record.closed = true;
          await p.close();
        },
      };
    });
    await h.bus.producer().send(h.topics.positions, [asMessage(position('V4', 0), 'V4'), { key: 'V4', value: 'not json' }]);
    await h.recorder({ bus: flakyBus }).start();

    await waitUntil(async () => (await metricValue(h!.registry, 'dgt_recorder_deadlettered_total')) === 1);
    expect(producers.map((p) => p.id)).toEqual([1, 2]);
    expect(producers[1]?.sent).toBe(1);
    await waitUntil(() => producers[0]?.closed === true);
    expect(await metricValue(h.registry, 'dgt_recorder_failed_batches_total')).toBe(1);
    expect(await streamEventIds(h.store, 'vehicle-V4')).toEqual(['pos-V4-0']);
  });

  it('refuses a second start and stops idempotently', async () => {
    h = await harness();
    const recorder = h.recorder();
    await recorder.start();
    expect(recorder.state()).toBe('running');
    await expect(recorder.start()).rejects.toMatchObject({ code: 'ALREADY_STARTED' });
    await recorder.stop();
    await recorder.stop();
    expect(recorder.state()).toBe('stopped');
  });
});
