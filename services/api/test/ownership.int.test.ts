import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@dgt/bus';
import type { DgtEvent } from '@dgt/events';
import { openMemoryEventStore, streamFor, type EventStore } from '@dgt/eventstore';
import { generateApiKey, hashApiKey, type ServiceApp } from '@dgt/http';
import { createProjector, createProjectorMetrics } from '@dgt/projector';
import { openSqliteReadModelStore, type AlertView, type ReadModelStore } from '@dgt/readmodels';
import { Registry } from 'prom-client';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { buildApiApp } from '../src/app.ts';
import { testConfig } from './apiTestKit.ts';

/*
 * Issue #14's ownership findings through the real pipeline's read side: events in an event
 * store → the projector → SQLite read models → the API (app.inject), asked with carrier keys.
 */

/** V0022's transfer from C002 to C001 takes effect at T. */
const T = Date.parse('2026-03-01T12:00:00+08:00');
const NOW = new Date(T + 6 * 3_600_000);
const iso = (minutesFromT: number) => new Date(T + minutesFromT * 60_000).toISOString();
const T0 = '2026-01-01T00:00:00+08:00';
const site = { name: 'Jiaojiang depot', lon: 121.44, lat: 28.68 };

const roles = ['bureau', 'carrier:C001', 'carrier:C002'] as const;
type Role = (typeof roles)[number];
const keys = Object.fromEntries(roles.map((r) => [r, generateApiKey()])) as Record<Role, string>;

function ev(eventId: string, type: string, occurredAt: string, data: Record<string, unknown>): DgtEvent {
  return { eventId, type, occurredAt, data } as DgtEvent;
}

const fix = (id: string, minute: number, lon: number, speedKmh: number) => ev(`fix-${id}`, 'VehiclePositionReported', iso(minute), { vehicleId: 'V0022', lon, lat: 28.7, speedKmh });

/** A laden trip on waybill `waybillNo` for `carrierId`, starting `m` minutes from T: 12 min parked at the roadside (a violation), then off. */
function trip(waybillNo: string, carrierId: string, m: number): DgtEvent[] {
  const out = [
    ev(`${waybillNo}-d`, 'ConsignmentDeclared', iso(m - 30), { waybillNo, consignorId: 'CN-1', goods: [{ unNumber: '1203', name: 'gasoline', hazardClass: '3', quantityKg: 20000 }], origin: site, destination: site }),
    ev(`${waybillNo}-a`, 'CarriageAssigned', iso(m - 20), { waybillNo, carrierId, vehicleId: 'V0022', driverId: 'D1', escortId: 'E1' }),
    ev(`${waybillNo}-l`, 'LoadingCompleted', iso(m - 10), { waybillNo, vehicleId: 'V0022' }),
  ];
  for (let i = 0; i <= 12; i++) out.push(fix(`${waybillNo}-p${i}`, m + i, 121.52, 0));
  // Out and back to where it parks: the hours until the next trip are then a rest in place, so the
  // fatigue rule (#16) sees no 4-hour drive across trips and the violations are the parkings alone.
  for (const [i, dLon] of [0.01, 0.02, 0.01, 0.0005].entries()) out.push(fix(`${waybillNo}-d${i}`, m + 13 + i, 121.52 + dLon, 50));
  out.push(ev(`${waybillNo}-u`, 'UnloadingCompleted', iso(m + 30), { waybillNo, vehicleId: 'V0022' }));
  return out;
}

const register: DgtEvent[] = [
  ev('carrier-C001', 'CarrierRegistered', T0, { carrierId: 'C001', name: 'Xianju Shunyun' }),
  ev('carrier-C002', 'CarrierRegistered', T0, { carrierId: 'C002', name: 'Luqiao Dongfang' }),
  ev('vehicle-V0022', 'VehicleRegistered', T0, { vehicleId: 'V0022', carrierId: 'C002', plateNo: '浙J·56613' }),
];

const dir = mkdtempSync(join(tmpdir(), 'dgt-api-ownership-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const open: { app: ServiceApp; store: EventStore; readModels: ReadModelStore }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.app.close();
    await o.readModels.close();
    await o.store.close();
  }
});

/** Records `events`, projects them into a fresh SQLite read-model file, and serves that through the API. */
// Response bodies are read field by field in the tests; their schemas have their own tests.
type Body = any; // eslint-disable-line @typescript-eslint/no-explicit-any

async function serve(events: readonly DgtEvent[]): Promise<{ get: (url: string, role: Role) => Promise<{ status: number; body: Body }>; alerts: AlertView[] }> {
  const store = openMemoryEventStore();
  for (const e of events) await store.append(streamFor(e), [e]);
  const readModels = await openSqliteReadModelStore({ path: join(dir, `rm-${++n}.sqlite`) });
  const alerts: AlertView[] = [];
  const publisher = { publish: async (a: readonly AlertView[]) => void alerts.push(...a) };
  await createProjector({ store, readModels, alerts: publisher, metrics: createProjectorMetrics(new Registry()), logger: silentLogger }).catchUp();
  const config = testConfig({ apiKeys: roles.map((role) => ({ id: role.replace(':', '-'), role, sha256: hashApiKey(keys[role]) })) });
  const app = await buildApiApp({ config, store, readModels, defaultMetrics: false, now: () => NOW });
  open.push({ app, store, readModels });
  return {
    alerts,
    get: async (url, role) => {
      const res = await app.inject({ method: 'GET', url, headers: { 'x-api-key': keys[role] } });
      return { status: res.statusCode, body: res.json<Body>() };
    },
  };
}

const track = `/v1/vehicles/V0022/track?from=${encodeURIComponent(iso(-360))}&to=${encodeURIComponent(iso(360))}&limit=10000`;
const fixIds = (body: { points: { eventId: string }[] }) => body.points.map((p) => p.eventId);
const violationStarts = (body: { items: { startedAt: string }[] }) => body.items.map((v) => Date.parse(v.startedAt) - T).sort((a, b) => a - b);

describe('a re-registration of V0022 to C001 forced into the record (the hijack)', () => {
  it('is ignored by the projection: C001 sees nothing of V0022, C002 keeps all of it', async () => {
    const hijack = ev('hijack', 'VehicleRegistered', iso(-300), { vehicleId: 'V0022', carrierId: 'C001', plateNo: '浙J·56613' });
    const { get } = await serve([...register, ...trip('W-C002', 'C002', -180), hijack, ...trip('W-C002-2', 'C002', 60)]);
    expect((await get('/v1/vehicles/V0022', 'carrier:C001')).status).toBe(404);
    expect((await get(track, 'carrier:C001')).status).toBe(404);
    expect((await get('/v1/violations?vehicle=V0022', 'carrier:C001')).body.items).toEqual([]);
    expect((await get('/v1/consignments/W-C002', 'carrier:C001')).status).toBe(404);
    expect((await get('/v1/fleet', 'carrier:C001')).body.items).toEqual([]);

    expect((await get('/v1/vehicles/V0022', 'carrier:C002')).body).toMatchObject({ carrierId: 'C002', plateNo: '浙J·56613' });
    expect(fixIds((await get(track, 'carrier:C002')).body)).toHaveLength(2 * 17);
    expect((await get('/v1/violations?vehicle=V0022', 'carrier:C002')).body.items).toHaveLength(2);
    expect((await get('/v1/consignments/W-C002-2', 'carrier:C002')).status).toBe(200);
  });
});

describe('V0022 transferred from C002 to C001 effective at T', () => {
  const transfer = ev('transfer-V0022', 'VehicleTransferred', iso(0), { vehicleId: 'V0022', fromCarrierId: 'C002', toCarrierId: 'C001', effectiveAt: iso(0) });
  const events = [...register, ...trip('W-C002', 'C002', -180), transfer, ...trip('W-C001', 'C001', 60)];

  it('shows C001 the track from T only and C002 the track up to T only; bureau all of it', async () => {
    const { get } = await serve(events);
    const c001 = await get(track, 'carrier:C001');
    const c002 = await get(track, 'carrier:C002');
    const bureau = await get(track, 'bureau');
    expect(c001.status).toBe(200);
    expect(fixIds(c001.body).length).toBe(17);
    expect(fixIds(c001.body).every((id) => id.startsWith('fix-W-C001'))).toBe(true);
    expect(c001.body.points.every((p: { occurredAt: string }) => Date.parse(p.occurredAt) >= T)).toBe(true);
    expect(fixIds(c002.body).length).toBe(17);
    expect(fixIds(c002.body).every((id) => id.startsWith('fix-W-C002'))).toBe(true);
    expect(fixIds(bureau.body)).toHaveLength(34);
  });

  it('shows each carrier only the violations that started while it owned V0022, in lists and in compliance', async () => {
    const { get } = await serve(events);
    const c001 = (await get('/v1/violations?vehicle=V0022', 'carrier:C001')).body;
    const c002 = (await get('/v1/violations?vehicle=V0022', 'carrier:C002')).body;
    expect(violationStarts(c001)).toEqual([70 * 60_000]);
    expect(violationStarts(c002)).toEqual([-170 * 60_000]);
    expect(c001.items[0].carrierId).toBe('C001');
    expect(c002.items[0].carrierId).toBe('C002');
    expect((await get('/v1/violations', 'bureau')).body.items).toHaveLength(2);
    expect((await get('/v1/carriers/C001/compliance', 'carrier:C001')).body).toMatchObject({ last30DaysTotal: 1 });
    expect((await get('/v1/carriers/C002/compliance', 'carrier:C002')).body).toMatchObject({ last30DaysTotal: 1 });
  });

  it('shows each carrier only its own consignments of its own period, never the other’s', async () => {
    const { get } = await serve(events);
    expect((await get('/v1/consignments/W-C001', 'carrier:C001')).status).toBe(200);
    expect((await get('/v1/consignments/W-C001', 'carrier:C002')).status).toBe(404);
    expect((await get('/v1/consignments/W-C002', 'carrier:C002')).status).toBe(200);
    expect((await get('/v1/consignments/W-C002', 'carrier:C001')).status).toBe(404);
  });

  it('goes by the owner, not the waybill: a violation after T on a waybill of C002 is C001’s, and C002 does not see it', async () => {
    const { get } = await serve([...register, transfer, ...trip('W-late', 'C002', 60)]);
    expect(violationStarts((await get('/v1/violations?vehicle=V0022', 'carrier:C001')).body)).toEqual([70 * 60_000]);
    expect((await get('/v1/violations?vehicle=V0022', 'carrier:C002')).body.items).toEqual([]);
    // C002's waybill on a vehicle it no longer owned: neither carrier sees the other's side of it.
    expect((await get('/v1/consignments/W-late', 'carrier:C002')).status).toBe(404);
    expect((await get('/v1/consignments/W-late', 'carrier:C001')).status).toBe(404);
    expect((await get('/v1/consignments/W-late', 'bureau')).status).toBe(200);
  });

  it('applies a transfer recorded after the fact (back-dated to T) to what was already projected', async () => {
    const { get } = await serve([...register, ...trip('W-C002', 'C002', -180), ...trip('W-C001', 'C001', 60), transfer]);
    expect(violationStarts((await get('/v1/violations?vehicle=V0022', 'carrier:C001')).body)).toEqual([70 * 60_000]);
    expect(violationStarts((await get('/v1/violations?vehicle=V0022', 'carrier:C002')).body)).toEqual([-170 * 60_000]);
    expect(fixIds((await get(track, 'carrier:C001')).body).every((id) => id.startsWith('fix-W-C001'))).toBe(true);
    expect((await get('/v1/consignments/W-C001', 'carrier:C001')).status).toBe(200);
  });

  it('makes C001 the current owner of the fleet row and sends each carrier the alerts of its own period', async () => {
    const { get, alerts } = await serve(events);
    expect((await get('/v1/vehicles/V0022', 'carrier:C001')).body).toMatchObject({ carrierId: 'C001' });
    expect((await get('/v1/vehicles/V0022', 'carrier:C002')).status).toBe(404);
    expect((await get('/v1/fleet', 'carrier:C002')).body.items).toEqual([]);
    const byCarrier = (c: string) => alerts.filter((a) => a.carrierId === c).map((a) => Date.parse(a.occurredAt) - T);
    expect(alerts.length).toBeGreaterThanOrEqual(4);
    expect(byCarrier('C002').every((ms) => ms < 0)).toBe(true);
    expect(byCarrier('C001').every((ms) => ms >= 0)).toBe(true);
    expect(byCarrier('C002').length + byCarrier('C001').length).toBe(alerts.length);
  });
});
