import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openSqliteEventStore } from '../src/sqlite/sqliteEventStore.ts';
import { runEventStoreContract } from './contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'dgt-eventstore-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

// A real file per test; a small page size so paging paths are exercised.
runEventStoreContract('sqlite', (clock) => openSqliteEventStore({ path: join(dir, `store-${++n}.sqlite`), clock, pageSize: 2, pollIntervalMs: 20, readAhead: 'inline' }));

// Every global read that has something to read goes through a read-ahead worker, two events a page.
runEventStoreContract('sqlite, worker read-ahead', (clock) =>
  openSqliteEventStore({ path: join(dir, `store-${++n}.sqlite`), clock, pageSize: 2, pollIntervalMs: 20, readAhead: 'worker', readAheadMinEvents: 0, readAheadPageSize: 2 }),
);

// Every append runs on the append worker's connection (the stack's mode), with the checkpoint worker beside it.
runEventStoreContract('sqlite, worker appends', (clock) =>
  openSqliteEventStore({ path: join(dir, `store-${++n}.sqlite`), clock, pageSize: 2, pollIntervalMs: 20, readAhead: 'inline', append: 'worker', checkpoint: 'worker', checkpointIntervalMs: 5 }),
);
