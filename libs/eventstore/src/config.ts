import { EventStoreError } from './errors.ts';

/** Which adapter a service opens, from its environment. */
export type EventStoreConfig =
  | { kind: 'memory' }
  /** `checkpoint`, `append`: see `SqliteEventStoreOptions` (`worker` for a writer whose thread also serves other work). */
  | { kind: 'sqlite'; path: string; checkpoint?: 'inline' | 'worker'; append?: 'inline' | 'worker' }
  | { kind: 'esdb'; connectionString: string };

/**
 * `DGT_EVENTSTORE` = `sqlite` (default) | `esdb` | `memory`;
 * `DGT_EVENTSTORE_PATH` (SQLite file, default `./data/events.sqlite`);
 * `EVENTSTORE_URL` (EventStoreDB, e.g. `esdb://localhost:2113?tls=false`; implies `esdb` when set).
 */
export function eventStoreConfigFromEnv(env: NodeJS.ProcessEnv = process.env): EventStoreConfig {
  const kind = env.DGT_EVENTSTORE ?? (env.EVENTSTORE_URL ? 'esdb' : 'sqlite');
  switch (kind) {
    case 'memory':
      return { kind };
    case 'sqlite':
      return { kind, path: env.DGT_EVENTSTORE_PATH ?? './data/events.sqlite' };
    case 'esdb': {
      const connectionString = env.EVENTSTORE_URL;
      if (!connectionString) throw new EventStoreError('INVALID_ARGUMENT', 'DGT_EVENTSTORE=esdb needs EVENTSTORE_URL, e.g. esdb://localhost:2113?tls=false');
      return { kind, connectionString };
    }
    default:
      throw new EventStoreError('INVALID_ARGUMENT', `DGT_EVENTSTORE must be sqlite, esdb or memory, got ${JSON.stringify(kind)}`);
  }
}

/**
 * `DGT_EVENTSTORE_READAHEAD` = `worker` | `inline`: how the SQLite adapter reads long global reads
 * when the caller does not say (see `SqliteEventStoreOptions.readAhead`); unset = the adapter's default.
 */
export function readAheadFromEnv(env: NodeJS.ProcessEnv = process.env): 'worker' | 'inline' | undefined {
  const mode = env.DGT_EVENTSTORE_READAHEAD;
  if (mode === undefined || mode === '') return undefined;
  if (mode === 'worker' || mode === 'inline') return mode;
  throw new EventStoreError('INVALID_ARGUMENT', `DGT_EVENTSTORE_READAHEAD must be worker or inline, got ${JSON.stringify(mode)}`);
}
