import { randomUUID } from 'node:crypto';
import { createKafkaBus, headerText, topicNames, topicSpecs, type Bus, type ReceivedMessage } from '@dgt/bus';
import { canonicalJson, type DgtEvent } from '@dgt/events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaForTests } from '../../../tests/kafka/broker.ts';
import { simulate } from '../src/simulate.ts';
import { BusSink, destinationOf } from '../src/sinks/busSink.ts';
import { pump } from '../src/sinks/run.ts';

/* `dgt simulate --kafka`: the simulator's BusSink publishing a small fleet's day to a real broker. */

const kafka = kafkaForTests();
// Unique topics per run, so a shared or reused broker is fine.
const prefix = `sim-${randomUUID().slice(0, 8)}.dg.`;
const topics = topicNames({ prefix });

/** The register's partition keys, as the ingest gateway routes them: a vehicle's registration and transfers by vehicle, a carrier by carrier. */
function registerKey(event: { type: string; data: { vehicleId?: string; carrierId?: string } }): string | undefined {
  if (event.type === 'CarrierRegistered') return `carrier:${event.data.carrierId}`;
  if (event.type === 'VehicleRegistered' || event.type === 'VehicleTransferred') return `vehicle:${event.data.vehicleId}`;
  return undefined;
}

interface Sent {
  readonly topic: string;
  readonly key: string;
  readonly event: DgtEvent;
}

async function consumeUntil(count: number, timeoutMs: number): Promise<ReceivedMessage[]> {
  const reader = createKafkaBus({ brokers: kafka.brokers, clientId: 'simulator-int-reader' });
  const received: ReceivedMessage[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${received.length} of ${count} messages arrived`)), timeoutMs);
      timer.unref();
      reader
        .consumer({ groupId: `simulator-int-${randomUUID()}` })
        .run({
          topics: [topics.positions, topics.consignments, topics.zones, topics.alerts, topics.deadletter],
          eachBatch: async (batch) => {
            received.push(...batch.messages);
            if (received.length >= count) {
              clearTimeout(timer);
              // A moment more, so a message published twice would show up too.
              setTimeout(resolve, 1_500);
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await reader.close();
  }
  return received;
}

describe.skipIf(!kafka.available)(`dgt simulate --kafka (${kafka.source} broker)`, () => {
  let bus: Bus;

  beforeAll(async () => {
    bus = createKafkaBus({ brokers: kafka.brokers, clientId: 'simulator-int' });
    await bus.ensureTopics(topicSpecs(topics));
  });

  afterAll(async () => {
    await bus?.close();
  });

  it('publishes every valid simulated message once, on the ingest topic and key, in order per vehicle and waybill', async () => {
    // Five vehicles: enough for the simulator's few malformed reports to occur (three no longer have one).
    const sim = simulate({ seed: 'kafka-int', vehicles: 5, days: 1 });
    const sent: Sent[] = [];
    let malformed = 0;
    // Records what goes in, then lets the sink publish it as `dgt simulate --kafka` does.
    const messages = (function* () {
      for (const m of sim.messages) {
        if (m.kind === 'malformed') malformed++;
        else {
          const dest = destinationOf(m.event, topics);
          if (dest !== null) sent.push({ ...dest, event: m.event });
        }
        yield m;
      }
    })();
    const sink = new BusSink({ producer: bus.producer(), topics, batchSize: 250 });
    const total = await pump(messages, sink, { speed: 'max', simStartMs: sim.startMs });
    expect(sink.stats()).toMatchObject({ sent: sent.length, accepted: sent.length, rejected: 0, skipped: total - sent.length });
    expect(malformed).toBeGreaterThan(0);
    expect(sent.filter((s) => s.topic === topics.positions).length).toBeGreaterThan(100);
    expect(sent.some((s) => s.topic === topics.consignments)).toBe(true);
    expect(sent.some((s) => s.topic === topics.zones)).toBe(true);

    const received = await consumeUntil(sent.length, 60_000);
    // Duplicated reports are separate messages with one eventId: compare message for message.
    expect(received).toHaveLength(sent.length);
    const line = (topic: string, key: string, value: string) => `${topic} ${key} ${value}`;
    const bySent = sent.map((s) => line(s.topic, s.key, canonicalJson(s.event))).sort();
    const byReceived = received.map((m) => line(m.topic, m.key, m.value.toString('utf8'))).sort();
    expect(byReceived).toEqual(bySent);

    for (const m of received) {
      const event = JSON.parse(m.value.toString('utf8')) as { eventId: string; type: string; data: { vehicleId?: string; waybillNo?: string; zoneId?: string; carrierId?: string } };
      expect(headerText(m, 'dgt-event-id')).toBe(event.eventId);
      expect(headerText(m, 'dgt-event-type')).toBe(event.type);
      if (m.topic === topics.positions) expect(m.key).toBe(event.data.vehicleId);
      if (m.topic === topics.zones) expect(m.key).toBe(event.data.zoneId);
      if (m.topic === topics.consignments) expect(m.key).toBe(registerKey(event) ?? event.data.waybillNo);
    }

    // Per key (vehicle, waybill, zone, carrier register) the broker keeps the order they were sent in.
    const keys = new Set(sent.map((s) => `${s.topic}\u0000${s.key}`));
    expect([...keys].filter((k) => k.startsWith(`${topics.positions}\u0000`))).toHaveLength(5);
    for (const k of keys) {
      const [topic, key] = k.split('\u0000') as [string, string];
      const order = (ms: readonly { topic: string; key: string; id: string | undefined }[]) => ms.filter((x) => x.topic === topic && x.key === key).map((x) => x.id);
      const inOrder = order(received.map((m) => ({ topic: m.topic, key: m.key, id: headerText(m, 'dgt-event-id') })));
      expect(inOrder).toEqual(order(sent.map((s) => ({ topic: s.topic, key: s.key, id: s.event.eventId }))));
    }
  });
});
