import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DetectionEvent, DgtEvent } from '@dgt/events';
import { openSqliteEventStore } from '@dgt/eventstore';
import { recordLive } from './liveProjector.ts';
import { asVehicle, scenarioEvents } from './scenarioEvents.ts';

/** Three vehicles: V1 parks laden at the roadside, V1-8 (laden) and V2 (empty) pass a segment. */
export function fleetEvents(): DgtEvent[] {
  return [
    ...scenarioEvents('02-parked-laden-roadside-25min'),
    ...asVehicle(scenarioEvents('08-pass-through-segment'), '-8'),
    ...scenarioEvents('08b-pass-through-segment-empty'),
  ];
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A SQLite store in a fresh temp dir, with the events recorded and processed live. */
export async function liveStore(events: readonly DgtEvent[], options: { drop?: (d: DetectionEvent) => boolean; after?: readonly DgtEvent[] } = {}): Promise<{ dir: string; path: string; recorded: DetectionEvent[] }> {
  const dir = tempDir('dgt-replay-');
  const path = join(dir, 'events.sqlite');
  const store = openSqliteEventStore({ path });
  const { recorded } = await recordLive(store, events, options.drop ? { drop: options.drop } : {});
  // Recorded after the live run, never seen by the projector (e.g. a retroactive correction).
  for (const e of options.after ?? []) await store.append(e.type === 'ZoneDesignated' || e.type === 'ZoneWithdrawn' ? 'zones' : 'misc', [e]);
  await store.close();
  return { dir, path, recorded };
}
