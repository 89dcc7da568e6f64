import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { openSqliteEventStore } from '@dgt/eventstore';
import { record } from '../test/fixtures.ts';
import { fleetEvents } from '../test/syntheticFleet.ts';

/* What the projector's benches share: the generated store, medians, and a full GC before each timed run. */

export const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

setFlagsFromString('--expose-gc');
/** A full collection, so a timed run is not charged for the garbage of the one before. */
export const collectGarbage = runInNewContext('gc') as () => void;

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export const spread = (rates: readonly number[]): string => (rates.length > 1 ? ` (runs: ${rates.map(fmt).join(', ')})` : '');

/**
 * The synthetic fleet recorded in a SQLite store under `dir`; with `keep` (BENCH_EVENTS_COPY) the
 * store is kept there and reused next time (it depends on the fleet's size: delete it after changing it).
 */
export async function generatedStore(dir: string, vehicles: number, fixesPerVehicle: number, keep: string | undefined): Promise<{ path: string; total: number }> {
  const path = keep ?? join(dir, 'generated.sqlite');
  if (keep !== undefined && existsSync(keep) && existsSync(`${keep}.count`)) return { path, total: Number(readFileSync(`${keep}.count`, 'utf8')) };
  const store = openSqliteEventStore({ path });
  let n = 0;
  const total = await record(
    store,
    (function* () {
      for (const e of fleetEvents({ vehicles, fixesPerVehicle })) {
        if (++n % 1_000_000 === 0) process.stderr.write(`  generating: ${fmt(n)} events\n`);
        yield e;
      }
    })(),
  );
  await store.close();
  if (keep !== undefined) writeFileSync(`${keep}.count`, String(total));
  return { path, total };
}
