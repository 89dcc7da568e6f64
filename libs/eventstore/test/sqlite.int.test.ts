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
runEventStoreContract('sqlite', (clock) => openSqliteEventStore({ path: join(dir, `store-${++n}.sqlite`), clock, pageSize: 2, pollIntervalMs: 20 }));
