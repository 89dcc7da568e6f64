import type { BusLogger } from '@dgt/bus';
import type { DgtEvent, EventOf } from '@dgt/events';
import { openMemoryEventStore } from '@dgt/eventstore';
import { createMemoryReadModelStore, type ReadModelStore, type VehicleRegistration } from '@dgt/readmodels';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createProjectorMetrics } from '../src/metrics.ts';
import { createProjector } from '../src/projector.ts';
import { Register, type RegisterEvent } from '../src/projection/register.ts';
import { CollectingPublisher, projectorFor, record, snapshot } from './fixtures.ts';

const T0 = '2026-01-01T00:00:00+08:00';
/** The transfer's effective time. */
const T = '2026-03-01T12:00:00+08:00';
const at = (minutesFromT: number) => new Date(Date.parse(T) + minutesFromT * 60_000).toISOString();

function registered(eventId: string, vehicleId: string, carrierId: string, plateNo: string, occurredAt = T0): EventOf<'VehicleRegistered'> {
  return { eventId, type: 'VehicleRegistered', occurredAt, data: { vehicleId, carrierId, plateNo } };
}
function transferred(eventId: string, vehicleId: string, fromCarrierId: string, toCarrierId: string, effectiveAt = T): EventOf<'VehicleTransferred'> {
  return { eventId, type: 'VehicleTransferred', occurredAt: effectiveAt, data: { vehicleId, fromCarrierId, toCarrierId, effectiveAt } };
}

function registerOf(events: readonly RegisterEvent[]): Register {
  const r = new Register();
  for (const e of events) r.add(e);
  return r;
}

const periods = (r: Register, vehicleId: string) => r.registration(vehicleId)?.periods;

describe('the register: who owns a vehicle when', () => {
  it('ignores a second VehicleRegistered naming another carrier: the vehicle stays with its owner (the hijack of V0022)', () => {
    const r = registerOf([registered('reg-V0022', 'V0022', 'C002', '浙J·56613'), registered('hijack', 'V0022', 'C001', '浙J·56613', at(-60))]);
    expect(periods(r, 'V0022')).toEqual([{ carrierId: 'C002', from: null, to: null }]);
    expect(r.takeChanges().ignored).toEqual([{ eventId: 'hijack', type: 'VehicleRegistered', vehicleId: 'V0022', code: 'owner_change_needs_transfer' }]);
  });

  it('takes a second registration naming the owner as an update of the plate', () => {
    const r = registerOf([registered('reg-1', 'V1', 'C1', '浙J·11111'), registered('reg-2', 'V1', 'C1', '浙J 22222', at(0))]);
    expect(r.registration('V1')).toMatchObject({ plateNo: '浙J 22222', plateKey: '浙J·22222' });
    expect(r.takeChanges().ignored).toEqual([]);
  });

  it('ignores a plate another registered vehicle holds, however it is spelled', () => {
    const r = registerOf([registered('reg-a', 'V-A', 'C1', '浙J·56613'), registered('reg-b', 'V-B', 'C2', '浙J56613', at(0)), registered('reg-c', 'V-C', 'C2', '浙j 56613', at(1))]);
    expect(r.registration('V-B')).toBeUndefined();
    expect(r.registration('V-C')).toBeUndefined();
    expect(r.takeChanges().ignored.map((i) => [i.eventId, i.code])).toEqual([
      ['reg-b', 'plate_in_use'],
      ['reg-c', 'plate_in_use'],
    ]);
  });

  it('moves a vehicle from effectiveAt on, and ignores a transfer from a carrier that did not own it then, of an unregistered vehicle, or to the same carrier', () => {
    const r = registerOf([
      registered('reg-V0022', 'V0022', 'C002', '浙J·56613'),
      transferred('t-wrong', 'V0022', 'C001', 'C003', at(-10)),
      transferred('t-ok', 'V0022', 'C002', 'C001', T),
      transferred('t-stale', 'V0022', 'C002', 'C003', at(10)),
      transferred('t-ghost', 'V-none', 'C001', 'C002', at(20)),
      transferred('t-same', 'V0022', 'C001', 'C001', at(30)),
    ]);
    expect(periods(r, 'V0022')).toEqual([
      { carrierId: 'C002', from: null, to: T },
      { carrierId: 'C001', from: T, to: null },
    ]);
    expect(r.ownerAt('V0022', Date.parse(T) - 1)).toBe('C002');
    expect(r.ownerAt('V0022', Date.parse(T))).toBe('C001');
    expect(r.takeChanges().ignored.map((i) => [i.eventId, i.code])).toEqual([
      ['t-wrong', 'not_owner'],
      ['t-stale', 'not_owner'],
      ['t-ghost', 'not_registered'],
      ['t-same', 'same_carrier'],
    ]);
  });

  it('gives the same register whatever order the events arrive in (they travel on different partitions)', () => {
    const events: RegisterEvent[] = [
      registered('reg-V1', 'V1', 'C1', '浙J·00001', at(-300)),
      registered('reg-V2', 'V2', 'C2', '浙J00001', at(-200)), // same plate, later: loses it
      registered('reg-V2b', 'V2', 'C2', '浙J·00002', at(-100)), // then registered with its own plate
      registered('hijack-V1', 'V1', 'C3', '浙J·00001', at(-50)),
      transferred('t-V1', 'V1', 'C1', 'C2', at(0)),
      transferred('t-V1-back', 'V1', 'C2', 'C1', at(100)),
      transferred('t-V2-wrong', 'V2', 'C1', 'C3', at(50)),
      registered('reg-V1-new-plate', 'V1', 'C2', '浙J·00003', at(50)),
    ];
    const expected = registerOf(events);
    const want = ['V1', 'V2'].map((id) => expected.registration(id));
    expect(want[0]?.plateKey).toBe('浙J·00003');
    expect(want[1]?.plateKey).toBe('浙J·00002');
    let seed = 7;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    for (let round = 0; round < 25; round++) {
      const shuffled = [...events].sort(() => random() - 0.5);
      const r = new Register();
      // Reads between arrivals, as detections do: the answer must not depend on when the register was asked.
      for (const e of shuffled) {
        r.add(e);
        r.owner('V1');
      }
      expect(['V1', 'V2'].map((id) => r.registration(id)), shuffled.map((e) => e.eventId).join(' ')).toEqual(want);
    }
  });

  it('continues from saved entries exactly where one uninterrupted run would be', () => {
    const first = [registered('reg-V0022', 'V0022', 'C002', '浙J·56613'), registered('reg-V9', 'V9', 'C009', '浙J·99999')];
    const later = [transferred('t', 'V0022', 'C002', 'C001'), registered('early-dup', 'V8', 'C008', '浙J56613', at(-1e6))];
    const r = registerOf(first);
    const restored = Register.restore(['V0022', 'V9'].flatMap((id) => r.savedEntries(id)));
    for (const e of later) restored.add(e);
    const straight = registerOf([...first, ...later]);
    for (const id of ['V0022', 'V9', 'V8']) expect(restored.registration(id)).toEqual(straight.registration(id));
    // V8's claim is older than V0022's registration: V8 holds the plate and V0022 was never registered.
    expect(straight.registration('V0022')).toBeUndefined();
    expect(straight.registration('V8')?.plateKey).toBe('浙J·56613');
  });
});

describe('the projector as arbiter: registry events the register refuses, in the record anyway', () => {
  const world = (): DgtEvent[] => [
    { eventId: 'carrier-C001', type: 'CarrierRegistered', occurredAt: T0, data: { carrierId: 'C001', name: 'Xianju Shunyun' } },
    { eventId: 'carrier-C002', type: 'CarrierRegistered', occurredAt: T0, data: { carrierId: 'C002', name: 'Luqiao Dongfang' } },
    registered('vehicle-V0022', 'V0022', 'C002', '浙J·56613'),
    registered('vehicle-V0023', 'V0023', 'C001', '浙J·10023'),
    { eventId: 'fix-1', type: 'VehiclePositionReported', occurredAt: at(-30), data: { vehicleId: 'V0022', lon: 121.42, lat: 28.65, speedKmh: 30 } },
  ];

  function logger(): BusLogger & { warnings: { message: string; fields?: Record<string, unknown> }[] } {
    const warnings: { message: string; fields?: Record<string, unknown> }[] = [];
    const ignore = () => undefined;
    return { warnings, debug: ignore, info: ignore, error: ignore, warn: (message, fields) => warnings.push(fields === undefined ? { message } : { message, fields }) };
  }

  it('ignores the hijack of V0022 (and a duplicate plate), counts and logs each by code, and C001 sees nothing of V0022', async () => {
    const store = openMemoryEventStore();
    await record(store, [...world(), registered('hijack', 'V0022', 'C001', '浙J·56613', at(-10)), registered('dup-plate', 'V0099', 'C001', '浙J 56613', at(-5))]);
    const readModels = createMemoryReadModelStore();
    const registry = new Registry();
    const log = logger();
    await createProjector({ store, readModels, alerts: new CollectingPublisher(), metrics: createProjectorMetrics(registry), logger: log }).catchUp();

    expect(await readModels.vehicle('V0022', { carrierId: 'C001' })).toBeUndefined();
    expect(await readModels.vehicle('V0022', { carrierId: 'C002' })).toMatchObject({ carrierId: 'C002', lastFix: { eventId: 'fix-1' } });
    expect((await readModels.fleet({ scope: { carrierId: 'C001' }, limit: 10 })).items.map((v) => v.vehicleId)).toEqual(['V0023']);
    expect(await readModels.vehicle('V0099', { carrierId: null })).toBeUndefined();
    expect(await readModels.registration('V0022')).toEqual({ vehicleId: 'V0022', plateNo: '浙J·56613', plateKey: '浙J·56613', periods: [{ carrierId: 'C002', from: null, to: null }] });
    expect(await readModels.carrier('C001', { carrierId: null })).toMatchObject({ vehicles: 1 });
    expect(await readModels.carrier('C002', { carrierId: null })).toMatchObject({ vehicles: 1 });

    const metrics = await registry.metrics();
    expect(metrics).toContain('dgt_projector_registry_ignored_total{code="owner_change_needs_transfer"} 1');
    expect(metrics).toContain('dgt_projector_registry_ignored_total{code="plate_in_use"} 1');
    expect(log.warnings.filter((w) => w.message.startsWith('registry event ignored')).map((w) => [w.fields?.eventId, w.fields?.code])).toEqual([
      ['hijack', 'owner_change_needs_transfer'],
      ['dup-plate', 'plate_in_use'],
    ]);
  });

  it('shows the new owner a fleet row with nothing from before its period: no earlier fix, no waybill of the previous owner', async () => {
    const store = openMemoryEventStore();
    const site = { name: 'Jiaojiang depot', lon: 121.44, lat: 28.68 };
    await record(store, [
      ...world(),
      { eventId: 'w-d', type: 'ConsignmentDeclared', occurredAt: at(-60), data: { waybillNo: 'W-C002', consignorId: 'CN', goods: [{ unNumber: '1203', name: 'gasoline', hazardClass: '3', quantityKg: 20000 }], origin: site, destination: site } },
      { eventId: 'w-a', type: 'CarriageAssigned', occurredAt: at(-50), data: { waybillNo: 'W-C002', carrierId: 'C002', vehicleId: 'V0022', driverId: 'D', escortId: 'E' } },
      transferred('t-V0022', 'V0022', 'C002', 'C001'),
    ]);
    const readModels = createMemoryReadModelStore();
    await projectorFor(store, readModels, new CollectingPublisher()).catchUp();
    expect(await readModels.vehicle('V0022', { carrierId: 'C001' })).toMatchObject({ carrierId: 'C001', lastFix: null, waybillNo: null, goods: [], zones: [] });
    expect(await readModels.vehicle('V0022', { carrierId: 'C002' })).toBeUndefined();
    expect(await readModels.consignment('W-C002', { carrierId: 'C002' })).toMatchObject({ waybillNo: 'W-C002' });
    expect(await readModels.consignment('W-C002', { carrierId: 'C001' })).toBeUndefined();
    expect(await readModels.carrier('C001', { carrierId: null })).toMatchObject({ vehicles: 2 });
    expect(await readModels.carrier('C002', { carrierId: null })).toMatchObject({ vehicles: 0 });
  });

  it('gives a restarted projector the read models of one run, with the registry events arriving out of time order', async () => {
    const events: DgtEvent[] = [
      ...world(),
      transferred('t-late-first', 'V0022', 'C001', 'C003', at(60)),
      transferred('t-V0022', 'V0022', 'C002', 'C001', at(0)),
      registered('reg-V0030', 'V0030', 'C003', '浙J·30000', at(90)),
      registered('reg-V0030-early', 'V0030', 'C001', '浙J·30001', at(-90)),
    ];
    const whole = openMemoryEventStore();
    await record(whole, events);
    const once: ReadModelStore = createMemoryReadModelStore();
    await projectorFor(whole, once, new CollectingPublisher()).catchUp();

    const split = openMemoryEventStore();
    const restarted: ReadModelStore = createMemoryReadModelStore();
    const cut = world().length + 1;
    await record(split, events.slice(0, cut));
    await projectorFor(split, restarted, new CollectingPublisher()).catchUp();
    await record(split, events.slice(cut));
    await projectorFor(split, restarted, new CollectingPublisher()).catchUp();

    expect(await snapshot(restarted)).toEqual(await snapshot(once));
    const entries = async (rm: ReadModelStore): Promise<(VehicleRegistration | undefined)[]> => Promise.all(['V0022', 'V0023', 'V0030'].map((id) => rm.registration(id)));
    expect(await entries(restarted)).toEqual(await entries(once));
    expect((await once.registration('V0022'))?.periods.map((p) => p.carrierId)).toEqual(['C002', 'C001', 'C003']);
    expect((await once.registration('V0030'))?.periods).toEqual([{ carrierId: 'C001', from: null, to: null }]);
  });
});
