import { epochMs } from '@dgt/events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { at, runFold, scenario } from '../../../libs/planning/test/scenario.ts';
import { PlanningCache } from '../src/planning/planningCache.ts';
import { emptyBatch, headersFor, roles, startTestApi, type TestApi, type TestRole } from './apiTestKit.ts';

/*
 * The planning routes (issue #19) over the planning library's own scenario (libs/planning/test/
 * scenario.ts), run through the detection engine and the planning fold and committed as the
 * projector commits them (`batch.planning`). Monday 2 March 2026, Beijing time:
 * - lot-A (甲停车场, capacity 1): V1 laden 08:00–09:30, V2 empty 08:30–09:00;
 * - V3 laden 21 min at the roadside (a long stop, class 3), V4 laden 5 min elsewhere (short, 2.1),
 *   V5 empty and V6 at its loading site (neither is demand);
 * - seg-1 (事故多发路段一, banned 08:00–09:00): V8 laden (class 3, carrier C8) and V9 empty pass it.
 * The latest fix is V1's at 09:30 (01:30 UTC).
 */

let api: TestApi;
afterEach(async () => api?.close());

const rowsOf = (events = scenario()) => runFold(events).fold.rows();

async function startWithPlanning(rows = rowsOf()): Promise<TestApi> {
  api = await startTestApi();
  await api.readModels.commit(emptyBatch('2', { planning: rows }));
  return api;
}

const get = (url: string, role: TestRole | null = 'planner') => api.app.inject({ method: 'GET', url, headers: headersFor(role) });
async function json<T>(url: string, role: TestRole = 'planner'): Promise<T> {
  const res = await get(url, role);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  return res.json<T>();
}
/** A CSV download: its lines (BOM stripped, CRLF split), after checking type, name and BOM. */
async function csv(url: string, filename: string): Promise<string[]> {
  const res = await get(url);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
  expect(res.headers['content-disposition']).toBe(`attachment; filename="${filename}"`);
  expect(res.body.startsWith('\uFEFF')).toBe(true);
  expect(res.body.endsWith('\r\n')).toBe(true);
  return res.body.slice(1).split('\r\n').slice(0, -1);
}
interface FeatureCollection {
  type: string;
  features: { type: string; id: string; geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> }[];
}
async function geoJson(url: string, filename: string): Promise<FeatureCollection> {
  const res = await get(url);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toBe('application/geo+json; charset=utf-8');
  expect(res.headers['content-disposition']).toBe(`attachment; filename="${filename}"`);
  const body = res.json<FeatureCollection>();
  expect(body.type).toBe('FeatureCollection');
  return body;
}
async function refusedPaths(url: string): Promise<string[]> {
  const res = await get(url);
  expect(res.statusCode, res.body).toBe(400);
  const body = res.json<{ error: { code: string; details?: { path: string }[] } }>();
  expect(body.error.code).toBe('VALIDATION_FAILED');
  return (body.error.details ?? []).map((d) => d.path);
}

interface Lots {
  asOf: string | null;
  lots: { lotId: string; name: string; capacity: number | null; current: unknown; hours: { hour: number }[]; dwell: { visits: number }[]; [k: string]: unknown }[];
}
interface Cell {
  cell: string;
  res: number;
  kind: string;
  nearestLot: { lotId: string; distanceM: number } | null;
  [k: string]: unknown;
}

describe('GET /v1/planning/lots', () => {
  it('answers each lot’s occupancy integrated up to the latest fix recorded', async () => {
    await startWithPlanning();
    const body = await json<Lots>('/v1/planning/lots');
    expect(body.asOf).toBe('2026-03-02T01:30:00.000Z');
    expect(body.lots).toHaveLength(1);
    const [lot] = body.lots;
    expect(lot).toMatchObject({
      lotId: 'lot-A',
      name: '甲停车场',
      capacity: 1,
      withdrawn: false,
      // Everyone has left by 09:30.
      current: { laden: 0, empty: 0, total: 0 },
      utilisation: 0,
      peak: 2,
      hoursAtOrOverCapacity: 1.5,
      visits: 2,
      meanDwellMin: 60,
    });
    expect(lot?.hours).toHaveLength(24);
    // 08:00–09:00: V1 all hour, V2 half of it; 09:00–09:30 observed: V1 only.
    expect(lot?.hours[8]).toEqual({ hour: 8, meanVehicles: 1.5, meanLaden: 1, peak: 2, observedH: 1 });
    expect(lot?.hours[9]).toEqual({ hour: 9, meanVehicles: 1, meanLaden: 1, peak: 1, observedH: 0.5 });
    // V2: 30 min (15 min–1 h), V1: 90 min (1–3 h).
    expect(lot?.dwell.map((d) => d.visits)).toEqual([0, 1, 1, 0, 0, 0]);
    expect(lot?.dwell[1]).toEqual({ fromS: 900, toS: 3600, visits: 1 });
    expect(lot?.dwell[5]).toEqual({ fromS: 86_400, toS: null, visits: 0 });
  });

  it('counts the vehicles inside now while they are there', async () => {
    await startWithPlanning(rowsOf(scenario().filter((e) => e.type !== 'VehiclePositionReported' || epochMs(e.occurredAt) <= epochMs(at(45)))));
    const body = await json<Lots>('/v1/planning/lots');
    expect(body.asOf).toBe(new Date(at(45)).toISOString());
    expect(body.lots[0]).toMatchObject({ current: { laden: 1, empty: 1, total: 2 }, utilisation: 2 });
  });

  it('gives the lots, their hours and their dwell classes as CSV files named by the date of the latest fix', async () => {
    await startWithPlanning();
    const lots = await csv('/v1/planning/lots.csv', 'dgt-planning-lots-2026-03-02.csv');
    expect(lots).toEqual(['lotId,name,capacity,laden,empty,total,utilisation,peak,meanVehicles,hoursAtOrOverCapacity,visits,meanDwellMin,withdrawn', 'lot-A,甲停车场,1,0,0,0,0,2,1.33,1.5,2,60,false']);
    const hours = await csv('/v1/planning/lot-hours.csv', 'dgt-planning-lot-hours-2026-03-02.csv');
    expect(hours[0]).toBe('lotId,hour,meanVehicles,meanLaden,peak,observedH');
    expect(hours).toHaveLength(1 + 24);
    expect(hours).toContain('lot-A,8,1.5,1,2,1');
    const dwell = await csv('/v1/planning/lot-dwell.csv', 'dgt-planning-lot-dwell-2026-03-02.csv');
    expect(dwell).toEqual(['lotId,fromS,toS,visits', 'lot-A,0,900,0', 'lot-A,900,3600,1', 'lot-A,3600,10800,1', 'lot-A,10800,28800,0', 'lot-A,28800,86400,0', 'lot-A,86400,,0']);
  });

  it('answers a store without planning rows (before the projector ran) with nothing, not an error', async () => {
    api = await startTestApi();
    expect(await json<Lots>('/v1/planning/lots')).toEqual({ asOf: null, lots: [] });
    expect(await json('/v1/planning/demand')).toEqual({ kind: 'long', res: 8, weeks: 1, cells: [] });
    expect(await json('/v1/planning/candidates')).toEqual({ res: 8, weeks: 1, minDistanceM: 2000, candidates: [] });
    expect(await json('/v1/planning/segments')).toEqual({ segments: [] });
    expect(await csv('/v1/planning/lots.csv', 'dgt-planning-lots.csv')).toHaveLength(1);
    expect((await geoJson('/v1/planning/demand.geojson', 'dgt-planning-demand-long-r8.geojson')).features).toEqual([]);
  });
});

describe('GET /v1/planning/demand', () => {
  it('answers laden stops outside every lot per H3 cell: long at resolution 8 by default, short and resolution 7 on request', async () => {
    await startWithPlanning();
    const long8 = await json<{ kind: string; res: number; weeks: number; cells: Cell[] }>('/v1/planning/demand');
    expect(long8).toMatchObject({ kind: 'long', res: 8, weeks: 0.143 });
    // V3 only: V5 was empty, V6 at its loading site, V1 inside the lot.
    expect(long8.cells).toHaveLength(1);
    expect(long8.cells[0]).toMatchObject({ res: 8, kind: 'long', stops: 1, vehicles: 1, vehicleHours: 0.35, classes: [{ hazardClass: '3', stops: 1 }], firstStopMs: epochMs(at(0)) });
    expect(long8.cells[0]?.nearestLot?.lotId).toBe('lot-A');
    expect(long8.cells[0]?.nearestLot?.distanceM).toBeGreaterThan(10_000);
    const short8 = await json<{ cells: Cell[] }>('/v1/planning/demand?kind=short');
    expect(short8.cells).toHaveLength(1);
    expect(short8.cells[0]).toMatchObject({ kind: 'short', stops: 1, vehicleHours: 0.08, classes: [{ hazardClass: '2.1', stops: 1 }] });
    const long7 = await json<{ res: number; cells: Cell[] }>('/v1/planning/demand?res=7&kind=long');
    expect(long7.res).toBe(7);
    expect(long7.cells.map((c) => c.res)).toEqual([7]);
    expect(long7.cells[0]?.cell).not.toBe(long8.cells[0]?.cell);
  });

  it('gives the cells as CSV and as GeoJSON hexagons (Polygons, WGS-84)', async () => {
    await startWithPlanning();
    const { cells } = await json<{ cells: Cell[] }>('/v1/planning/demand');
    const cell = cells[0]!.cell;
    const lines = await csv('/v1/planning/demand.csv', 'dgt-planning-demand-long-r8-2026-03-02.csv');
    expect(lines[0]).toBe('cell,res,kind,lon,lat,stops,vehicles,vehicleHours,hazardClasses,nearestLotId,nearestLotM');
    expect(lines[1]).toMatch(new RegExp(`^${cell},8,long,121\\.5\\d+,28\\.6\\d+,1,1,0\\.35,3:1,lot-A,\\d+$`));
    expect(await csv('/v1/planning/demand.csv?kind=short&res=7', 'dgt-planning-demand-short-r7-2026-03-02.csv')).toHaveLength(2);
    const geo = await geoJson('/v1/planning/demand.geojson', 'dgt-planning-demand-long-r8-2026-03-02.geojson');
    expect(geo.features).toHaveLength(1);
    const [feature] = geo.features;
    expect(feature?.id).toBe(cell);
    expect(feature?.geometry.type).toBe('Polygon');
    const [ring] = feature?.geometry.coordinates as [number, number][][];
    // A hexagon, closed: seven positions, the last the first, around the roadside stop (121.52, 28.70).
    expect(ring).toHaveLength(7);
    expect(ring?.[6]).toEqual(ring?.[0]);
    for (const [lon, lat] of ring ?? []) {
      expect(Math.abs(lon - 121.52)).toBeLessThan(0.01);
      expect(Math.abs(lat - 28.7)).toBeLessThan(0.01);
    }
    expect(feature?.properties).toMatchObject({ cell, res: 8, kind: 'long', stops: 1, vehicles: 1, vehicleHours: 0.35, hazardClasses: '3:1', nearestLotId: 'lot-A' });
  });
});

describe('GET /v1/planning/candidates', () => {
  it('ranks areas of long stops far from every lot by vehicle-hours per week', async () => {
    await startWithPlanning();
    const body = await json<{ res: number; weeks: number; minDistanceM: number; candidates: Record<string, unknown>[] }>('/v1/planning/candidates');
    expect(body).toMatchObject({ res: 8, weeks: 0.143, minDistanceM: 2000 });
    expect(body.candidates).toHaveLength(1);
    // 0.35 vehicle-hours over a day of record (the least the record counts as): 2.45 a week.
    expect(body.candidates[0]).toMatchObject({ rank: 1, stops: 1, vehicles: 1, vehicleHours: 0.35, vehicleHoursPerWeek: 2.45, classes: [{ hazardClass: '3', stops: 1 }], nearestLot: { lotId: 'lot-A' } });
    const { cells } = await json<{ cells: Cell[] }>('/v1/planning/demand');
    expect(body.candidates[0]?.cells).toEqual([cells[0]?.cell]);
    // A lot within 50 km takes the area off the list.
    expect((await json<{ candidates: unknown[] }>('/v1/planning/candidates?minDistanceM=50000')).candidates).toEqual([]);
    expect((await json<{ res: number; candidates: unknown[] }>('/v1/planning/candidates?res=7&limit=1')).candidates).toHaveLength(1);
  });

  it('gives the areas as CSV and as GeoJSON points at their centres', async () => {
    await startWithPlanning();
    const lines = await csv('/v1/planning/candidates.csv', 'dgt-planning-candidates-r8-2026-03-02.csv');
    expect(lines[0]).toBe('rank,lon,lat,cells,stops,vehicles,vehicleHours,vehicleHoursPerWeek,hazardClasses,nearestLotId,nearestLotM');
    expect(lines[1]).toMatch(/^1,121\.5\d+,28\.6\d+,[0-9a-f]{15},1,1,0\.35,2\.45,3:1,lot-A,\d+$/);
    const geo = await geoJson('/v1/planning/candidates.geojson?res=8&minDistanceM=2000&limit=5', 'dgt-planning-candidates-r8-2026-03-02.geojson');
    expect(geo.features.map((f) => [f.id, f.geometry.type])).toEqual([['candidate-1', 'Point']]);
    expect(geo.features[0]?.properties).toMatchObject({ rank: 1, cells: 1, vehicleHoursPerWeek: 2.45 });
  });
});

describe('GET /v1/planning/segments', () => {
  it('answers laden passages by day, hour, week, class and carrier, speeds inside and banned-hour entries', async () => {
    await startWithPlanning();
    const { segments } = await json<{ segments: Record<string, unknown>[] }>('/v1/planning/segments');
    expect(segments).toHaveLength(1);
    const hours = new Array<number>(24).fill(0);
    hours[8] = 1;
    expect(segments[0]).toEqual({
      segmentId: 'seg-1',
      name: '事故多发路段一',
      withdrawn: false,
      ladenPassages: 1,
      emptyPassages: 1,
      ladenPerDay: 1,
      byDay: [{ date: '2026-03-02', passages: 1 }],
      byHour: hours,
      byWeek: [{ week: '2026-03-02', passages: 1 }],
      byClass: [{ hazardClass: '3', passages: 1 }],
      byCarrier: [{ carrierId: 'C8', passages: 1 }],
      speed: { fixes: 12, p50: 60, p85: 60, p95: 60 },
      bannedHourEntries: 1,
      ladenBannedEntries: 0,
    });
  });

  it('gives the segments and their passages per hour, day and week as CSV', async () => {
    await startWithPlanning();
    expect(await csv('/v1/planning/segments.csv', 'dgt-planning-segments-2026-03-02.csv')).toEqual([
      'segmentId,name,ladenPassages,emptyPassages,ladenPerDay,speedFixes,p50Kmh,p85Kmh,p95Kmh,bannedHourEntries,ladenBannedEntries,hazardClasses,carriers,withdrawn',
      'seg-1,事故多发路段一,1,1,1,12,60,60,60,1,0,3:1,C8:1,false',
    ]);
    const hours = await csv('/v1/planning/segment-hours.csv', 'dgt-planning-segment-hours-2026-03-02.csv');
    expect(hours[0]).toBe('segmentId,hour,ladenPassages');
    expect(hours).toHaveLength(1 + 24);
    expect(hours).toContain('seg-1,8,1');
    expect(await csv('/v1/planning/segment-days.csv', 'dgt-planning-segment-days-2026-03-02.csv')).toEqual(['segmentId,date,ladenPassages', 'seg-1,2026-03-02,1']);
    expect(await csv('/v1/planning/segment-weeks.csv', 'dgt-planning-segment-weeks-2026-03-02.csv')).toEqual(['segmentId,weekOf,ladenPassages', 'seg-1,2026-03-02,1']);
  });
});

describe('planning query parameters', () => {
  it('refuses a resolution the fold does not aggregate, an unknown kind and a limit outside 1–200, naming the field', async () => {
    await startWithPlanning();
    for (const path of ['/v1/planning/demand', '/v1/planning/demand.csv', '/v1/planning/demand.geojson']) {
      expect(await refusedPaths(`${path}?res=9`)).toEqual(['query.res']);
      expect(await refusedPaths(`${path}?res=six`)).toEqual(['query.res']);
      expect(await refusedPaths(`${path}?kind=parked`)).toEqual(['query.kind']);
    }
    for (const path of ['/v1/planning/candidates', '/v1/planning/candidates.csv', '/v1/planning/candidates.geojson']) {
      expect(await refusedPaths(`${path}?res=6`)).toEqual(['query.res']);
      expect(await refusedPaths(`${path}?limit=0`)).toEqual(['query.limit']);
      expect(await refusedPaths(`${path}?limit=201`)).toEqual(['query.limit']);
      expect(await refusedPaths(`${path}?minDistanceM=-1`)).toEqual(['query.minDistanceM']);
    }
    expect((await get('/v1/planning/candidates?limit=200')).statusCode).toBe(200);
    expect((await get('/v1/planning/demand?res=7&kind=short')).statusCode).toBe(200);
  });
});

describe('who may read the planning answers', () => {
  const urls = [
    '/v1/planning/lots',
    '/v1/planning/lots.csv',
    '/v1/planning/lot-hours.csv',
    '/v1/planning/lot-dwell.csv',
    '/v1/planning/demand',
    '/v1/planning/demand.csv',
    '/v1/planning/demand.geojson',
    '/v1/planning/candidates',
    '/v1/planning/candidates.csv',
    '/v1/planning/candidates.geojson',
    '/v1/planning/segments',
    '/v1/planning/segments.csv',
    '/v1/planning/segment-hours.csv',
    '/v1/planning/segment-days.csv',
    '/v1/planning/segment-weeks.csv',
  ];
  const expected: Readonly<Record<TestRole | 'none', number>> = {
    none: 401,
    bureau: 200,
    enforcement: 200,
    planner: 200,
    // Segment exposure counts other carriers' passages, demand their stops.
    'carrier:C1': 403,
    'carrier:C2': 403,
    ingest: 403,
    'ingest:C1': 403,
    registry: 403,
    metrics: 403,
  };

  it('admits bureau, enforcement and planner keys; refuses carriers, ingest, registry and metrics (403) and no key (401)', async () => {
    await startWithPlanning();
    for (const url of urls) {
      for (const role of [null, ...roles] as const) {
        const res = await get(url, role);
        expect(res.statusCode, `${url} as ${role ?? 'no key'}`).toBe(expected[role ?? 'none']);
        if (res.statusCode >= 400) expect(res.json<{ error: { code: string } }>().error.code).toBe(res.statusCode === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN');
      }
    }
  });

  it('gives a planner the zones and the desk’s static files, and nothing about vehicles, violations, cases, messages or carriers', async () => {
    await startWithPlanning();
    expect((await get('/v1/zones')).statusCode).toBe(200);
    expect((await get('/dashboard-config.json')).statusCode).toBe(200);
    for (const url of [
      '/v1/fleet',
      '/v1/vehicles/V1',
      '/v1/vehicles/V1/track',
      '/v1/vehicles/V1/messages',
      '/v1/violations',
      '/v1/advisories',
      '/v1/alerts/stream',
      '/v1/alerts/acknowledgements',
      '/v1/statistics',
      '/v1/cases',
      '/v1/consignments/W1',
      '/v1/carriers',
      '/v1/carriers/C1/compliance',
      '/v1/carriers/C1/points',
      '/v1/platform-links',
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(403);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('FORBIDDEN');
    }
    const audit = await api.app.inject({ method: 'POST', url: '/v1/audits', headers: headersFor('planner'), payload: { vehicleIds: ['V1'] } });
    expect(audit.statusCode).toBe(403);
  });

  it('documents every planning route in OpenAPI under the planning group', async () => {
    await startWithPlanning();
    const doc = (await get('/docs/json', 'bureau')).json<{ paths: Record<string, { get?: { tags?: string[] } }> }>();
    for (const url of urls) expect(doc.paths[url]?.get?.tags, url).toEqual(['planning']);
  });
});

describe('planning answers per read-model generation', () => {
  it('reads the rows once while the projector does not write, and again once it has', async () => {
    await startWithPlanning(rowsOf(scenario().filter((e) => e.type !== 'VehiclePositionReported' || epochMs(e.occurredAt) <= epochMs(at(45)))));
    const reads = vi.spyOn(api.readModels, 'planningRows');
    const first = await get('/v1/planning/candidates');
    expect((await get('/v1/planning/candidates')).body).toBe(first.body);
    await get('/v1/planning/demand.geojson');
    await get('/v1/planning/lots');
    expect(reads).toHaveBeenCalledTimes(1);
    expect((await json<Lots>('/v1/planning/lots')).lots[0]?.current).toEqual({ laden: 1, empty: 1, total: 2 });
    // The projector commits the rest of the morning.
    await api.readModels.commit(emptyBatch('3', { planning: rowsOf() }));
    expect((await json<Lots>('/v1/planning/lots')).lots[0]?.current).toEqual({ laden: 0, empty: 0, total: 0 });
    expect(reads).toHaveBeenCalledTimes(2);
  });

  it('asks for the generation at most once per freshness window, and shares one load among requests arriving together', async () => {
    api = await startTestApi();
    await api.readModels.commit(emptyBatch('2', { planning: rowsOf() }));
    let now = 0;
    const cache = new PlanningCache({ readModels: api.readModels, freshMs: 100, clock: () => now });
    const generations = vi.spyOn(api.readModels, 'generation');
    const reads = vi.spyOn(api.readModels, 'planningRows');
    let made = 0;
    const make = () => ({ bytes: Buffer.from(String(++made)), type: 'text/plain' });
    const [a, b] = await Promise.all([cache.body('k', make), cache.body('k', make)]);
    expect(reads).toHaveBeenCalledTimes(1);
    expect(a.bytes.toString()).toBe('1');
    expect(b.bytes.toString()).toBe('1');
    now = 50;
    await cache.body('k', make);
    expect(generations).toHaveBeenCalledTimes(2);
    await api.readModels.commit(emptyBatch('3', { planning: rowsOf() }));
    // Within the window: the old answer, without asking.
    expect((await cache.body('k', make)).bytes.toString()).toBe('1');
    now = 150;
    expect((await cache.body('k', make)).bytes.toString()).toBe('2');
    expect(reads).toHaveBeenCalledTimes(2);
  });
});
