import { readFileSync } from 'node:fs';
import type { DgtEvent } from '@dgt/events';
import { openSqliteEventStore, streamFor, vehicleStream } from '@dgt/eventstore';

const zonesFile = new URL('../../../../seeds/taizhou/zones.ndjson', import.meta.url);

/**
 * A SQLite event store the size of a fleet day: the Taizhou zones (their H3 cover is a real part
 * of a replay's cost) and `vehicles` trucks reporting every 10 s, each driving a straight line
 * across Jiaojiang for `fixesPerVehicle` fixes with a long stop in the middle. Returns the count.
 */
export async function writeLargeStore(path: string, vehicles: number, fixesPerVehicle: number): Promise<number> {
  const store = openSqliteEventStore({ path });
  try {
    const zones = readFileSync(zonesFile, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as DgtEvent);
    for (const z of zones) await store.append(streamFor(z), [z]);
    const start = Date.parse('2026-03-02T00:00:00Z');
    for (let v = 0; v < vehicles; v++) {
      const vehicleId = `V${String(v).padStart(4, '0')}`;
      const events: DgtEvent[] = [];
      for (let i = 0; i < fixesPerVehicle; i++) {
        const stopped = i > fixesPerVehicle / 3 && i < fixesPerVehicle / 2;
        const step = stopped ? Math.floor(fixesPerVehicle / 3) : i;
        events.push({
          eventId: `${vehicleId}-${i}`,
          type: 'VehiclePositionReported',
          occurredAt: new Date(start + i * 10_000 + v * 1000).toISOString(),
          data: { vehicleId, lon: 121.3 + (v % 20) * 0.01 + step * 0.0002, lat: 28.55 + Math.floor(v / 20) * 0.01 + step * 0.0001, speedKmh: stopped ? 0 : 40 },
        });
      }
      await store.append(vehicleStream(vehicleId), events);
    }
    return zones.length + vehicles * fixesPerVehicle;
  } finally {
    await store.close();
  }
}
