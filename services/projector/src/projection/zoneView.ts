import type { EventOf, ZoneRules } from '@dgt/events';
import { gcj02ToWgs84 } from '@dgt/geo';
import type { ZoneRulesView, ZoneView } from '@dgt/readmodels';

type LonLatIn = readonly [number, number];

/** The map draws WGS-84 only: a GCJ-02 declaration is converted once, here. */
function toWgs84(points: readonly LonLatIn[], datum: 'WGS84' | 'GCJ02'): [number, number][] {
  return datum === 'GCJ02' ? points.map(([lon, lat]) => gcj02ToWgs84(lon, lat)) : points.map(([lon, lat]) => [lon, lat]);
}

/** Every field present, so the desk reads a rule without asking whether it exists. */
function rulesView(r: ZoneRules | undefined): ZoneRulesView | null {
  if (r === undefined) return null;
  return {
    speedLimitKmh: r.speedLimitKmh ?? null,
    ladenBanned: r.ladenBanned ?? false,
    bannedHours: (r.bannedHours ?? []).map((w) => ({ from: w.from, to: w.to })),
    hazardClasses: r.hazardClasses === undefined ? null : [...r.hazardClasses],
  };
}

export function zoneViewOf(event: EventOf<'ZoneDesignated'>): ZoneView {
  const d = event.data;
  return {
    zoneId: d.zoneId,
    kind: d.kind,
    name: d.name,
    declaredDatum: d.datum,
    polygon: d.polygon === undefined ? null : toWgs84(d.polygon, d.datum),
    path: d.path === undefined ? null : toWgs84(d.path, d.datum),
    bufferM: d.bufferM ?? null,
    rules: rulesView(d.rules),
    capacity: d.capacity ?? null,
    designatedAt: event.occurredAt,
  };
}
