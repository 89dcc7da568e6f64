import { hashApiKey } from '@dgt/http';
import { describe, expect, it } from 'vitest';
import { readRecorderEnv } from '../src/env.ts';

describe('recorder configuration', () => {
  it('defaults the group, metrics port and SQLite store, and reads Kafka through the bus config', () => {
    const keys = JSON.stringify([{ id: 'prom', role: 'metrics', sha256: hashApiKey('k') }]);
    const config = readRecorderEnv({ KAFKA_BROKERS: 'a:9092, b:9092', DGT_TOPIC_PREFIX: 'x.', DGT_API_KEYS: keys });
    expect(config.apiKeys).toEqual([{ id: 'prom', role: 'metrics', sha256: hashApiKey('k') }]);
    expect(config.groupId).toBe('dgt-recorder');
    expect(config.metricsPort).toBe(9464);
    expect(config.bus.brokers).toEqual(['a:9092', 'b:9092']);
    expect(config.bus.topics).toEqual({ prefix: 'x.' });
    expect(config.store).toEqual({ kind: 'sqlite', path: './data/events.sqlite' });
    expect(config.partitionsConcurrently).toBe(2);
  });

  it('takes the group id, a disabled metrics port and the store path from the environment', () => {
    const config = readRecorderEnv({
      KAFKA_BROKERS: 'k:1',
      RECORDER_GROUP_ID: 'g2',
      RECORDER_METRICS_PORT: '0',
      DGT_EVENTSTORE_PATH: '/tmp/x.sqlite',
      RECORDER_PARTITIONS_CONCURRENTLY: '3',
    });
    expect(config).toMatchObject({ groupId: 'g2', metricsPort: 0, store: { kind: 'sqlite', path: '/tmp/x.sqlite' }, partitionsConcurrently: 3 });
  });

  it('requires KAFKA_BROKERS, API keys for an enabled metrics port, and a valid port (INVALID_CONFIG)', () => {
    expect(() => readRecorderEnv({ KAFKA_BROKERS: 'k:1' })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringContaining('DGT_API_KEYS') }),
    );
    expect(() => readRecorderEnv({})).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringContaining('KAFKA_BROKERS') }));
    expect(() => readRecorderEnv({ KAFKA_BROKERS: 'k:1', RECORDER_METRICS_PORT: '70000', DGT_API_KEYS: '[]' })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringContaining('RECORDER_METRICS_PORT') }),
    );
    for (const bad of ['0', '1.5', 'two', '65']) {
      expect(() => readRecorderEnv({ KAFKA_BROKERS: 'k:1', RECORDER_METRICS_PORT: '0', RECORDER_PARTITIONS_CONCURRENTLY: bad })).toThrow(
        expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringContaining('RECORDER_PARTITIONS_CONCURRENTLY') }),
      );
    }
  });
});
