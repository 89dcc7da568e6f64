import type { EventStore, RecordedEvent, Subscription } from '@dgt/eventstore';

/**
 * Follows the record's events of some types from its beginning, then live, handing each to
 * `handle` in order: what the case policy runner and the points reconciler share. `caughtUp()`
 * resolves once every such event recorded at the start has been handled; a failed handle is
 * reported and the next event handled (the record is read again at the next start).
 */
export interface RecordFollower {
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
}

export function followRecord(store: EventStore, types: readonly string[], handle: (r: RecordedEvent) => Promise<void>, onError?: (error: unknown) => void): RecordFollower {
  const subscription: Subscription = store.subscribeAll({ filter: { types } });
  let stopped = false;
  let reached: () => void = () => {};
  const caughtUp = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const loop = (async () => {
    // The last matching event recorded now: handling it means the backlog is done.
    let last: string | null = null;
    for await (const r of store.readAll({ filter: { types } })) last = r.position;
    if (last === null) reached();
    for await (const r of subscription) {
      if (stopped) break;
      try {
        await handle(r);
      } catch (error) {
        onError?.(error);
      }
      if (r.position === last) reached();
    }
  })().catch((error: unknown) => {
    if (!stopped) onError?.(error);
  });
  return {
    caughtUp: () => Promise.race([caughtUp, loop.then(() => undefined)]),
    async stop() {
      stopped = true;
      await subscription.close();
      await loop;
      reached();
    },
  };
}
