import type { FleetVehicle } from '@dgt/readmodels';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyBatch, headersFor, startTestApi, vehicle, violation, type TestApi, type TestRole } from './apiTestKit.ts';

let api: TestApi;
beforeEach(async () => {
  api = await startTestApi();
});
afterEach(async () => api.close());

const get = (url: string, role: TestRole = 'bureau') => api.app.inject({ method: 'GET', url, headers: headersFor(role) });
const fleetIds = async (query: string, role: TestRole = 'bureau') => (await get(`/v1/fleet${query}`, role)).json<{ items: FleetVehicle[] }>().items.map((v) => v.vehicleId);

async function errorPaths(url: string): Promise<string[]> {
  const res = await get(url);
  expect(res.statusCode).toBe(400);
  const body = res.json<{ error: { code: string; details?: { path: string }[] } }>();
  expect(body.error.code).toBe('VALIDATION_FAILED');
  return (body.error.details ?? []).map((d) => d.path);
}

describe('GET /v1/fleet', () => {
  it('filters by laden, open violation and bounding box (edges inclusive)', async () => {
    expect(await fleetIds('?laden=true')).toEqual(['V1', 'V3']);
    expect(await fleetIds('?laden=false')).toEqual(['V2', 'V4']);
    expect(await fleetIds('?inViolation=true')).toEqual(['V1']);
    expect(await fleetIds('?bbox=121.40,28.60,121.50,28.70')).toEqual(['V1', 'V3']);
    expect(await fleetIds('?bbox=121.42,28.65,121.42,28.65')).toEqual(['V1']);
    expect(await fleetIds('?bbox=121.40,28.60,121.50,28.70', 'carrier:C2')).toEqual(['V3']);
  });

  it('pages in vehicle-id order with an opaque cursor until nextCursor is null', async () => {
    const seen: string[] = [];
    let url = '/v1/fleet?limit=3';
    for (let pages = 0; pages < 5; pages++) {
      const page = (await get(url)).json<{ items: FleetVehicle[]; nextCursor: string | null }>();
      seen.push(...page.items.map((v) => v.vehicleId));
      if (page.nextCursor === null) break;
      url = `/v1/fleet?limit=3&cursor=${encodeURIComponent(page.nextCursor)}`;
    }
    expect(seen).toEqual(['V1', 'V2', 'V3', 'V4']);
  });

  it('refuses bad filters with 400 naming the field', async () => {
    expect(await errorPaths('/v1/fleet?bbox=1,2,3')).toEqual(['query.bbox']);
    expect(await errorPaths('/v1/fleet?bbox=121.5,28.6,121.4,28.7')).toEqual(['query.bbox']);
    expect(await errorPaths('/v1/fleet?bbox=200,0,201,1')).toEqual(['query.bbox']);
    expect(await errorPaths('/v1/fleet?limit=5001')).toEqual(['query.limit']);
    expect(await errorPaths('/v1/fleet?limit=0')).toEqual(['query.limit']);
    expect(await errorPaths('/v1/fleet?laden=yes')).toEqual(['query.laden']);
    expect(await errorPaths('/v1/fleet?cursor=not-a-cursor')).toEqual(['query.cursor']);
  });

  it('sends only the fields the schema lists, however many the store holds', async () => {
    const leaky = { ...vehicle('V9', 'C1'), internalNote: 'x', lastFix: { eventId: 'f', occurredAt: '2026-03-05T09:00:00Z', lon: 121.3, lat: 28.5, speedKmh: 0, headingDeg: null, rawJt808: 'x' }, goods: [{ unNumber: 'UN1203', name: 'Gasoline', hazardClass: '3', quantityKg: 1, supplierPrice: 'x' }] } as unknown as FleetVehicle;
    await api.readModels.commit(emptyBatch('2', { vehicles: [leaky] }));
    for (const url of ['/v1/fleet', '/v1/fleet?carrier=C1', '/v1/vehicles/V9']) {
      const res = await get(url);
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('"V9"');
      expect(res.body).not.toMatch(/internalNote|rawJt808|supplierPrice/);
    }
    const row = (await get('/v1/vehicles/V9')).json<Record<string, unknown>>();
    expect(Object.keys(row).sort()).toEqual(['carrierId', 'goods', 'laden', 'lastFix', 'openViolations', 'place', 'plateNo', 'stoppedSince', 'vehicleId', 'waybillNo', 'zones']);
  });

  it('serves a new commit once the cache checks the generation again', async () => {
    const before = await fleetIds('?carrier=C2');
    await api.readModels.commit(emptyBatch('3', { vehicles: [vehicle('V8', 'C2')] }));
    expect(before).toEqual(['V3']);
    expect(await fleetIds('?carrier=C2')).toEqual(['V3', 'V8']);
  });
});

describe('GET /v1/fleet compression', () => {
  it('sends the pre-compressed page to clients accepting gzip, the plain one otherwise', async () => {
    const { gunzipSync } = await import('node:zlib');
    const plain = await get('/v1/fleet');
    expect(plain.headers['content-encoding']).toBeUndefined();
    let zipped = plain;
    for (let i = 0; i < 50 && zipped.headers['content-encoding'] !== 'gzip'; i++) {
      await new Promise((r) => setTimeout(r, 5));
      zipped = await api.app.inject({ method: 'GET', url: '/v1/fleet', headers: { ...headersFor('bureau'), 'accept-encoding': 'gzip, br' } });
    }
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toContain('accept-encoding');
    expect(gunzipSync(zipped.rawPayload).toString('utf8')).toBe(plain.body);
  });
});

describe('GET /v1/violations', () => {
  const ids = async (query: string, role: TestRole = 'bureau') => (await get(`/v1/violations${query}`, role)).json<{ items: { violationId: string }[] }>().items.map((v) => v.violationId);

  it('lists newest first and filters by kind, status, vehicle and start time', async () => {
    expect(await ids('')).toEqual(['X1', 'X4', 'X2', 'X3']);
    expect(await ids('?kind=overspeed')).toEqual(['X2']);
    expect(await ids('?kind=restricted-entry')).toEqual(['X4']);
    expect(await ids('?kind=illegal-parking')).toEqual(['X1', 'X3']);
    expect(await ids('?status=open')).toEqual(['X1']);
    expect(await ids('?vehicle=V3')).toEqual(['X4', 'X3']);
    expect(await ids(`?from=${encodeURIComponent('2026-03-01T00:00:00+08:00')}`)).toEqual(['X1', 'X4']);
    // The same with the + typed unencoded (it arrives as a space): read as meant, not refused.
    expect(await ids('?from=2026-03-01T00:00:00+08:00')).toEqual(['X1', 'X4']);
    expect(await ids(`?to=${encodeURIComponent('2026-03-01T00:00:00+08:00')}`)).toEqual(['X2', 'X3']);
  });

  it('pages with limit and cursor without gaps or repeats', async () => {
    const first = (await get('/v1/violations?limit=3')).json<{ items: { violationId: string }[]; nextCursor: string | null }>();
    expect(first.items.map((v) => v.violationId)).toEqual(['X1', 'X4', 'X2']);
    expect(first.nextCursor).not.toBeNull();
    const second = (await get(`/v1/violations?limit=3&cursor=${encodeURIComponent(first.nextCursor!)}`)).json<{ items: { violationId: string }[]; nextCursor: string | null }>();
    expect(second).toEqual({ items: [expect.objectContaining({ violationId: 'X3' })], nextCursor: null });
  });

  it('carries each kind\'s fields: the limit and fastest speed of an overspeed, the rule of a restricted entry', async () => {
    const items = (await get('/v1/violations')).json<{ items: Record<string, unknown>[] }>().items;
    expect(items.find((v) => v.violationId === 'X2')).toMatchObject({ kind: 'overspeed', severity: 'high', zoneId: 'Z-SEG-1', limitKmh: 60, maxSpeedKmh: 74 });
    expect(items.find((v) => v.violationId === 'X4')).toMatchObject({ kind: 'restricted-entry', rule: 'laden-banned' });
  });

  it('still reads the old type filter as kind, and refuses accident-segment pointing to the advisories', async () => {
    expect(await ids('?type=illegal-parking')).toEqual(['X1', 'X3']);
    expect(await ids('?type=overspeed&kind=overspeed')).toEqual(['X2']);
    const res = await get('/v1/violations?type=accident-segment');
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { details: { path: string; message: string }[] } }>().error.details).toEqual([
      { path: 'query.type', message: 'accident-segment is no longer a violation: segment passages are advisories, listed by GET /v1/advisories' },
    ]);
    expect(await errorPaths('/v1/violations?type=overspeed&kind=illegal-parking')).toEqual(['query.type']);
  });

  it('refuses bad filters with 400 naming the field', async () => {
    expect(await errorPaths('/v1/violations?kind=speeding')).toEqual(['query.kind']);
    expect(await errorPaths('/v1/violations?kind=segment-passage')).toEqual(['query.kind']);
    expect(await errorPaths('/v1/violations?type=speeding')).toEqual(['query.type']);
    expect(await errorPaths('/v1/violations?status=maybe')).toEqual(['query.status']);
    expect(await errorPaths('/v1/violations?from=yesterday')).toEqual(['query.from']);
    expect(await errorPaths('/v1/violations?limit=1001')).toEqual(['query.limit']);
    expect(await errorPaths('/v1/violations?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z')).toEqual(['query.from']);
    expect(await errorPaths('/v1/violations?cursor=Zm9v')).toEqual(['query.cursor']);
  });

  it('drops fields the schema does not list', async () => {
    const leaky = { ...violation('X9', 'V2', 'C1'), officerNotes: 'x' };
    await api.readModels.commit(emptyBatch('4', { violations: [leaky] }));
    const res = await get('/v1/violations?vehicle=V2');
    expect(res.json<{ items: { violationId: string }[] }>().items.map((v) => v.violationId)).toEqual(['X9']);
    expect(res.body).not.toContain('officerNotes');
  });
});

describe('GET /v1/advisories', () => {
  const ids = async (query: string, role: TestRole = 'bureau') => (await get(`/v1/advisories${query}`, role)).json<{ items: { advisoryId: string }[] }>().items.map((a) => a.advisoryId);

  it('lists segment passages, laden or empty, newest first, apart from the violations', async () => {
    expect(await ids('')).toEqual(['A2', 'A1', 'A3']);
    expect(await ids('?status=open')).toEqual(['A2']);
    expect(await ids('?kind=segment-passage&vehicle=V1')).toEqual(['A1']);
    expect(await ids(`?from=${encodeURIComponent('2026-03-05T06:00:00Z')}`)).toEqual(['A2', 'A1']);
    const row = (await get('/v1/advisories?vehicle=V4')).json<{ items: Record<string, unknown>[] }>().items[0];
    expect(row).toMatchObject({ advisoryId: 'A3', kind: 'segment-passage', severity: 'low', laden: false, zoneName: 'G15 bend' });
    expect(row).not.toHaveProperty('violationId');
  });

  it('scopes to the carrier that owned the vehicle, like violations', async () => {
    expect(await ids('', 'carrier:C1')).toEqual(['A1']);
    expect(await ids('', 'carrier:C2')).toEqual(['A2']);
    expect(await ids('?carrier=C2', 'carrier:C1')).toEqual([]);
  });

  it('pages with cursors of its own and refuses bad filters naming the field', async () => {
    const first = (await get('/v1/advisories?limit=2')).json<{ items: { advisoryId: string }[]; nextCursor: string }>();
    const second = (await get(`/v1/advisories?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`)).json<{ items: { advisoryId: string }[]; nextCursor: string | null }>();
    expect([...first.items, ...second.items].map((a) => a.advisoryId)).toEqual(['A2', 'A1', 'A3']);
    expect(second.nextCursor).toBeNull();
    const violationCursor = (await get('/v1/violations?limit=1')).json<{ nextCursor: string }>().nextCursor;
    expect(await errorPaths(`/v1/advisories?cursor=${encodeURIComponent(violationCursor)}`)).toEqual(['query.cursor']);
    expect(await errorPaths('/v1/advisories?kind=overspeed')).toEqual(['query.kind']);
    expect(await errorPaths('/v1/advisories?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z')).toEqual(['query.from']);
  });
});

describe('GET /v1/consignments/:waybillNo', () => {
  it('returns the waybill with its lifecycle and goods', async () => {
    const res = await get('/v1/consignments/W1', 'carrier:C1');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ waybillNo: 'W1', status: 'assigned', carrierId: 'C1', vehicleId: 'V1', goods: [{ unNumber: 'UN1203' }], timeline: { declared: expect.any(String), loaded: null } });
  });

  it('answers 404 for an unknown waybill', async () => {
    expect((await get('/v1/consignments/NOPE')).statusCode).toBe(404);
  });
});

describe('GET /v1/carriers/:id/compliance', () => {
  const compliance = async (id: string, role: TestRole = 'bureau') => (await get(`/v1/carriers/${id}/compliance`, role)).json<{ status: string; openViolations: number; last30DaysTotal: number; vehiclesInViolation: string[]; windowTo: string; last30DaysByKind: Record<string, number> }>();

  it('is non-compliant with an open violation, a warning with 1–2 in 30 days, compliant with none', async () => {
    expect(await compliance('C1')).toMatchObject({ status: 'non-compliant', openViolations: 1, last30DaysTotal: 2, vehiclesInViolation: ['V1'], last30DaysByKind: { 'illegal-parking': 1, overspeed: 1, 'restricted-entry': 0 } });
    expect(await compliance('C2')).toMatchObject({ status: 'warning', openViolations: 0, last30DaysTotal: 1, vehiclesInViolation: [] });
    expect(await compliance('C3')).toMatchObject({ status: 'compliant', openViolations: 0, last30DaysTotal: 0 });
  });

  it('judges at the app’s injected clock and lets a carrier read its own verdict', async () => {
    expect(await compliance('C2', 'carrier:C2')).toMatchObject({ status: 'warning', windowTo: '2026-03-05T10:00:00.000Z' });
  });

  it('answers 404 for an unknown carrier', async () => {
    expect((await get('/v1/carriers/NOPE/compliance')).statusCode).toBe(404);
  });
});

describe('GET /v1/vehicles/:id/track', () => {
  type TrackBody = { points: { eventId: string; occurredAt: string }[]; truncated: boolean; from: string; to: string };
  const track = async (query: string, role: TestRole = 'bureau') => get(`/v1/vehicles/V1/track${query}`, role);

  it('returns the vehicle’s fixes in the window in fix-time order, by default the last 6 hours', async () => {
    const body = (await track('')).json<TrackBody>();
    expect(body.points).toHaveLength(18);
    expect(body.points.every((p) => p.eventId.startsWith('pos-V1-'))).toBe(true);
    const times = body.points.map((p) => Date.parse(p.occurredAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(body).toMatchObject({ truncated: false, from: '2026-03-05T04:00:00.000Z', to: '2026-03-05T10:00:00.000Z' });
  });

  it('bounds the window by from/to (to exclusive) and the points by limit', async () => {
    const window = (await track(`?from=${encodeURIComponent('2026-03-05T08:00:00Z')}&to=${encodeURIComponent('2026-03-05T09:00:00Z')}`)).json<TrackBody>();
    expect(window.points.map((p) => p.eventId)).toEqual(['pos-V1-12', 'pos-V1-11', 'pos-V1-10', 'pos-V1-9', 'pos-V1-8', 'pos-V1-7']);
    const limited = (await track('?limit=5')).json<TrackBody>();
    expect(limited.points).toHaveLength(5);
    expect(limited.truncated).toBe(true);
  });

  it('refuses a window over 24 hours, a reversed one and too many points with 400 naming the field', async () => {
    expect(await errorPaths(`/v1/vehicles/V1/track?from=${encodeURIComponent('2026-03-03T00:00:00Z')}&to=${encodeURIComponent('2026-03-05T00:00:00Z')}`)).toEqual(['query.from']);
    expect(await errorPaths(`/v1/vehicles/V1/track?from=${encodeURIComponent('2026-03-05T00:00:00Z')}&to=${encodeURIComponent('2026-03-04T00:00:00Z')}`)).toEqual(['query.from']);
    expect(await errorPaths('/v1/vehicles/V1/track?limit=10001')).toEqual(['query.limit']);
    expect(await errorPaths('/v1/vehicles/V1/track?to=now')).toEqual(['query.to']);
  });

  it('answers 404 for an unknown vehicle', async () => {
    expect((await track('', 'bureau')).statusCode).toBe(200);
    expect((await get('/v1/vehicles/NOPE/track')).statusCode).toBe(404);
  });
});

describe('health', () => {
  it('is ready while the read-model store answers', async () => {
    const res = await get('/readyz', 'metrics');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ready', checks: { readModels: { ok: true } } });
  });
});
