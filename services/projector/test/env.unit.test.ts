import { describe, expect, it } from 'vitest';
import { readProjectorEnv } from '../src/env.ts';
import { ProjectorError } from '../src/errors.ts';

describe('projector environment', () => {
  it('defaults to SQLite stores, the in-process bus and big catch-up batches', () => {
    const env = readProjectorEnv({ PROJECTOR_METRICS_PORT: '0' });
    expect(env).toMatchObject({
      metricsPort: 0,
      maxBatchEvents: 500_000,
      flushIntervalMs: 150,
      store: { kind: 'sqlite' },
      readModels: { kind: 'sqlite' },
      bus: { brokers: [] },
      apiKeys: [],
    });
  });

  it('refuses a bad setting and an ops endpoint without keys, naming the variable', () => {
    expect(() => readProjectorEnv({ PROJECTOR_METRICS_PORT: '0', PROJECTOR_MAX_BATCH_EVENTS: '0' })).toThrow(/PROJECTOR_MAX_BATCH_EVENTS/);
    expect(() => readProjectorEnv({})).toThrow(ProjectorError);
    expect(() => readProjectorEnv({})).toThrow(/DGT_API_KEYS/);
  });
});
