import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openSqliteReadModelStore } from '../src/sqlite/sqliteReadModelStore.ts';
import { caseReadModelContract } from './caseContract.ts';
import { readModelStoreContract } from './contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'dgt-readmodels-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const paths = new WeakMap<object, string>();

async function openFresh() {
  const path = join(dir, `rm-${++n}.sqlite`);
  const store = await openSqliteReadModelStore({ path });
  paths.set(store, path);
  return store;
}

/** Closes a store and opens its file again, for the durability tests. */
async function reopen(store: { close(): Promise<void> }) {
  await store.close();
  return openSqliteReadModelStore({ path: paths.get(store)! });
}

// A real file per test.
readModelStoreContract('sqlite', openFresh, { reopen });
caseReadModelContract('sqlite', openFresh, { reopen });
