import type { FleetVehicle } from '@dgt/readmodels';

/** A deterministic fleet for the benchmark: the same 5,000 vehicles on every run. */

export const FLEET_SIZE = 5000;
export const CARRIERS = 50;

/** mulberry32: small, fast, seeded. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const vehicleId = (i: number): string => `V${String(i).padStart(5, '0')}`;

/** One fleet row as the projector would write it; `tick` moves the fix forward in time. */
export function fleetRow(i: number, random: () => number, tick = 0): FleetVehicle {
  const laden = i % 2 === 0;
  const carrier = `C${String(i % CARRIERS).padStart(2, '0')}`;
  const occurredAt = new Date(Date.UTC(2026, 2, 5, 2, 0, 0) + tick * 1000).toISOString();
  const violating = i % 50 === 0;
  return {
    vehicleId: vehicleId(i),
    plateNo: `浙J${String(10000 + i)}`,
    carrierId: carrier,
    lastFix: { eventId: `pos-${i}-${tick}`, occurredAt, lon: 121.0 + random() * 0.7, lat: 28.4 + random() * 0.6, speedKmh: Math.round(random() * 80), headingDeg: Math.round(random() * 359) },
    laden,
    waybillNo: laden ? `WB-${i}` : null,
    goods: laden ? [{ unNumber: 'UN1203', name: 'Gasoline', hazardClass: '3', quantityKg: 20_000 }] : [],
    zones: i % 10 === 0 ? [{ zoneId: 'Z-PARK-1', kind: 'chemical-park', name: 'Taizhou Bay chemical park' }] : [],
    stoppedSince: violating ? occurredAt : null,
    openViolations: violating ? [{ violationId: `X-${i}`, kind: 'illegal-parking', startedAt: occurredAt }] : [],
  };
}
