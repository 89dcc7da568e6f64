import { startedMsOf } from '../queryArgs.ts';
import { allHours, beijingDate, beijingDayNumber, beijingHour, cellCentre, cellIndex, type CarrierCount, type ReadModelStatistics, type SegmentHourCount } from '../statistics.ts';
import type { AdvisoryView, ViolationView } from '../views.ts';

function bump<K>(counts: Map<K, number>, key: K): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** Binary order with null last, as the SQLite adapter sorts carrier ids. */
function compareNullableIds(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/**
 * The statistics of the rows of one window, already scoped: one pass over them. The memory
 * adapter's way (the SQLite one groups in SQL); the contract suite holds both to the same answers.
 */
export function statisticsOf(violations: readonly ViolationView[], passages: readonly AdvisoryView[], carrierName: (carrierId: string) => string | null): ReadModelStatistics {
  const dayKind = new Map<string, number>();
  const carriers = new Map<string | null, number>();
  const hours = new Map<number, number>();
  const cells = new Map<string, number>();
  let unlocated = 0;
  for (const v of violations) {
    const ms = startedMsOf(`violation ${v.violationId}`, v.startedAt);
    bump(dayKind, `${String(beijingDayNumber(ms)).padStart(8, '0')}\u0000${v.kind}`);
    bump(carriers, v.carrierId);
    bump(hours, beijingHour(ms));
    if (v.lon === null || v.lat === null) unlocated++;
    else bump(cells, `${cellIndex(v.lon)},${cellIndex(v.lat)}`);
  }
  const segments = new Map<string, { zoneId: string; zoneName: string | null; hours: Map<number, number> }>();
  for (const a of passages) {
    if (a.kind !== 'segment-passage' || !a.laden || a.zoneId === null) continue;
    let segment = segments.get(a.zoneId);
    if (segment === undefined) {
      segment = { zoneId: a.zoneId, zoneName: null, hours: new Map() };
      segments.set(a.zoneId, segment);
    }
    // The greatest name, as SQLite's max() picks it.
    if (a.zoneName !== null && (segment.zoneName === null || a.zoneName > segment.zoneName)) segment.zoneName = a.zoneName;
    bump(segment.hours, beijingHour(startedMsOf(`advisory ${a.advisoryId}`, a.startedAt)));
  }

  const byDayKind = [...dayKind]
    .map(([key, count]) => {
      const [day, kind] = key.split('\u0000') as [string, ViolationView['kind']];
      return { dayNumber: Number(day), kind, count };
    })
    .sort((a, b) => a.dayNumber - b.dayNumber || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0))
    .map(({ dayNumber, kind, count }) => ({ day: beijingDate(dayNumber), kind, count }));
  const byCarrier: CarrierCount[] = [...carriers]
    .sort(([a, n], [b, m]) => m - n || compareNullableIds(a, b))
    .map(([carrierId, count]) => ({ carrierId, name: carrierId === null ? null : carrierName(carrierId), count }));
  const byCell = [...cells]
    .map(([key, count]) => {
      const [lon, lat] = key.split(',').map(Number) as [number, number];
      return { lon, lat, count };
    })
    .sort((a, b) => a.lon - b.lon || a.lat - b.lat)
    .map(({ lon, lat, count }) => ({ lon: cellCentre(lon), lat: cellCentre(lat), count }));
  const passagesBySegmentHour: SegmentHourCount[] = [...segments.values()]
    .sort((a, b) => (a.zoneId < b.zoneId ? -1 : a.zoneId > b.zoneId ? 1 : 0))
    .flatMap((s) =>
      [...s.hours]
        .sort(([a], [b]) => a - b)
        .map(([hour, count]) => ({ zoneId: s.zoneId, zoneName: s.zoneName, hour, count })),
    );
  return { byDayKind, byCarrier, byHour: allHours(hours), byCell, unlocated, passagesBySegmentHour };
}
