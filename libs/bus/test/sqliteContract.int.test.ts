import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteBus } from '../src/index.ts';
import { runBusContract } from './contract.ts';

let counter = 0;
runBusContract('sqlite file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dgt-bus-contract-'));
  const bus = createSqliteBus({ path: join(dir, 'bus.sqlite') });
  return {
    bus,
    unique: (base) => `${base}-${++counter}`,
    deliveryTimeoutMs: 5000,
    dispose: async () => {
      await bus.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
