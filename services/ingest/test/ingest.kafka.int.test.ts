import { randomUUID } from 'node:crypto';
import { createKafkaBus, headerText, topicNames, type Bus, type ReceivedMessage } from '@dgt/bus';
import type { ServiceApp } from '@dgt/http';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaForTests, startBroker, stopBroker } from '../../../tests/kafka/broker.ts';
import { buildIngestApp, ingestTopics, type IngestConfig, type IngestResponse } from '../src/index.ts';
import { asIngest, closed, declared, fixtureClock, position, testConfig } from './fixtures.ts';

const kafka = kafkaForTests();
// Unique topics per run, so a shared or reused broker is fine.
const prefix = `ingest-${randomUUID().slice(0, 8)}.dg.`;

describe.skipIf(!kafka.available)(`ingest gateway on Kafka (${kafka.source} broker)`, () => {
  let bus: Bus;
  let app: ServiceApp;
  let url: string;
  let config: IngestConfig;

  beforeAll(async () => {
    config = testConfig({
      bus: { brokers: kafka.brokers, clientId: 'ingest-int', topics: { prefix } },
      publishTimeoutMs: 3000,
      readyTimeoutMs: 1500,
    });
    bus = createKafkaBus({ brokers: kafka.brokers, clientId: 'ingest-int' });
    await bus.ensureTopics(ingestTopics(config).specs);
    app = await buildIngestApp({ config, bus, registry: new Registry(), defaultMetrics: false, now: fixtureClock });
    url = `${await app.listen({ port: 0, host: '127.0.0.1' })}/v1/events`;
  });

  afterAll(async () => {
    await app?.close();
    await bus?.close();
  });

  async function post(events: readonly unknown[]): Promise<{ status: number; body: IngestResponse | { error: { code: string } } }> {
    const res = await fetch(url, {
      method: 'POST',
      headers: { ...asIngest, 'content-type': 'application/json' },
      body: JSON.stringify(events),
      signal: AbortSignal.timeout(30_000),
    });
    return { status: res.status, body: (await res.json()) as IngestResponse };
  }

  it('publishes every accepted event once to the real topics, keyed by vehicle / waybill, in order per vehicle', async () => {
    const positions = Array.from({ length: 300 }, (_, i) => position(`V${i % 7}`, i));
    const waybills = ['W1', 'W2', 'W3'].flatMap((w) => [declared(w), closed(w)]);
    const invalid = { ...position('V0', 999), occurredAt: 'yesterday' };
    const batch = [...positions, invalid, ...waybills];
    const res = await post(batch);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ accepted: 306, rejected: 1 });

    const names = topicNames({ prefix });
    const received = await consumeUntil([names.positions, names.consignments], (ms) => ms.length >= 306);
    const ids = received.map((m) => headerText(m, 'dgt-event-id'));
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set([...positions, ...waybills].map((e) => e.eventId)));
    for (const m of received) {
      const event = JSON.parse(m.value.toString('utf8')) as { type: string; data: { vehicleId?: string; waybillNo?: string } };
      expect(m.key).toBe(m.topic === names.positions ? event.data.vehicleId : event.data.waybillNo);
    }
    for (let v = 0; v < 7; v++) {
      const sent = positions.filter((p) => (p.data as { vehicleId: string }).vehicleId === `V${v}`).map((p) => p.eventId);
      expect(received.filter((m) => m.key === `V${v}`).map((m) => headerText(m, 'dgt-event-id'))).toEqual(sent);
    }
    for (const w of ['W1', 'W2', 'W3']) {
      expect(received.filter((m) => m.key === w).map((m) => headerText(m, 'dgt-event-type'))).toEqual(['ConsignmentDeclared', 'ConsignmentClosed']);
    }
  });

  // Only the harness's local broker can be stopped from a test (KAFKA_HARNESS=local forces it).
  it.skipIf(!kafka.controllable)(
    'answers 503 while the broker is down, 202 again after it restarts, and loses no accepted event',
    async () => {
      const accepted: string[] = [];
      const refused: unknown[][] = [];
      let seq = 0;
      const postOne = async (): Promise<number> => {
        const batch = Array.from({ length: 5 }, () => position(`R${seq % 3}`, seq++));
        const res = await post(batch);
        if (res.status === 202) {
          const body = res.body as IngestResponse;
          // Every event of these batches is valid: a 202 here means all five were published.
          expect(body.accepted).toBe(batch.length);
          accepted.push(...body.results.map((r) => r.eventId as string));
        } else refused.push(batch);
        return res.status;
      };
      expect(await postOne()).toBe(202);

      await stopBroker();
      const started = Date.now();
      const whileDown = await postOne();
      expect(whileDown).toBe(503);
      expect(Date.now() - started).toBeLessThan(config.publishTimeoutMs + 2000);
      const ready = await app.inject({ method: 'GET', url: '/readyz', headers: asIngest });
      expect(ready.statusCode).toBe(503);

      // The gateway keeps being posted to while the broker comes back.
      let posting = true;
      const statuses: number[] = [];
      const poster = (async () => {
        while (posting) statuses.push(await postOne());
      })();
      await startBroker();
      const deadline = Date.now() + 60_000;
      while (statuses.at(-1) !== 202 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      posting = false;
      await poster;
      expect(statuses.at(-1)).toBe(202);

      // Clients retry refused batches; duplicates of half-published ones are the store's to drop.
      for (const batch of refused) expect((await post(batch)).body).toMatchObject({ accepted: batch.length });
      const expected = new Set([...accepted, ...refused.flat().map((e) => (e as { eventId: string }).eventId)]);
      const names = topicNames({ prefix });
      const received = await consumeUntil([names.positions], (ms) => {
        const seen = new Set(ms.map((m) => headerText(m, 'dgt-event-id')));
        return [...expected].every((id) => seen.has(id));
      });
      const seen = new Set(received.map((m) => headerText(m, 'dgt-event-id')));
      expect([...expected].filter((id) => !seen.has(id))).toEqual([]);
      expect((await app.inject({ method: 'GET', url: '/readyz', headers: asIngest })).statusCode).toBe(200);
    },
  );

  async function consumeUntil(topics: string[], done: (ms: ReceivedMessage[]) => boolean): Promise<ReceivedMessage[]> {
    const reader = createKafkaBus({ brokers: kafka.brokers, clientId: 'ingest-int-reader' });
    const received: ReceivedMessage[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${received.length} messages arrived`)), 60_000);
        timer.unref();
        reader
          .consumer({ groupId: `ingest-int-${randomUUID()}` })
          .run({
            topics,
            eachBatch: async (batch) => {
              received.push(...batch.messages);
              if (done(received)) {
                clearTimeout(timer);
                resolve();
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
});
