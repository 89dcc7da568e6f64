import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApiApp, readApiConfig, type ApiConfig } from '@dgt/api';
import { type DgtEvent, epochMs, type EventOf } from '@dgt/events';
import { carrierStream, openMemoryEventStore, type EventStore } from '@dgt/eventstore';
import { generateApiKey, hashApiKey, type ServiceApp } from '@dgt/http';
import { createMemoryReadModelStore, type CarrierView, type ReadModelStore } from '@dgt/readmodels';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Lib from '../../libs/planning/src/index.ts';
import { drive, laden, parkedThenLeaves, ROADSIDE, ROADSIDE_2, runFold, scenario } from '../../libs/planning/test/scenario.ts';
import type * as Views from '../../services/api/dashboard/src/api/views.ts';
import type { Language } from '../../services/api/dashboard/src/i18n/language.ts';
import { zoneViewOf } from '../../services/projector/src/projection/zoneView.ts';
import { artifactsDir, closePages, DashboardPage, ensureDashboardBuilt, launchChromium } from './dashboardPage.ts';
import { latinWordsOf, untranslatedWords } from './untranslatedText.ts';

/*
 * The planning view (规划) in Chromium over planning rows made the way the projector makes them:
 * the planning library's scenario (a lot of capacity 1, roadside stops, an accident-prone segment
 * with banned hours) and a few more vehicles, run through the detection engine and the planning
 * fold, committed to the read models with their zones. The tables must show the library's own
 * numbers, the demand map one hexagon per cell the API answers, a planner's key only this view
 * (and no refused call), a carrier's key no trace of it.
 */

/** The desk's view types must stay the library's tables (the desk's bundle does not import it). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShapes: [Same<Lib.LotOccupancy, Views.LotOccupancy>, Same<Lib.DemandCell, Views.DemandCell>, Same<Lib.CandidateArea, Views.CandidateArea>, Same<Lib.SegmentExposure, Views.SegmentExposure>] = [true, true, true, true];

const keys = { bureau: generateApiKey(), planner: generateApiKey(), carrier: generateApiKey() };

let browser: Browser;
let app: ServiceApp;
let store: EventStore;
let readModels: ReadModelStore;
let config: ApiConfig;
let baseUrl: string;
let dataWords: Set<string>;
const pages: DashboardPage[] = [];

/** Roadside places of this test, beside the library's: east of ROADSIDE (a neighbouring res-8 cell, the same res-7 one) and farther north-west. */
const ROADSIDE_EAST = { lon: ROADSIDE.lon + 0.006, lat: ROADSIDE.lat };
const NORTH_WEST = { lon: 121.36, lat: 28.76 };

const carrierViews: CarrierView[] = [
  { carrierId: 'C1', name: '台州化运物流有限公司', vehicles: 4 },
  { carrierId: 'C8', name: '椒江危货运输有限公司', vehicles: 1 },
  { carrierId: 'C13', name: '路桥危险品运输有限公司', vehicles: 1 },
];

/**
 * The library's scenario and: V10 laden 30 min east of V3's stop, V11 laden 40 min where V4 stopped
 * short, V12 laden 25 min north-west (three candidate areas), and V13 laden (class 2.1, carrier C13)
 * through the segment at 80 km/h, so its speeds have a p85 above their p50.
 */
function events(): DgtEvent[] {
  const base = scenario();
  const isFix = (e: DgtEvent): boolean => e.type === 'VehiclePositionReported';
  const fixes = [
    ...base.filter(isFix),
    ...parkedThenLeaves('V10', 5, 35, ROADSIDE_EAST),
    ...parkedThenLeaves('V11', 10, 50, ROADSIDE_2),
    ...parkedThenLeaves('V12', 20, 45, NORTH_WEST),
    ...drive('V13', 20, 80),
  ].sort((a, b) => epochMs(a.occurredAt) - epochMs(b.occurredAt));
  return [...base.filter((e) => !isFix(e)), ...laden('WB10', 'V10'), ...laden('WB11', 'V11'), ...laden('WB12', 'V12', 'C1', '8'), ...laden('WB13', 'V13', 'C13', '2.1'), ...fixes];
}

/** What the tables must say: the library's own functions over the same rows. */
function expected(rows: Lib.PlanningRows) {
  const weeks = Lib.recordWeeks(rows.meta);
  return {
    lots: Lib.lotOccupancy(rows.lots, rows.meta?.clockMs ?? null),
    cells: (kind: Lib.StopKind, res: number) => Lib.demandCells(rows.cells, rows.lots, kind, res),
    candidates: (res: number) => Lib.candidateAreas(rows.cells, rows.lots, { res, weeks, minDistanceM: 2000, limit: 20 }),
    segments: Lib.segmentExposure(rows.segments),
  };
}
let want: ReturnType<typeof expected>;

async function apiGet<T>(path: string, key = keys.bureau): Promise<{ status: number; body: T }> {
  const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${key}` } });
  return { status: response.status, body: (await response.json()) as T };
}

async function openDesk(apiKey: string, language: Language = 'en'): Promise<DashboardPage> {
  const desk = await DashboardPage.open(browser, baseUrl, 'Asia/Shanghai', language);
  pages.push(desk);
  return desk;
}

async function openPlanning(apiKey: string, language: Language = 'en'): Promise<DashboardPage> {
  const desk = await openDesk(apiKey, language);
  await desk.login(apiKey);
  await desk.page.getByTestId('nav-planning').click();
  await planningReady(desk);
  return desk;
}

async function planningReady(desk: DashboardPage): Promise<void> {
  await desk.page.locator('[data-testid="planning-view"][data-state="ready"]').waitFor({ timeout: 15_000 });
}

/** The figures of a table row (`data-field` → `data-value`). */
function rowFigures(desk: DashboardPage, selector: string): Promise<Record<string, string>> {
  return desk.page.locator(selector).evaluate((row) => {
    const out: Record<string, string> = {};
    for (const cell of Array.from((row as unknown as { querySelectorAll(s: string): ArrayLike<{ getAttribute(a: string): string | null; textContent: string | null }> }).querySelectorAll('td[data-field]'))) {
      out[cell.getAttribute('data-field') ?? ''] = cell.getAttribute('data-value') ?? cell.textContent ?? '';
    }
    return out;
  });
}

/** Non-transparent pixels of a chart's canvas. */
function canvasPaint(desk: DashboardPage, testid: string): Promise<number> {
  return desk.page
    .getByTestId(testid)
    .locator('canvas')
    .first()
    .evaluate((node) => {
      const canvas = node as unknown as { width: number; height: number; getContext(type: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      let painted = 0;
      for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) painted++;
      return painted;
    });
}

const hexCount = (desk: DashboardPage): Promise<number> => desk.page.locator('[data-testid="planning-demand-map"] [data-testid="demand-hex"]').count();

async function chooseDemand(desk: DashboardPage, kind: 'long' | 'short', res: 7 | 8): Promise<void> {
  await desk.page.getByTestId('planning-demand-kind').selectOption(kind);
  await desk.page.getByTestId('planning-demand-res').selectOption(String(res));
  await desk.page.locator(`[data-testid="planning-demand-map"][data-query="${kind}/${res}"]`).waitFor({ timeout: 10_000 });
  await desk.page.locator('[data-testid="planning-demand"][data-state="ready"]').waitFor({ timeout: 10_000 });
}

beforeAll(async () => {
  ensureDashboardBuilt();
  config = readApiConfig({
    DGT_API_KEYS: JSON.stringify([
      { id: 'bureau-desk', role: 'bureau', sha256: hashApiKey(keys.bureau) },
      { id: 'planner-desk', role: 'planner', sha256: hashApiKey(keys.planner) },
      { id: 'c8-desk', role: 'carrier:C8', sha256: hashApiKey(keys.carrier) },
    ]),
    API_LOG_LEVEL: 'silent',
    API_ALERTS_GROUP_ID: 'planning-e2e',
    API_COUNTIES_FILE: new URL('../../seeds/taizhou/counties.json', import.meta.url).pathname,
  });
  const record = events();
  const { fold } = runFold(record);
  const planning = fold.rows();
  want = expected(Lib.parsePlanningRows(planning));
  const zones = record.filter((e): e is EventOf<'ZoneDesignated'> => e.type === 'ZoneDesignated').map(zoneViewOf);
  store = openMemoryEventStore();
  // The register names the carriers (GET /v1/carriers reads it from the event store).
  for (const c of carrierViews) await store.append(carrierStream(c.carrierId), [{ eventId: `register-${c.carrierId}`, type: 'CarrierRegistered', occurredAt: '2026-01-05T00:00:00.000Z', data: { carrierId: c.carrierId, name: c.name } }]);
  readModels = createMemoryReadModelStore();
  await readModels.commit({ checkpoint: 'planning-1', vehicles: [], violations: [], consignments: [], carriers: carrierViews, zones, withdrawnZoneIds: [], engineState: new Map(), planning });
  dataWords = latinWordsOf([...zones.flatMap((z) => [z.zoneId, z.name]), ...carrierViews.flatMap((c) => [c.carrierId, c.name])]);
  app = await buildApiApp({ config, store, readModels, defaultMetrics: false });
  baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
}, 180_000);

afterEach(async () => {
  // A refused call (403), a CSP refusal or a script error is a console error: none may appear.
  expect(await closePages(pages), 'page errors and console errors').toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await store?.close();
  await readModels?.close();
});

describe('planning view in Chromium', () => {
  it('keeps the desk’s view types the planning library’s tables', () => {
    expect(sameShapes).toEqual([true, true, true, true]);
  });

  it('shows the lots, the demand map with its candidates and the segments with the scenario’s numbers, and saves a CSV', async () => {
    const desk = await openPlanning(keys.bureau);
    const page = desk.page;

    // Lots: V1 laden 08:00–09:30 and V2 empty 08:30–09:00 in a lot for one vehicle.
    const [lot] = want.lots;
    expect(lot).toMatchObject({ lotId: 'lot-A', capacity: 1, peak: 2, visits: 2, meanDwellMin: 60 });
    const lotRow = await rowFigures(desk, '[data-testid="planning-lots-table"] tr[data-lot-id="lot-A"]');
    expect(lotRow).toEqual({
      capacity: '1',
      laden: String(lot!.current.laden),
      empty: String(lot!.current.empty),
      total: String(lot!.current.total),
      utilisation: String(lot!.utilisation),
      peak: '2',
      mean: String(lot!.meanVehicles),
      hoursAtCapacity: String(lot!.hoursAtOrOverCapacity),
      visits: '2',
      meanDwell: '60',
    });
    expect(await page.locator('[data-testid="planning-lots-table"] tr[data-lot-id="lot-A"] td').first().innerText()).toBe('甲停车场');
    expect(await page.getByTestId('planning-lots').getAttribute('data-lot-id')).toBe('lot-A');
    expect(await canvasPaint(desk, 'planning-lot-hours-chart')).toBeGreaterThan(1000);
    expect(await canvasPaint(desk, 'planning-lot-dwell-chart')).toBeGreaterThan(500);
    const asOf = (await apiGet<Views.PlanningLotsView>('/v1/planning/lots')).body.asOf;
    expect(await page.getByTestId('planning-as-of').innerText()).toContain(new Date(Date.parse(asOf ?? '') + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' '));

    // Demand: one hexagon per cell the API answers, the library's cells, at both resolutions.
    const long8 = (await apiGet<Views.PlanningDemandView>('/v1/planning/demand?kind=long&res=8')).body;
    expect(long8.cells.map((c) => c.cell)).toEqual(want.cells('long', 8).map((c) => c.cell));
    expect(await page.getByTestId('planning-demand-map').getAttribute('data-query')).toBe('long/8');
    expect(await hexCount(desk)).toBe(long8.cells.length);
    expect(long8.cells.length).toBe(4);
    const hexCells = await page.locator('[data-testid="demand-hex"]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-cell')).sort());
    expect(hexCells).toEqual(long8.cells.map((c) => c.cell).sort());
    // The busiest hexagon is painted the darkest, the lot is drawn beside them.
    const busiest = long8.cells[0]!;
    expect(await page.locator(`[data-testid="demand-hex"][data-cell="${busiest.cell}"]`).getAttribute('class')).toContain('demand-level-4');
    expect(await page.locator('[data-testid="planning-demand-map"] [data-testid="zone-parking-lot"], [data-testid="planning-demand-map"] [data-testid="zone-pin"]').count()).toBeGreaterThanOrEqual(1);
    expect(await page.getByTestId('planning-demand-legend').innerText()).toContain('Vehicle-hours per hexagon');

    await chooseDemand(desk, 'long', 7);
    const long7 = (await apiGet<Views.PlanningDemandView>('/v1/planning/demand?kind=long&res=7')).body;
    expect(long7.cells.length).toBe(want.cells('long', 7).length);
    expect(long7.cells.length).toBeLessThan(long8.cells.length);
    expect(await hexCount(desk)).toBe(long7.cells.length);
    await chooseDemand(desk, 'short', 8);
    expect(await hexCount(desk)).toBe(want.cells('short', 8).length);
    await chooseDemand(desk, 'long', 8);
    expect(await hexCount(desk)).toBe(long8.cells.length);

    // Candidates: ranked areas far from the lot, as markers and as rows.
    const candidates = (await apiGet<Views.PlanningCandidatesView>('/v1/planning/candidates?res=8&minDistanceM=2000&limit=20')).body.candidates;
    expect(candidates.map((c) => c.vehicleHoursPerWeek)).toEqual(want.candidates(8).map((c) => c.vehicleHoursPerWeek));
    expect(candidates.length).toBe(3);
    const candidateRows = page.locator('[data-testid="planning-candidates-table"] tbody tr');
    expect(await candidateRows.count()).toBe(candidates.length);
    expect(await page.locator('[data-testid="candidate-marker"]').count()).toBe(candidates.length);
    for (const c of candidates) {
      const row = await rowFigures(desk, `[data-testid="planning-candidates-table"] tr[data-rank="${c.rank}"]`);
      expect(row).toMatchObject({ perWeek: String(c.vehicleHoursPerWeek), stops: String(c.stops), vehicles: String(c.vehicles), distance: String(c.nearestLot?.distanceM ?? '') });
    }
    expect(await candidateRows.first().innerText()).toContain('甲停车场');
    await page.locator('[data-testid="planning-candidates-table"] tr[data-rank="2"] button').click();
    expect(await page.locator('[data-testid="planning-candidates-table"] tr[data-rank="2"]').getAttribute('class')).toContain('row-selected');

    // Segments: V8 at 60 km/h and V13 at 80 km/h laden through it; V9 empty.
    const [segment] = want.segments;
    expect(segment).toMatchObject({ segmentId: 'seg-1', ladenPassages: 2, emptyPassages: 1, speed: { p50: 60, p85: 80 } });
    const segmentRow = await rowFigures(desk, '[data-testid="planning-segments-table"] tr[data-segment-id="seg-1"]');
    expect(segmentRow).toMatchObject({
      laden: '2',
      empty: '1',
      perDay: String(segment!.ladenPerDay),
      p50: '60',
      p85: '80',
      p95: String(segment!.speed!.p95),
      bannedHourEntries: String(segment!.bannedHourEntries),
    });
    expect(segmentRow.classes).toBe('class 2.1 (1), class 3 (1)');
    // Names from the register on a bureau desk.
    expect(segmentRow.carriers).toBe('路桥危险品运输有限公司 (1), 椒江危货运输有限公司 (1)');
    expect(await canvasPaint(desk, 'planning-segment-hours-chart')).toBeGreaterThan(500);
    expect(await canvasPaint(desk, 'planning-segment-weeks-chart')).toBeGreaterThan(500);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('planning-file-segments').click()]);
    expect(download.suggestedFilename()).toBe('dgt-planning-segments.csv');
    const bytes = readFileSync((await download.path()) ?? '');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toBe('segmentId,name,ladenPassages,emptyPassages,ladenPerDay,speedFixes,p50Kmh,p85Kmh,p95Kmh,bannedHourEntries,ladenBannedEntries,hazardClasses,carriers,withdrawn');
    expect(lines[1]).toMatch(/^seg-1,事故多发路段一,2,1,/);

    const [geojson] = await Promise.all([page.waitForEvent('download'), page.getByTestId('planning-file-demand-geojson').click()]);
    expect(geojson.suggestedFilename()).toBe('dgt-planning-demand-long-r8.geojson');
    expect((JSON.parse(readFileSync((await geojson.path()) ?? '', 'utf8')) as { features: unknown[] }).features).toHaveLength(long8.cells.length);

    // The view from its top, as it opens.
    await page.getByTestId('planning-view').evaluate((view) => view.scrollTo(0, 0));
    expect(await desk.screenshot('planning-en.png')).toBe(join(artifactsDir, 'planning-en.png'));
  });

  it('speaks Chinese to a fresh desk, with no English left but data and file formats', async () => {
    const desk = await openPlanning(keys.bureau, 'zh-CN');
    const page = desk.page;
    expect(await page.getByTestId('nav-planning').innerText()).toBe('规划');
    expect(await page.locator('#planning-title').innerText()).toBe('规划分析');
    expect(await page.getByTestId('planning-lots').locator('h2').innerText()).toBe('停车场占用');
    expect(await page.getByTestId('planning-demand').locator('h2').innerText()).toBe('停车需求热力图');
    expect(await page.getByTestId('planning-segments').locator('h2').innerText()).toBe('事故多发路段暴露度');
    expect(await page.getByTestId('planning-demand-kind').locator('option:checked').innerText()).toBe('长时间停车（≥ 10 分钟）');
    const segmentRow = await rowFigures(desk, '[data-testid="planning-segments-table"] tr[data-segment-id="seg-1"]');
    expect(segmentRow.classes).toBe('2.1 类（1）、3 类（1）');
    expect(await page.getByTestId('planning-demand-status').innerText()).toMatch(/^4 个网格 · 停车 \d+ 次 · /);
    expect(await untranslatedWords(page, '#app', dataWords)).toEqual([]);
    expect(await desk.screenshot('planning-zh-CN.png')).toBe(join(artifactsDir, 'planning-zh-CN.png'));
  });

  it('gives a planner’s key the planning view alone: its landing view, no fleet, alerts or register asked, carriers by id', async () => {
    const desk = await openDesk(keys.planner);
    const page = desk.page;
    const asked: string[] = [];
    const refused: string[] = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname.startsWith('/v1/')) asked.push(url.pathname);
    });
    page.on('response', (r) => {
      if (r.status() >= 400) refused.push(`${r.status()} ${r.url()}`);
    });
    await desk.login(keys.planner);
    await planningReady(desk);
    expect(await desk.roleScope()).toBe('Planning · aggregates only');
    expect(await page.locator('.desk-nav button').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-testid')))).toEqual(['nav-planning']);
    expect(await page.getByTestId('nav-planning').getAttribute('aria-current')).toBe('true');
    expect(await page.getByTestId('map').isVisible()).toBe(false);
    expect(await page.getByTestId('plate-search').isVisible()).toBe(false);
    expect(await page.getByTestId('vehicle-count').isVisible()).toBe(false);
    expect(await hexCount(desk)).toBe(want.cells('long', 8).length);
    // Carriers by id: a planner reads no register.
    expect((await rowFigures(desk, '[data-testid="planning-segments-table"] tr[data-segment-id="seg-1"]')).carriers).toBe('C13 (1), C8 (1)');
    // A moment for anything polled or streamed to show itself.
    await page.waitForTimeout(1500);
    expect(refused).toEqual([]);
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.filter((p) => !p.startsWith('/v1/planning/') && p !== '/v1/zones')).toEqual([]);
  });

  it('shows a carrier’s desk no planning view, and the API refuses it the figures', async () => {
    const desk = await openDesk(keys.carrier);
    await desk.login(keys.carrier);
    expect(await desk.page.getByTestId('nav-statistics').isVisible()).toBe(true);
    expect(await desk.page.getByTestId('nav-planning').count()).toBe(0);
    expect(await desk.page.getByTestId('planning-view').count()).toBe(0);
    expect((await apiGet('/v1/planning/lots', keys.carrier)).status).toBe(403);
  });
});
