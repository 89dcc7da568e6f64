import { runDetection } from '@dgt/detection';
import { canonicalJson, type DgtEvent } from '@dgt/events';
import { type EventStore, openMemoryEventStore } from '@dgt/eventstore';
import { gcj02ToWgs84 } from '@dgt/geo';
import { advisoryView, alertView, createMemoryReadModelStore, fleetVehicle, type ReadModelBatch, type ReadModelStore, violationView, zoneView } from '@dgt/readmodels';
import { describe, expect, it } from 'vitest';
import { CollectingPublisher, projectorFor, record, recordedDetections, recordedInputs, snapshot } from './fixtures.ts';
import { fleetEvents, type FleetSpec } from './syntheticFleet.ts';

const at = (m: number, s = 0) => new Date(Date.parse('2026-03-02T08:00:00+08:00') + (m * 60 + s) * 1000).toISOString().replace('Z', '+00:00');
const ROAD = { lon: 121.52, lat: 28.7 };
const site = { name: 'Jiaojiang park', lon: 121.465, lat: 28.685 };

function fix(id: string, t: string, vehicleId: string, lon: number, lat: number, speedKmh: number, headingDeg?: number): DgtEvent {
  return { eventId: id, type: 'VehiclePositionReported', occurredAt: t, data: { vehicleId, lon, lat, speedKmh, ...(headingDeg === undefined ? {} : { headingDeg }) } };
}

/** A carrier, two vehicles (V1 laden, V2 empty), a GCJ-02 lot, a park and a segment; V1 parks 12 min at the roadside, both cross the segment. */
function story(): DgtEvent[] {
  const t0 = at(-60);
  const e: DgtEvent[] = [
    { eventId: 'c1', type: 'CarrierRegistered', occurredAt: t0, data: { carrierId: 'C1', name: 'Taizhou Hazmat' } },
    { eventId: 'r1', type: 'VehicleRegistered', occurredAt: t0, data: { vehicleId: 'V1', carrierId: 'C1', plateNo: '浙J·12345' } },
    { eventId: 'zl', type: 'ZoneDesignated', occurredAt: t0, data: { zoneId: 'lot-g', kind: 'parking-lot', name: 'GCJ lot', datum: 'GCJ02', polygon: [[121.6, 28.8], [121.61, 28.8], [121.61, 28.81], [121.6, 28.81]] } },
    { eventId: 'zp', type: 'ZoneDesignated', occurredAt: t0, data: { zoneId: 'park-r', kind: 'chemical-park', name: 'Roadside park', datum: 'WGS84', polygon: [[121.515, 28.695], [121.525, 28.695], [121.525, 28.705], [121.515, 28.705]] } },
    { eventId: 'zs', type: 'ZoneDesignated', occurredAt: t0, data: { zoneId: 'seg-1', kind: 'accident-segment', name: 'G104 bend', datum: 'WGS84', path: [[121.55, 28.6], [121.55, 28.8]], bufferM: 50 } },
    { eventId: 'zx', type: 'ZoneDesignated', occurredAt: t0, data: { zoneId: 'lot-old', kind: 'parking-lot', name: 'Old lot', datum: 'WGS84', polygon: [[121.7, 28.8], [121.71, 28.8], [121.71, 28.81], [121.7, 28.81]] } },
    { eventId: 'zxw', type: 'ZoneWithdrawn', occurredAt: at(-30), data: { zoneId: 'lot-old' } },
    { eventId: 'w-d', type: 'ConsignmentDeclared', occurredAt: t0, data: { waybillNo: 'W1', consignorId: 'CN', goods: [{ unNumber: '1230', name: 'methanol', hazardClass: '3', quantityKg: 20000 }], origin: site, destination: site } },
    { eventId: 'w-a', type: 'CarriageAssigned', occurredAt: at(-50), data: { waybillNo: 'W1', carrierId: 'C1', vehicleId: 'V1', driverId: 'D', escortId: 'E' } },
    { eventId: 'w-l', type: 'LoadingCompleted', occurredAt: at(-40), data: { waybillNo: 'W1', vehicleId: 'V1' } },
  ];
  for (let m = 0; m <= 12; m++) e.push(fix(`V1-p${m}`, at(m), 'V1', ROAD.lon, ROAD.lat, 0));
  // Off it goes, east across the segment at 121.55, then on.
  const east = [121.53, 121.545, 121.55, 121.555, 121.56, 121.57];
  east.forEach((lon, i) => {
    e.push(fix(`V1-d${i}`, at(13 + i), 'V1', lon, ROAD.lat, 50, 90));
    e.push(fix(`V2-d${i}`, at(13 + i, 30), 'V2', lon, ROAD.lat + 0.01, 60, 91));
  });
  return e;
}

async function projectStory(events: DgtEvent[], config = {}) {
  const store = openMemoryEventStore();
  await record(store, events);
  const readModels = createMemoryReadModelStore();
  const alerts = new CollectingPublisher();
  await projectorFor(store, readModels, alerts, config).catchUp();
  return { store, readModels, alerts };
}

const all = { carrierId: null };

describe('projection of one story into the read models', () => {
  it('writes the fleet row with last fix and heading, laden waybill and goods, register plate and owner', async () => {
    const { readModels } = await projectStory(story());
    const v1 = await readModels.vehicle('V1', all);
    expect(fleetVehicle.parse(v1)).toEqual(v1);
    expect(v1).toMatchObject({
      plateNo: '浙J·12345',
      carrierId: 'C1',
      laden: true,
      waybillNo: 'W1',
      goods: [{ unNumber: '1230', name: 'methanol', hazardClass: '3', quantityKg: 20000 }],
      lastFix: { eventId: 'V1-d5', lon: 121.57, lat: ROAD.lat, speedKmh: 50, headingDeg: 90 },
      stoppedSince: null,
      openViolations: [],
    });
    const v2 = await readModels.vehicle('V2', all);
    expect(v2).toMatchObject({ plateNo: null, carrierId: null, laden: false, waybillNo: null, goods: [], openViolations: [] });
  });

  it('lists every kind of zone the last fix is in, and the stop start while stopped', async () => {
    const parkedOnly = story().filter((e) => !e.eventId.startsWith('V1-d') && !e.eventId.startsWith('V2'));
    const { readModels } = await projectStory(parkedOnly);
    const v1 = await readModels.vehicle('V1', all);
    expect(v1?.zones).toEqual([{ zoneId: 'park-r', kind: 'chemical-park', name: 'Roadside park' }]);
    expect(v1?.stoppedSince).toBe(at(0));
    expect(v1?.openViolations).toEqual([{ violationId: 'V1-p10/IllegalParkingStarted', kind: 'illegal-parking', startedAt: at(10) }]);

    const onSegment = story().filter((e) => !['V1-d3', 'V1-d4', 'V1-d5'].includes(e.eventId) && !e.eventId.startsWith('V2'));
    const inSegment = (await projectStory(onSegment)).readModels;
    const v1b = await inSegment.vehicle('V1', all);
    expect(v1b?.zones).toEqual([{ zoneId: 'seg-1', kind: 'accident-segment', name: 'G104 bend' }]);
    // Laden in the segment: an open passage (advisory), no open violation.
    expect(v1b?.openViolations).toEqual([]);
    expect((await inSegment.advisories({ scope: all, status: 'open', limit: 10 })).items.map((a) => [a.vehicleId, a.kind, a.laden])).toEqual([['V1', 'segment-passage', true]]);
  });

  it('opens and closes illegal parking with evidence; every segment passage, laden or empty, is an advisory and never a violation', async () => {
    const { readModels } = await projectStory(story());
    const page = await readModels.violations({ scope: all, limit: 10 });
    for (const v of page.items) expect(violationView.parse(v)).toEqual(v);
    expect(page.items.map((v) => v.kind)).toEqual(['illegal-parking']);
    const parking = page.items[0];
    expect(parking).toMatchObject({
      kind: 'illegal-parking',
      severity: 'medium',
      laden: true,
      since: at(0),
      violationId: 'V1-p10/IllegalParkingStarted',
      status: 'closed',
      vehicleId: 'V1',
      plateNo: '浙J·12345',
      carrierId: 'C1',
      waybillNo: 'W1',
      startedAt: at(10),
      endedAt: at(13),
      durationS: 780,
      lon: ROAD.lon,
      lat: ROAD.lat,
      detectionEventIds: ['V1-p10/IllegalParkingStarted', 'V1-d0/IllegalParkingEnded'],
    });
    expect(parking?.evidence).toEqual(['V1-p0', 'w-l', 'V1-p10', 'V1-d0']);
    const passages = (await readModels.advisories({ scope: all, limit: 10 })).items;
    for (const a of passages) expect(advisoryView.parse(a)).toEqual(a);
    expect(passages.map((a) => [a.vehicleId, a.kind, a.laden, a.status]).sort()).toEqual([
      ['V1', 'segment-passage', true, 'closed'],
      ['V2', 'segment-passage', false, 'closed'],
    ]);
    const laden = passages.find((a) => a.vehicleId === 'V1');
    expect(laden).toMatchObject({ zoneId: 'seg-1', zoneName: 'G104 bend', waybillNo: 'W1', carrierId: 'C1', speedKmh: 50, severity: 'low' });
    expect(laden?.durationS).toBeGreaterThan(0);
  });

  it('publishes one readable alert per detection, empty passages included', async () => {
    const { store, alerts } = await projectStory(story());
    const detections = await recordedDetections(store);
    expect(alerts.published.map((a) => a.alertId).sort()).toEqual(detections.map((d) => d.eventId).sort());
    for (const a of alerts.published) expect(alertView.parse(a)).toEqual(a);
    const byType = (vehicleId: string, type: string) => alerts.published.find((a) => a.vehicleId === vehicleId && a.type === type);
    expect(byType('V1', 'IllegalParkingStarted')?.message).toBe(`浙J·12345 illegally parked laden (waybill W1) outside any dedicated lot, stopped since ${at(0)}`);
    expect(byType('V1', 'IllegalParkingStarted')).toMatchObject({ category: 'violation', kind: 'illegal-parking', severity: 'medium', lon: ROAD.lon, lat: ROAD.lat });
    expect(byType('V1', 'IllegalParkingEnded')).toMatchObject({ category: 'violation', kind: 'illegal-parking', laden: true });
    expect(byType('V2', 'AccidentSegmentEntered')).toMatchObject({ category: 'advisory', kind: 'segment-passage', laden: false, carrierId: null, zoneName: 'G104 bend', message: 'V2 entered accident-prone segment G104 bend empty at 60 km/h' });
    expect(byType('V2', 'AccidentSegmentExited')).toMatchObject({ category: 'advisory', laden: false, message: 'V2 left accident-prone segment G104 bend' });
    expect(byType('V1', 'AccidentSegmentExited')).toMatchObject({ category: 'advisory', kind: 'segment-passage', laden: true, carrierId: 'C1' });
  });

  it('appends exactly the detections a straight engine run emits, to detections-<vehicleId>', async () => {
    const { store } = await projectStory(story());
    const expected = runDetection(await recordedInputs(store)).detections;
    const detections = await recordedDetections(store);
    // Same events; the store groups each batch's detections by stream, each stream in emission order.
    expect(detections.map(canonicalJson).sort()).toEqual(expected.map(canonicalJson).sort());
    for (const v of ['V1', 'V2']) {
      const of = (list: DgtEvent[]) => list.filter((d) => (d.data as { vehicleId: string }).vehicleId === v).map((d) => d.eventId);
      expect(of(detections)).toEqual(of(expected));
    }
    const streams: string[] = [];
    for await (const r of store.readAll({ filter: { streamPrefixes: ['detections-'] } })) streams.push(r.streamId);
    expect(new Set(streams)).toEqual(new Set(['detections-V1', 'detections-V2']));
  });

  it('writes consignments with their plate, carriers with names and vehicle counts, zones in WGS-84 without withdrawn ones', async () => {
    const { readModels } = await projectStory(story());
    expect(await readModels.consignment('W1', all)).toMatchObject({
      status: 'loaded',
      carrierId: 'C1',
      vehicleId: 'V1',
      plateNo: '浙J·12345',
      timeline: { declared: at(-60), assigned: at(-50), loaded: at(-40), unloaded: null, closed: null, cancelled: null },
    });
    expect(await readModels.carrier('C1', all)).toEqual({ carrierId: 'C1', name: 'Taizhou Hazmat', vehicles: 1 });
    const zones = await readModels.zones();
    for (const z of zones) expect(zoneView.parse(z)).toEqual(z);
    expect(zones.map((z) => z.zoneId).sort()).toEqual(['lot-g', 'park-r', 'seg-1']);
    const lot = zones.find((z) => z.zoneId === 'lot-g');
    expect(lot?.declaredDatum).toBe('GCJ02');
    expect(lot?.polygon?.[0]).toEqual(gcj02ToWgs84(121.6, 28.8));
    expect(zones.find((z) => z.zoneId === 'seg-1')).toMatchObject({ path: [[121.55, 28.6], [121.55, 28.8]], bufferM: 50, polygon: null });
  });

  it('takes a vehicle\'s owner from its assignment until it is registered, and moves the carrier count on registration', async () => {
    const base = story().filter((e) => e.eventId !== 'r1');
    const before = await projectStory(base);
    expect((await before.readModels.vehicle('V1', all))?.carrierId).toBe('C1');
    const moved = [...base, { eventId: 'r2', type: 'VehicleRegistered', occurredAt: at(30), data: { vehicleId: 'V1', carrierId: 'C2', plateNo: '浙J·54321' } } as DgtEvent];
    const after = await projectStory(moved);
    expect(await after.readModels.vehicle('V1', all)).toMatchObject({ carrierId: 'C2', plateNo: '浙J·54321' });
    expect(await after.readModels.carrier('C1', all)).toMatchObject({ vehicles: 0 });
    expect(await after.readModels.carrier('C2', all)).toMatchObject({ vehicles: 1, name: null });
  });

  it('gives the same read models whatever the batch size', async () => {
    const events = [...fleetEvents({ vehicles: 12, fixesPerVehicle: 200 })];
    const one = await projectStory(events, { maxBatchEvents: 1 });
    const big = await projectStory(events, { maxBatchEvents: 100_000 });
    const odd = await projectStory(events, { maxBatchEvents: 37 });
    const waybills = Array.from({ length: 12 }, (_, v) => `WB-${String(v).padStart(5, '0')}`);
    const reference = await snapshot(big.readModels, waybills);
    expect(reference.violations.length).toBeGreaterThan(0);
    expect(await snapshot(one.readModels, waybills)).toEqual(reference);
    expect(await snapshot(odd.readModels, waybills)).toEqual(reference);
    expect(one.alerts.published).toEqual(big.alerts.published);
  }, 60_000);

  it('saves no ring of recent fix ids (the store holds each id once) and still ignores a fix older than the last, as late', async () => {
    const events = [...story(), fix('V1-old', at(5, 30), 'V1', ROAD.lon, ROAD.lat, 0)];
    const { store, readModels } = await projectStory(events);
    const state = await readModels.engineState();
    const v1 = JSON.parse(state.get('v:V1') ?? 'null') as { e: { recent: string[]; lastEventId: string } };
    expect(v1.e.lastEventId).toBe('V1-d5');
    expect(v1.e.recent).toEqual([]);
    const counters = JSON.parse(state.get('n') ?? 'null') as { late: number; duplicates: number };
    expect(counters).toMatchObject({ late: 1, duplicates: 0 });
    // Detections are those of the engine with its default ring, over the same recorded order.
    const expected = runDetection(await recordedInputs(store)).detections;
    expect(expected.length).toBeGreaterThan(0);
    expect((await recordedDetections(store)).map(canonicalJson).sort()).toEqual(expected.map(canonicalJson).sort());
  });
});

/** Read models that fail the n-th commit (counting from 1), to crash the projector between steps. */
function failingCommit(inner: ReadModelStore, shouldFail: (n: number, batch: ReadModelBatch) => boolean): ReadModelStore {
  let n = 0;
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'commit') {
        return async (batch: ReadModelBatch) => {
          n++;
          if (shouldFail(n, batch)) throw new Error(`injected failure of commit ${n}`);
          return target.commit(batch);
        };
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe('crash points between append, commit and publish', { timeout: 60_000 }, () => {
  const spec: FleetSpec = { vehicles: 20, fixesPerVehicle: 240 };
  const config = { maxBatchEvents: 400 };

  async function setup(): Promise<{ store: EventStore; expected: string[] }> {
    const store = openMemoryEventStore();
    await record(store, fleetEvents(spec));
    const expected = runDetection(await recordedInputs(store)).detections.map((d) => d.eventId).sort();
    expect(expected.length).toBeGreaterThan(20);
    return { store, expected };
  }

  async function crashThenResume(store: EventStore, crash: (rm: ReadModelStore, alerts: CollectingPublisher) => Promise<ReadModelStore>) {
    const readModels = createMemoryReadModelStore();
    const alerts = new CollectingPublisher();
    const crashing = await crash(readModels, alerts);
    await expect(projectorFor(store, crashing, alerts, config).catchUp()).rejects.toThrow(/injected/);
    // A new process: nothing carried over but the stores.
    await projectorFor(store, readModels, alerts, config).catchUp();
    return { readModels, alerts };
  }

  async function clean(store: EventStore) {
    const readModels = createMemoryReadModelStore();
    await projectorFor(store, readModels, new CollectingPublisher(), config).catchUp();
    return readModels;
  }

  it('crash after appending detections, before the commit: each detection recorded once, each alert sent once', async () => {
    const { store, expected } = await setup();
    const { readModels, alerts } = await crashThenResume(store, async (rm) => failingCommit(rm, (n, b) => n > 3 && b.vehicles.length > 0 && b.engineState.has('o')));
    expect((await recordedDetections(store)).map((d) => d.eventId).sort()).toEqual(expected);
    expect(alerts.published.map((a) => a.alertId).sort()).toEqual(expected);
    expect(await snapshot(readModels)).toEqual(await snapshot(await clean(store)));
  });

  it('crash before publishing: the committed outbox is published at restart, once', async () => {
    const { store, expected } = await setup();
    const { alerts } = await crashThenResume(store, async (rm, pub) => {
      let batches = 0;
      return failingCommit(rm, (_n, b) => {
        if (b.engineState.has('o') && b.engineState.get('o') !== null && ++batches === 2) pub.failNext = 1;
        return false;
      });
    }).catch(async () => {
      throw new Error('unexpected');
    });
    expect(alerts.published.map((a) => a.alertId).sort()).toEqual(expected);
  });

  it('crash after publishing, before the outbox is cleared: that batch\'s alerts come again (same alertId), none is missing', async () => {
    const { store, expected } = await setup();
    const { alerts } = await crashThenResume(store, async (rm) => {
      let clears = 0;
      return failingCommit(rm, (_n, b) => b.engineState.get('o') === null && b.vehicles.length === 0 && ++clears === 2);
    });
    const ids = alerts.published.map((a) => a.alertId);
    expect(new Set(ids)).toEqual(new Set(expected));
    // The repeats are one batch's alerts, sent again right at restart, each once more.
    const counts = new Map<string, number>();
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    const repeated = [...counts].filter(([, c]) => c > 1);
    expect(repeated.length).toBeGreaterThan(0);
    expect(repeated.every(([, c]) => c === 2)).toBe(true);
    expect(repeated.length).toBeLessThan(expected.length / 2);
  });

  it('a rebuild re-derives every detection without appending or alerting any again', async () => {
    const { store, expected } = await setup();
    const readModels = createMemoryReadModelStore();
    const alerts = new CollectingPublisher();
    await projectorFor(store, readModels, alerts, config).catchUp();
    const before = await snapshot(readModels);
    await projectorFor(store, readModels, alerts, { maxBatchEvents: 5_000 }).rebuild();
    expect(alerts.published.map((a) => a.alertId).sort()).toEqual(expected);
    expect((await recordedDetections(store)).map((d) => d.eventId).sort()).toEqual(expected);
    expect(await snapshot(readModels)).toEqual(before);
  });
});
