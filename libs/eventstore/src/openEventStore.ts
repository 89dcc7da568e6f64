import type { Clock } from './clock.ts';
import type { EventStoreConfig } from './config.ts';
import { openEsdbEventStore } from './esdb/esdbEventStore.ts';
import { openMemoryEventStore } from './memory/memoryEventStore.ts';
import type { EventStore } from './port.ts';
import { openSqliteEventStore } from './sqlite/sqliteEventStore.ts';

export function openEventStore(config: EventStoreConfig, clock?: Clock): EventStore {
  const withClock = clock ? { clock } : {};
  switch (config.kind) {
    case 'memory':
      return openMemoryEventStore(withClock);
    case 'sqlite':
      return openSqliteEventStore({
        path: config.path,
        ...(config.checkpoint === undefined ? {} : { checkpoint: config.checkpoint }),
        ...(config.append === undefined ? {} : { append: config.append }),
        ...withClock,
      });
    case 'esdb':
      return openEsdbEventStore({ connectionString: config.connectionString, ...withClock });
    default: {
      const never: never = config;
      throw new Error(`unknown event store kind ${(never as { kind: string }).kind}`);
    }
  }
}
