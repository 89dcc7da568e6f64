import type { StartedTestContainer } from 'testcontainers';
import { afterAll, beforeAll, describe } from 'vitest';
import { openEsdbEventStore } from '../src/esdb/esdbEventStore.ts';
import { runEventStoreContract } from './contract.ts';
import { resolveEsdbTarget, startEsdb } from './esdbTarget.ts';

const target = await resolveEsdbTarget();
if (target.kind === 'unavailable') console.warn(`EventStoreDB contract SKIPPED: ${target.reason}. See libs/eventstore/README.md to run it.`);

describe.skipIf(target.kind === 'unavailable')('EventStoreDB adapter', () => {
  let url = target.kind === 'url' ? target.url : '';
  let container: StartedTestContainer | undefined;
  beforeAll(async () => {
    if (target.kind === 'container') ({ url, container } = await startEsdb(target.image));
  }, 180_000);
  afterAll(async () => {
    await container?.stop();
  });

  runEventStoreContract('esdb', (clock) => openEsdbEventStore({ connectionString: url, clock }), { eventIdScope: 'stream', shared: true, atomicMultiStream: false, conflictsAndLookup: false });
});
