import { hashApiKey } from '@dgt/http';
import { describe, expect, it } from 'vitest';
import { IngestConfigError, ingestTopics, readIngestConfig } from '../src/index.ts';

const keys = JSON.stringify([{ id: 'gw', role: 'ingest', sha256: hashApiKey('k') }]);

describe('ingest configuration', () => {
  it('applies the documented defaults', () => {
    const config = readIngestConfig({ DGT_API_KEYS: keys });
    expect(config).toMatchObject({
      port: 8081,
      host: '127.0.0.1',
      maxBatch: 5000,
      bodyLimitBytes: 16 * 1024 * 1024,
      publishTimeoutMs: 10_000,
      bus: { brokers: [], topics: {} },
    });
    expect(config.apiKeys).toEqual([{ id: 'gw', role: 'ingest', sha256: hashApiKey('k') }]);
  });

  it('reads brokers, topic prefix and limits', () => {
    const config = readIngestConfig({
      DGT_API_KEYS: keys,
      KAFKA_BROKERS: 'a:9092, b:9092',
      DGT_TOPIC_PREFIX: 'test.',
      INGEST_MAX_BATCH: '10',
      INGEST_PORT: '9000',
    });
    expect(config.bus.brokers).toEqual(['a:9092', 'b:9092']);
    expect(config.bus.topics).toEqual({ prefix: 'test.' });
    expect(config.maxBatch).toBe(10);
    expect(config.port).toBe(9000);
  });

  it('refuses to start without keys, explaining how to make one', () => {
    expect(() => readIngestConfig({})).toThrow(IngestConfigError);
    expect(() => readIngestConfig({})).toThrow(/DGT_API_KEYS is required[\s\S]*npx dgt keys new --role ingest[\s\S]*"sha256":"<hash>"/);
  });

  it('refuses invalid keys, key lists without an ingest key and bad numbers', () => {
    expect(() => readIngestConfig({ DGT_API_KEYS: '[{"id":"x","role":"ingest","sha256":"abc"}]' })).toThrow(/\[0\.sha256\]/);
    const bureauOnly = JSON.stringify([{ id: 'b', role: 'bureau', sha256: hashApiKey('k') }]);
    expect(() => readIngestConfig({ DGT_API_KEYS: bureauOnly })).toThrow(/no key of role "ingest"/);
    expect(() => readIngestConfig({ DGT_API_KEYS: keys, INGEST_MAX_BATCH: 'lots' })).toThrow(/INGEST_MAX_BATCH/);
  });

  it('publishes to the positions, consignments and zones topics under the configured prefix', () => {
    const config = readIngestConfig({ DGT_API_KEYS: keys, DGT_TOPIC_PREFIX: 'p.' });
    expect(ingestTopics(config).specs).toEqual([
      { topic: 'p.positions', partitions: 6 },
      { topic: 'p.consignments', partitions: 3 },
      { topic: 'p.zones', partitions: 1 },
    ]);
  });
});

describe('ingest configuration: the boundary limits', () => {
  it('defaults to 5 min of skew, 7 days of back-fill, cut-off timeouts, in-flight caps and a rate per key', () => {
    const config = readIngestConfig({ DGT_API_KEYS: keys });
    expect(config.time).toEqual({ maxFutureSkewS: 300, backfillWindowS: 7 * 86_400 });
    expect(config.timeouts).toEqual({ headersTimeoutMs: 30_000, requestTimeoutMs: 300_000, idleTimeoutMs: 30_000 });
    expect(config.inFlight).toEqual({ maxBodies: 64, maxBytes: 128 * 1024 * 1024, maxPerConnection: 2 });
    expect(config.rateLimit).toEqual({ eventsPerS: 50_000, burst: 200_000 });
    expect(config.recentIds).toBe(200_000);
    expect(config.eventStorePath).toBeUndefined();
  });

  it('reads each limit from its variable', () => {
    const config = readIngestConfig({
      DGT_API_KEYS: keys,
      INGEST_MAX_FUTURE_SKEW_S: '30',
      INGEST_BACKFILL_WINDOW_S: '31536000',
      INGEST_REQUEST_TIMEOUT_MS: '60000',
      INGEST_MAX_BODIES_IN_FLIGHT: '8',
      INGEST_RATE_LIMIT_EVENTS_PER_S: '1000000',
      INGEST_RATE_LIMIT_BURST: '5000000',
      INGEST_EVENTSTORE_PATH: './data/events.sqlite',
    });
    expect(config.time).toEqual({ maxFutureSkewS: 30, backfillWindowS: 31_536_000 });
    expect(config.timeouts.requestTimeoutMs).toBe(60_000);
    expect(config.inFlight.maxBodies).toBe(8);
    expect(config.rateLimit).toEqual({ eventsPerS: 1_000_000, burst: 5_000_000 });
    expect(config.eventStorePath).toBe('./data/events.sqlite');
  });

  it('refuses an idle timeout that would cut a request waiting for the broker', () => {
    expect(() => readIngestConfig({ DGT_API_KEYS: keys, INGEST_IDLE_TIMEOUT_MS: '5000', INGEST_PUBLISH_TIMEOUT_MS: '10000' })).toThrow(/INGEST_IDLE_TIMEOUT_MS \(5000\) must be 0 \(off\) or longer than INGEST_PUBLISH_TIMEOUT_MS/);
    expect(readIngestConfig({ DGT_API_KEYS: keys, INGEST_IDLE_TIMEOUT_MS: '0' }).timeouts.idleTimeoutMs).toBe(0);
  });
});
