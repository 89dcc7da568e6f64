import { describe, expect, it } from 'vitest';
import { eventStoreConfigFromEnv, readAheadFromEnv } from '../src/config.ts';

describe('eventStoreConfigFromEnv', () => {
  it('defaults to a SQLite file under ./data', () => {
    expect(eventStoreConfigFromEnv({})).toEqual({ kind: 'sqlite', path: './data/events.sqlite' });
  });

  it('selects EventStoreDB when EVENTSTORE_URL is set', () => {
    expect(eventStoreConfigFromEnv({ EVENTSTORE_URL: 'esdb://localhost:2113?tls=false' })).toEqual({ kind: 'esdb', connectionString: 'esdb://localhost:2113?tls=false' });
  });

  it('rejects an unknown kind and an esdb choice without a URL', () => {
    expect(() => eventStoreConfigFromEnv({ DGT_EVENTSTORE: 'postgres' })).toThrow(/sqlite, esdb or memory/);
    expect(() => eventStoreConfigFromEnv({ DGT_EVENTSTORE: 'esdb' })).toThrow(/EVENTSTORE_URL/);
  });
});

describe('readAheadFromEnv', () => {
  it('leaves the choice to the adapter when unset, and accepts worker or inline', () => {
    expect(readAheadFromEnv({})).toBeUndefined();
    expect(readAheadFromEnv({ DGT_EVENTSTORE_READAHEAD: 'inline' })).toBe('inline');
    expect(readAheadFromEnv({ DGT_EVENTSTORE_READAHEAD: 'worker' })).toBe('worker');
  });

  it('rejects anything else', () => {
    expect(() => readAheadFromEnv({ DGT_EVENTSTORE_READAHEAD: 'threads' })).toThrow(/worker or inline/);
  });
});
