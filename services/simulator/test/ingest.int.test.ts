import { createInProcessBus, readBusConfig, topicNames, topicSpecs } from '@dgt/bus';
import { generateApiKey, hashApiKey } from '@dgt/http';
import { buildIngestApp, type IngestConfig } from '@dgt/ingest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '../src/simulate.ts';
import { HttpIngestSink } from '../src/sinks/httpIngestSink.ts';
import { pump } from '../src/sinks/run.ts';

const key = generateApiKey();
const config: IngestConfig = {
  port: 0,
  host: '127.0.0.1',
  apiKeys: [{ id: 'simulator', role: 'ingest', sha256: hashApiKey(key) }],
  bus: readBusConfig({}),
  maxBatch: 5000,
  bodyLimitBytes: 16 * 1024 * 1024,
  publishTimeoutMs: 5000,
  readyTimeoutMs: 2000,
  logLevel: 'silent',
};
const bus = createInProcessBus();
let app: Awaited<ReturnType<typeof buildIngestApp>>;
let url = '';

beforeAll(async () => {
  await bus.ensureTopics(topicSpecs(topicNames()));
  app = await buildIngestApp({ config, bus });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app.close();
  await bus.close();
});

describe('dgt simulate --ingest (HttpIngestSink against the real ingest gateway)', () => {
  it('gets every valid event accepted and every malformed message refused on its own', async () => {
    const sim = simulate({ vehicles: 2, days: 1, seed: 'ingest', noise: { malformedRate: 0.01, duplicateRate: 0 } });
    const sink = new HttpIngestSink({ url, apiKey: key, batchSize: 500 });
    const messages = [...sim.messages];
    const sent = await pump(messages, sink, { speed: 'max', simStartMs: sim.startMs });
    const malformed = messages.filter((m) => m.kind === 'malformed').length;
    expect(malformed).toBeGreaterThan(0);
    expect(sent).toBe(messages.length);
    expect(sink.stats()).toEqual({ sent, accepted: sent - malformed, rejected: malformed, skipped: 0 });
  });
});
