import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headersFor, roles, startTestApi, type TestApi, type TestRole } from './apiTestKit.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => api.close());

const get = (url: string, role: TestRole | null) => api.app.inject({ method: 'GET', url, headers: headersFor(role) });

type Expected = Readonly<Record<TestRole | 'none', number>>;
/** A planner reads no per-vehicle row, violation, case or carrier: 403 like the other non-readers. */
const lists: Expected = { none: 401, planner: 403, ingest: 403, 'ingest:C1': 403, registry: 403, metrics: 403, bureau: 200, enforcement: 200, 'carrier:C1': 200, 'carrier:C2': 200 };
/** A C1 resource: C2 gets 404 (as if it did not exist), never 403. */
const c1Resource: Expected = { ...lists, 'carrier:C2': 404 };
/** Bureau-side routes: no carrier key reads them (403, as for the other non-readers). */
const bureauSide: Expected = { ...lists, 'carrier:C1': 403, 'carrier:C2': 403 };
/** Zones: every reader, planners too (their map draws the lots and segments). */
const zones: Expected = { ...lists, planner: 200 };
/** Planning answers: bureau, enforcement and planners; never a carrier (they count every carrier's stops and passages). */
const planning: Expected = { ...bureauSide, planner: 200 };

const table: readonly (readonly [string, Expected])[] = [
  ['/v1/fleet', lists],
  ['/v1/vehicles/V1', c1Resource],
  ['/v1/vehicles/V1/track', c1Resource],
  ['/v1/violations', lists],
  ['/v1/advisories', lists],
  ['/v1/consignments/W1', c1Resource],
  ['/v1/carriers/C1/compliance', c1Resource],
  ['/v1/zones', zones],
  ['/v1/platform-links', bureauSide],
  ['/v1/cases', lists],
  ['/v1/carriers/C1/points', c1Resource],
  ['/v1/carriers', lists],
  ['/v1/statistics', lists],
  ['/v1/planning/lots', planning],
  ['/v1/planning/lots.csv', planning],
  ['/v1/planning/demand', planning],
  ['/v1/planning/demand.geojson', planning],
  ['/v1/planning/candidates', planning],
  ['/v1/planning/segments', planning],
  ['/v1/planning/segment-weeks.csv', planning],
];

describe('access on every read route', () => {
  for (const [url, expected] of table) {
    for (const role of [null, ...roles] as const) {
      const status = expected[role ?? 'none'];
      it(`GET ${url} as ${role ?? 'no key'} → ${status}`, async () => {
        const res = await get(url, role);
        expect(res.statusCode).toBe(status);
        if (status >= 400) expect(res.json<{ error: { code: string } }>().error.code).toBe({ 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND' }[status]);
      });
    }
  }

  it('refuses the alert stream without a key (401) and to planner, ingest, scoped ingest, registry and metrics keys (403)', async () => {
    expect((await get('/v1/alerts/stream', null)).statusCode).toBe(401);
    expect((await get('/v1/alerts/stream', 'planner')).statusCode).toBe(403);
    expect((await get('/v1/alerts/stream', 'ingest')).statusCode).toBe(403);
    expect((await get('/v1/alerts/stream', 'ingest:C1')).statusCode).toBe(403);
    expect((await get('/v1/alerts/stream', 'registry')).statusCode).toBe(403);
    expect((await get('/v1/alerts/stream', 'metrics')).statusCode).toBe(403);
  });

  it('refuses audits to planner, scoped ingest and registry keys (403)', async () => {
    for (const role of ['planner', 'ingest:C1', 'registry'] as const) {
      const res = await api.app.inject({ method: 'POST', url: '/v1/audits', headers: headersFor(role), payload: { vehicleIds: ['V1'] } });
      expect(res.statusCode).toBe(403);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('FORBIDDEN');
    }
  });

  it('answers a carrier asking for another carrier’s resource exactly as for an unknown one', async () => {
    const other = await get('/v1/vehicles/V3', 'carrier:C1');
    const unknown = await get('/v1/vehicles/NO-SUCH', 'carrier:C1');
    expect(other.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(other.json<{ error: { message: string } }>().error.message).toBe('no such vehicle');
    expect(unknown.json<{ error: { message: string } }>().error.message).toBe('no such vehicle');
  });

  it('keeps rows without a carrier (unregistered vehicle, unassigned waybill) for bureau and enforcement', async () => {
    expect((await get('/v1/vehicles/V4', 'bureau')).statusCode).toBe(200);
    expect((await get('/v1/vehicles/V4', 'carrier:C1')).statusCode).toBe(404);
    expect((await get('/v1/consignments/W3', 'enforcement')).statusCode).toBe(200);
    expect((await get('/v1/consignments/W3', 'carrier:C1')).statusCode).toBe(404);
  });
});

describe('list scoping', () => {
  const ids = async (url: string, role: TestRole, field: 'vehicleId' | 'violationId' | 'advisoryId') => {
    const res = await get(url, role);
    expect(res.statusCode).toBe(200);
    return res.json<{ items: Record<string, string>[] }>().items.map((i) => i[field]);
  };

  it('shows a carrier only its own vehicles and everyone’s to bureau and enforcement', async () => {
    expect(await ids('/v1/fleet', 'carrier:C1', 'vehicleId')).toEqual(['V1', 'V2']);
    expect(await ids('/v1/fleet', 'carrier:C2', 'vehicleId')).toEqual(['V3']);
    expect(await ids('/v1/fleet', 'bureau', 'vehicleId')).toEqual(['V1', 'V2', 'V3', 'V4']);
    expect(await ids('/v1/fleet', 'enforcement', 'vehicleId')).toEqual(['V1', 'V2', 'V3', 'V4']);
  });

  it('shows a carrier only its own violations', async () => {
    expect((await ids('/v1/violations', 'carrier:C1', 'violationId')).sort()).toEqual(['X1', 'X2']);
    expect((await ids('/v1/violations', 'carrier:C2', 'violationId')).sort()).toEqual(['X3', 'X4']);
    expect((await ids('/v1/violations', 'bureau', 'violationId')).sort()).toEqual(['X1', 'X2', 'X3', 'X4']);
  });

  it('shows a carrier only its own advisories, and the unowned vehicle’s to bureau and enforcement only', async () => {
    expect(await ids('/v1/advisories', 'carrier:C1', 'advisoryId')).toEqual(['A1']);
    expect(await ids('/v1/advisories', 'carrier:C2', 'advisoryId')).toEqual(['A2']);
    expect((await ids('/v1/advisories', 'bureau', 'advisoryId')).sort()).toEqual(['A1', 'A2', 'A3']);
    expect((await ids('/v1/advisories', 'enforcement', 'advisoryId')).sort()).toEqual(['A1', 'A2', 'A3']);
    expect(await ids('/v1/advisories?vehicle=V4', 'carrier:C1', 'advisoryId')).toEqual([]);
  });

  it('gives a carrier filtering on another carrier an empty list, and bureau that carrier’s rows', async () => {
    expect(await ids('/v1/fleet?carrier=C2', 'carrier:C1', 'vehicleId')).toEqual([]);
    expect(await ids('/v1/violations?carrier=C2', 'carrier:C1', 'violationId')).toEqual([]);
    expect(await ids('/v1/violations?vehicle=V3', 'carrier:C1', 'violationId')).toEqual([]);
    expect(await ids('/v1/fleet?carrier=C2', 'bureau', 'vehicleId')).toEqual(['V3']);
    expect((await ids('/v1/violations?carrier=C2', 'enforcement', 'violationId')).sort()).toEqual(['X3', 'X4']);
  });

  it('shows every carrier the same zones', async () => {
    const c1 = await get('/v1/zones', 'carrier:C1');
    const bureau = await get('/v1/zones', 'bureau');
    expect(c1.json<{ items: { zoneId: string }[] }>().items.map((z) => z.zoneId)).toEqual(['Z-LOT-1', 'Z-SEG-1']);
    expect(c1.body).toBe(bureau.body);
  });
});
