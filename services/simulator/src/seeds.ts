import { canonicalJson, type DgtEvent, parseEvent } from '@dgt/events';
import { wgs84ToGcj02 } from '@dgt/geo';
import { buildFleet, type Fleet } from './fleet.ts';
import { customers, gcj02Lots, type LonLat, lotHalfSizeM, lots, nodes, parkHalfSizeM, parks } from './geography.ts';
import { toLonLat, toXY } from './planar.ts';
import { RoadNetwork } from './roadNetwork.ts';
import { lotCapacity, restrictedAreas, segments } from './zoneSpecs.ts';

/** Seeds are designated/registered at this instant; simulations must start after it. */
export const SEED_TIME = '2026-01-01T00:00:00+08:00';
export const SEED_TIME_MS = Date.parse(SEED_TIME);

function ring(centre: LonLat, halfXM: number, halfYM: number, skewM: number): [number, number][] {
  const [cx, cy] = toXY(centre);
  const corners: [number, number][] = [
    [-halfXM, -halfYM],
    [halfXM, -halfYM + skewM],
    [halfXM + skewM, halfYM],
    [-halfXM + skewM, halfYM - skewM],
  ];
  const pts = corners.map(([dx, dy]) => round6(toLonLat(cx + dx, cy + dy)));
  return [...pts, pts[0]!];
}

function round6(p: readonly [number, number]): [number, number] {
  return [Math.round(p[0] * 1e6) / 1e6, Math.round(p[1] * 1e6) / 1e6];
}

function toGcj(p: readonly [number, number]): [number, number] {
  return round6(wgs84ToGcj02(p[0], p[1]));
}

/** The lot polygons in WGS-84, as the simulator parks inside them. */
export function lotPolygonWgs84(lotId: string): [number, number][] {
  return ring(nodes[lotId as keyof typeof nodes], lotHalfSizeM, lotHalfSizeM * 0.85, 12);
}

/** ZoneDesignated events: parks, lots (with capacities), accident-prone segments (some with rules, some declared in GCJ-02), restricted areas. */
export function zoneEvents(): DgtEvent[] {
  const out: DgtEvent[] = [];
  const zone = (zoneId: string, data: Record<string, unknown>) =>
    out.push(parseEvent({ eventId: `zone-${zoneId}`, type: 'ZoneDesignated', occurredAt: SEED_TIME, data: { zoneId, ...data } }));
  for (const p of parks) {
    zone(p.id, { kind: 'chemical-park', name: `${p.nameZh} ${p.name} (approx.)`, datum: 'WGS84', polygon: ring(nodes[p.id], parkHalfSizeM, parkHalfSizeM * 0.8, 150) });
  }
  for (const l of lots) {
    const polygon = lotPolygonWgs84(l.id);
    const gcj = gcj02Lots.has(l.id);
    const capacity = lotCapacity[l.id];
    zone(l.id, { kind: 'parking-lot', name: `${l.nameZh} ${l.name} (approx.)`, datum: gcj ? 'GCJ02' : 'WGS84', polygon: gcj ? polygon.map(toGcj) : polygon, capacity });
  }
  for (const s of segments) {
    const path = s.path.map((p) => (s.datum === 'GCJ02' ? toGcj(p) : round6(p)));
    zone(s.zoneId, { kind: 'accident-segment', name: `${s.name} (approx.)`, datum: s.datum, path, bufferM: s.bufferM, ...(s.rules ? { rules: s.rules } : {}) });
  }
  for (const a of restrictedAreas) {
    zone(a.zoneId, { kind: 'restricted-area', name: `${a.nameZh} ${a.name} (approx., synthetic rules)`, datum: 'WGS84', polygon: a.polygon.map(round6), rules: a.rules });
  }
  return out;
}

/** CarrierRegistered for every carrier, then VehicleRegistered for every vehicle (optionally only some). */
export function registryEvents(fleet: Fleet, onlyVehicles?: ReadonlySet<string>): DgtEvent[] {
  const out: DgtEvent[] = [];
  const carriers = onlyVehicles === undefined ? fleet.carriers : fleet.carriers.filter((c) => fleet.vehicles.some((v) => v.carrierId === c.carrierId && onlyVehicles.has(v.vehicleId)));
  for (const c of carriers) {
    out.push(parseEvent({ eventId: `carrier-${c.carrierId}`, type: 'CarrierRegistered', occurredAt: SEED_TIME, data: { carrierId: c.carrierId, name: c.name, licenceNo: c.licenceNo } }));
  }
  for (const v of fleet.vehicles) {
    if (onlyVehicles !== undefined && !onlyVehicles.has(v.vehicleId)) continue;
    out.push(
      parseEvent({
        eventId: `vehicle-${v.vehicleId}`,
        type: 'VehicleRegistered',
        occurredAt: SEED_TIME,
        data: { vehicleId: v.vehicleId, carrierId: v.carrierId, plateNo: v.plateNo, terminalPhone: v.terminalPhone },
      }),
    );
  }
  return out;
}

/** A JSON document with one array element per line: diffable, and stable byte for byte. */
function arraysPerLine(doc: Record<string, unknown>): string {
  const parts = Object.entries(doc).map(([k, v]) =>
    Array.isArray(v) ? `${JSON.stringify(k)}: [\n${v.map((x) => '  ' + JSON.stringify(x)).join(',\n')}\n]` : `${JSON.stringify(k)}: ${JSON.stringify(v)}`,
  );
  return `{\n${parts.join(',\n')}\n}\n`;
}

export function roadsGeoJson(): string {
  const features = RoadNetwork.roadGeometries().map((r) => ({
    type: 'Feature',
    properties: {
      id: r.id,
      name: r.name,
      roadClass: r.roadClass,
      speedLimitKmh: r.roadClass === 'expressway' ? 80 : 60,
      ...(r.restrictedZoneId === undefined ? {} : { restrictedZoneId: r.restrictedZoneId }),
      approximate: true,
    },
    geometry: { type: 'LineString', coordinates: r.coordinates.map(round6) },
  }));
  const sites = [...parks, ...lots, ...customers].map((s) => ({
    type: 'Feature',
    properties: { id: s.id, kind: s.kind, name: s.name, nameZh: s.nameZh, approximate: true },
    geometry: { type: 'Point', coordinates: round6(nodes[s.id]) },
  }));
  return arraysPerLine({
    type: 'FeatureCollection',
    name: 'taizhou-roads (synthetic, approximate WGS-84; not for navigation or enforcement)',
    features: [...features, ...sites],
  });
}

export function fleetJson(fleet: Fleet): string {
  return arraysPerLine({
    note: 'Synthetic fleet (虚构数据): every carrier, vehicle, person and consignor is invented.',
    carriers: fleet.carriers,
    vehicles: fleet.vehicles,
    people: fleet.people,
    consignors: fleet.consignors,
    products: fleet.products,
  });
}

/** Every seed file by name, as bytes-to-be: the same on every run. */
export function seedFiles(fleet: Fleet = buildFleet()): Record<string, string> {
  const ndjson = (events: DgtEvent[]) => events.map((e) => canonicalJson(e)).join('\n') + '\n';
  return {
    'zones.ndjson': ndjson(zoneEvents()),
    'registry.ndjson': ndjson(registryEvents(fleet)),
    'roads.json': roadsGeoJson(),
    'fleet.json': fleetJson(fleet),
  };
}
