import { setTimeout as sleep } from 'node:timers/promises';
import { clockStream, openSqliteEventStore } from '@dgt/eventstore';

export interface StoreSnapshot {
  /** Events outside the clock stream: what the tests published. */
  readonly total: number;
  /** ClockTicked events the recorder appended on its own (one per whole minute of its wall clock). */
  readonly clockTicks: number;
  /** Event ids per stream, in revision order. */
  readonly streams: ReadonlyMap<string, readonly string[]>;
  /** recordedAt (ms) per event id. */
  readonly recordedAtMs: ReadonlyMap<string, number>;
}

/** Reads the whole SQLite store the recorder writes (a second connection; WAL lets it read while the recorder writes). */
export async function readStore(path: string): Promise<StoreSnapshot> {
  const store = openSqliteEventStore({ path });
  try {
    const streams = new Map<string, string[]>();
    const recordedAtMs = new Map<string, number>();
    let total = 0;
    let clockTicks = 0;
    for await (const recorded of store.readAll()) {
      // The recorder ticks whenever a wall-clock minute turns during a run: counting ticks would make
      // every total depend on when the test ran.
      if (recorded.streamId === clockStream) {
        clockTicks++;
        continue;
      }
      total++;
      let ids = streams.get(recorded.streamId);
      if (ids === undefined) streams.set(recorded.streamId, (ids = []));
      ids.push(recorded.event.eventId);
      recordedAtMs.set(recorded.event.eventId, Date.parse(recorded.recordedAt));
    }
    // Revision order = append order within a stream, and readAll is in commit order, so ids are in revision order.
    return { total, clockTicks, streams, recordedAtMs };
  } finally {
    await store.close();
  }
}

/** Polls the store until it holds at least `count` events; returns the last snapshot. */
export async function waitForStoreCount(path: string, count: number, timeoutMs: number): Promise<StoreSnapshot> {
  const giveUpAt = Date.now() + timeoutMs;
  for (;;) {
    const snapshot = await readStore(path);
    if (snapshot.total >= count) return snapshot;
    if (Date.now() > giveUpAt) {
      throw new Error(`the store holds ${snapshot.total} events, expected ${count} within ${timeoutMs} ms`);
    }
    await sleep(300);
  }
}
