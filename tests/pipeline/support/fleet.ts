import { isoUtc, type EventOf } from '@dgt/events';

const BASE_MS = Date.parse('2026-03-01T08:00:00+08:00');

export type Position = EventOf<'VehiclePositionReported'>;

export interface Fleet {
  /** lane → batches → events. Each lane owns a disjoint set of vehicles, so posting a lane's batches one after another keeps every vehicle's order. */
  readonly lanes: Position[][][];
  /** vehicle stream → event ids in the order they must be recorded. */
  readonly expected: ReadonlyMap<string, readonly string[]>;
  readonly total: number;
}

export function positionEvent(runId: string, vehicle: number, seq: number): Position {
  const vehicleId = `${runId}-V${vehicle}`;
  return {
    eventId: `${vehicleId}-${seq}`,
    type: 'VehiclePositionReported',
    occurredAt: isoUtc(BASE_MS + seq * 10_000),
    data: {
      vehicleId,
      lon: 121.42 + (vehicle % 50) * 0.001 + seq * 1e-5,
      lat: 28.65 + Math.floor(vehicle / 50) * 0.001,
      speedKmh: (seq * 7) % 90,
      headingDeg: (seq * 13) % 360,
    },
  };
}

/** `vehicles` vehicles reporting `perVehicle` fixes each, interleaved in time, cut into POST batches per lane. */
export function fleet(options: { runId: string; vehicles: number; perVehicle: number; batchSize: number; lanes: number }): Fleet {
  const { runId, vehicles, perVehicle, batchSize, lanes } = options;
  const expected = new Map<string, string[]>();
  const out: Position[][][] = [];
  for (let lane = 0; lane < lanes; lane++) {
    const events: Position[] = [];
    for (let seq = 0; seq < perVehicle; seq++) {
      for (let v = lane; v < vehicles; v += lanes) events.push(positionEvent(runId, v, seq));
    }
    const batches: Position[][] = [];
    for (let i = 0; i < events.length; i += batchSize) batches.push(events.slice(i, i + batchSize));
    out.push(batches);
  }
  for (let v = 0; v < vehicles; v++) {
    expected.set(`vehicle-${runId}-V${v}`, Array.from({ length: perVehicle }, (_, seq) => `${runId}-V${v}-${seq}`));
  }
  return { lanes: out, expected, total: vehicles * perVehicle };
}

/** Consignment lifecycles (declared → assigned → closed) and zone designations, with their expected streams. */
export function consignmentsAndZones(runId: string, waybills: number, zones: number): { events: { eventId: string }[]; expected: Map<string, string[]> } {
  const events: { eventId: string }[] = [];
  const expected = new Map<string, string[]>();
  for (let w = 0; w < waybills; w++) {
    const waybillNo = `${runId}-WB${w}`;
    const at = (minutes: number) => isoUtc(BASE_MS + minutes * 60_000);
    const lifecycle = [
      {
        eventId: `${waybillNo}-declared`,
        type: 'ConsignmentDeclared',
        occurredAt: at(w),
        data: {
          waybillNo,
          consignorId: 'ZJ-CHEM-01',
          goods: [{ unNumber: '1203', name: 'Gasoline', hazardClass: '3', quantityKg: 18_000 }],
          origin: { name: 'Taizhou depot', lon: 121.42, lat: 28.65 },
          destination: { name: 'Linhai station', lon: 121.14, lat: 28.86 },
        },
      },
      {
        eventId: `${waybillNo}-assigned`,
        type: 'CarriageAssigned',
        occurredAt: at(w + 1),
        data: { waybillNo, carrierId: 'C1', vehicleId: `${runId}-V${w}`, driverId: `D${w}`, escortId: `E${w}` },
      },
      { eventId: `${waybillNo}-closed`, type: 'ConsignmentClosed', occurredAt: at(w + 300), data: { waybillNo } },
    ];
    events.push(...lifecycle);
    expected.set(`consignment-${waybillNo}`, lifecycle.map((e) => e.eventId));
  }
  const zoneIds: string[] = [];
  for (let z = 0; z < zones; z++) {
    const zoneId = `${runId}-Z${z}`;
    const lon = 121.4 + z * 0.01;
    events.push({
      eventId: `${zoneId}-designated`,
      type: 'ZoneDesignated',
      occurredAt: isoUtc(BASE_MS + z * 1000),
      data: { zoneId, kind: 'parking-lot', name: `Lot ${z}`, datum: 'WGS84', polygon: [[lon, 28.6], [lon + 0.005, 28.6], [lon + 0.005, 28.605], [lon, 28.605]] },
    } as { eventId: string });
    zoneIds.push(`${zoneId}-designated`);
  }
  expected.set('zones', zoneIds);
  return { events, expected };
}
