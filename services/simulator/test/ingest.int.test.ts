import { createInProcessBus, readBusConfig, topicNames, topicSpecs } from '@dgt/bus';
import { generateApiKey, hashApiKey } from '@dgt/http';
import { buildIngestApp, readIngestConfig } from '@dgt/ingest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '../src/simulate.ts';
import { HttpIngestSink } from '../src/sinks/httpIngestSink.ts';
import { pump } from '../src/sinks/run.ts';

const key = generateApiKey();
const config = {
  ...readIngestConfig({ DGT_API_KEYS: JSON.stringify([{ id: 'simulator', role: 'ingest', sha256: hashApiKey(key) }]), INGEST_LOG_LEVEL: 'silent', INGEST_PUBLISH_TIMEOUT_MS: '5000' }),
  bus: readBusConfig({}),
};
/** The simulated day is 2026-03-02 (China time): the gateway receives it the next noon, within its back-fill window. */
const receivedAt = new Date('2026-03-03T12:00:00+08:00');
const bus = createInProcessBus();
let app: Awaited<ReturnType<typeof buildIngestApp>>;
let url = '';

beforeAll(async () => {
  await bus.ensureTopics(topicSpecs(topicNames()));
  app = await buildIngestApp({ config, bus, now: () => receivedAt, allowNonDurableBusForTests: true });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app.close();
  await bus.close();
});

describe('dgt simulate --ingest (HttpIngestSink against the real ingest gateway)', () => {
  it('gets every valid event accepted, and the seeds’ register and every malformed message refused on its own', async () => {
    const sim = simulate({ vehicles: 2, days: 1, seed: 'ingest', noise: { malformedRate: 0.01, duplicateRate: 0 } });
    const sink = new HttpIngestSink({ url, apiKey: key, batchSize: 500 });
    const messages = [...sim.messages];
    const sent = await pump(messages, sink, { speed: 'max', simStartMs: sim.startMs });
    const malformed = messages.filter((m) => m.kind === 'malformed').length;
    expect(malformed).toBeGreaterThan(0);
    expect(sent).toBe(messages.length);
    // The register needs a registry key (`dgt simulate --registry-key`): refused from this ingest key, item by item.
    const register = messages.filter((m) => m.kind === 'event' && (m.event.type === 'CarrierRegistered' || m.event.type === 'VehicleRegistered')).length;
    expect(register).toBeGreaterThan(0);
    // Clock ticks (time in the record) are the recorder's: the gateway refuses them, so the sink never posts them.
    const ticks = messages.filter((m) => m.kind === 'event' && m.event.type === 'ClockTicked').length;
    expect(ticks).toBe(24 * 60 + 1);
    const posted = sent - ticks;
    expect(sink.stats()).toEqual({ sent: posted, accepted: posted - malformed - register, rejected: malformed + register, skipped: ticks });
  });
});
