import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openReadModelStore, readModelConfigFromEnv } from '../src/config.ts';
import { ReadModelError } from '../src/errors.ts';
import { batch } from './fixtures.ts';

describe('readModelConfigFromEnv', () => {
  it('defaults to SQLite at ./data/readmodels.sqlite', () => {
    expect(readModelConfigFromEnv({})).toEqual({ kind: 'sqlite', path: './data/readmodels.sqlite' });
  });

  it('reads the adapter and the path', () => {
    expect(readModelConfigFromEnv({ DGT_READMODELS: 'memory' })).toEqual({ kind: 'memory' });
    expect(readModelConfigFromEnv({ DGT_READMODELS: 'sqlite', DGT_READMODELS_PATH: '/var/lib/dgt/rm.sqlite' })).toEqual({ kind: 'sqlite', path: '/var/lib/dgt/rm.sqlite' });
  });

  it('refuses an unknown adapter, naming the variable', () => {
    expect(() => readModelConfigFromEnv({ DGT_READMODELS: 'postgres' })).toThrow(ReadModelError);
    expect(() => readModelConfigFromEnv({ DGT_READMODELS: 'postgres' })).toThrow(/DGT_READMODELS.*postgres/);
  });
});

describe('openReadModelStore', () => {
  it('opens a working memory store', async () => {
    const store = await openReadModelStore({ kind: 'memory' });
    await store.commit(batch('1'));
    expect(await store.checkpoint()).toBe('1');
    await store.close();
  });

  it('opens a SQLite file read-write, then read-only next to it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dgt-readmodels-config-'));
    try {
      const config = readModelConfigFromEnv({ DGT_READMODELS_PATH: join(dir, 'sub', 'rm.sqlite') });
      const writer = await openReadModelStore(config);
      await writer.commit(batch('5'));
      const reader = await openReadModelStore(config, { readonly: true });
      expect(await reader.checkpoint()).toBe('5');
      await expect(reader.commit(batch('6'))).rejects.toMatchObject({ code: 'READ_ONLY' });
      await reader.close();
      await writer.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
