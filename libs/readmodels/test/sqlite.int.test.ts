import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openSqliteReadModelStore } from '../src/sqlite/sqliteReadModelStore.ts';
import { readModelStoreContract } from './contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'dgt-readmodels-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const paths = new WeakMap<object, string>();

// A real file per test, reopened from disk for the durability test.
readModelStoreContract(
  'sqlite',
  async () => {
    const path = join(dir, `rm-${++n}.sqlite`);
    const store = await openSqliteReadModelStore({ path });
    paths.set(store, path);
    return store;
  },
  {
    reopen: async (store) => {
      await store.close();
      return openSqliteReadModelStore({ path: paths.get(store)! });
    },
  },
);
