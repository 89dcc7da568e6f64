import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApiApp, readApiConfig, type ApiConfig } from '@dgt/api';
import { openMemoryEventStore, type EventStore } from '@dgt/eventstore';
import { generateApiKey, hashApiKey, type ServiceApp } from '@dgt/http';
import { createMemoryReadModelStore, type ReadModelStore } from '@dgt/readmodels';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Language } from '../../services/api/dashboard/src/i18n/language.ts';
import { artifactsDir, DashboardPage, ensureDashboardBuilt, launchChromium, closePages } from './dashboardPage.ts';
import { carriers, seedDesk, type DeskFixture } from './deskFixture.ts';

/*
 * The statistics view (统计) in Chromium over the desk fixture, with Taizhou's county boundaries as
 * npm start has them: the five charts drawn on canvas, each table's numbers equal to what the
 * fixture seeded, a CSV export saved, a carrier's key seeing its own, screenshots in both languages.
 */

const keys = { bureau: generateApiKey(), acme: generateApiKey() };

let browser: Browser;
let app: ServiceApp;
let store: EventStore;
let readModels: ReadModelStore;
let config: ApiConfig;
let baseUrl: string;
let fixture: DeskFixture;
const pages: DashboardPage[] = [];

const charts = ['daily', 'counties', 'carriers', 'hours', 'segments'] as const;

/** The Beijing date and hour of an instant, as the page must count it. */
function beijing(iso: string): { day: string; hour: number } {
  const b = new Date(Date.parse(iso) + 8 * 3_600_000);
  return { day: b.toISOString().slice(0, 10), hour: b.getUTCHours() };
}

function tally<K>(keysOf: readonly K[]): Map<K, number> {
  const out = new Map<K, number>();
  for (const k of keysOf) out.set(k, (out.get(k) ?? 0) + 1);
  return out;
}

async function openStatistics(apiKey: string, language: Language = 'en'): Promise<DashboardPage> {
  const desk = await DashboardPage.open(browser, baseUrl, 'Asia/Shanghai', language);
  pages.push(desk);
  await desk.login(apiKey);
  await desk.page.getByTestId('nav-statistics').click();
  await desk.page.locator('[data-testid="statistics-view"][data-state="ready"]').waitFor({ timeout: 15_000 });
  return desk;
}

/** The count cells of a table, keyed by the row attribute and, for wide tables, a column attribute. */
function counts(desk: DashboardPage, table: string, rowAttr: string, cellAttr?: string): Promise<Record<string, number>> {
  return desk.page.getByTestId(`statistics-table-${table}`).evaluate(
    (node, [rowAttr, cellAttr]) => {
      const out: Record<string, number> = {};
      const root = node as unknown as { querySelectorAll(s: string): ArrayLike<{ getAttribute(a: string): string | null; closest(s: string): { getAttribute(a: string): string | null } | null }> };
      for (const cell of Array.from(root.querySelectorAll('td[data-count]'))) {
        const row = cell.closest('tr')?.getAttribute(rowAttr ?? '') ?? '';
        const col = cellAttr === undefined ? '' : `/${cell.getAttribute(cellAttr) ?? ''}`;
        out[`${row}${col}`.replace(/^\//, '')] = Number(cell.getAttribute('data-count'));
      }
      return out;
    },
    [rowAttr, cellAttr] as const,
  );
}

/** How much of a chart's canvas is painted (non-transparent pixels), and its size. */
function canvasPaint(desk: DashboardPage, chart: string): Promise<{ width: number; height: number; painted: number }> {
  return desk.page
    .getByTestId(`statistics-chart-${chart}`)
    .locator('canvas')
    .first()
    .evaluate((node) => {
      const canvas = node as unknown as { width: number; height: number; getContext(type: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      let painted = 0;
      for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) painted++;
      return { width: canvas.width, height: canvas.height, painted };
    });
}

/** The whole view in one picture: a viewport tall enough for every chart (the charts redraw at the new size). */
async function screenshotWhole(desk: DashboardPage, name: string): Promise<string> {
  await desk.page.setViewportSize({ width: 1440, height: 2200 });
  await desk.page.waitForTimeout(300);
  return desk.screenshot(name);
}

beforeAll(async () => {
  ensureDashboardBuilt();
  config = readApiConfig({
    DGT_API_KEYS: JSON.stringify([
      { id: 'bureau-desk', role: 'bureau', sha256: hashApiKey(keys.bureau) },
      { id: 'acme-desk', role: `carrier:${carriers.acme}`, sha256: hashApiKey(keys.acme) },
    ]),
    API_LOG_LEVEL: 'silent',
    API_ALERTS_GROUP_ID: 'statistics-e2e',
    API_COUNTIES_FILE: new URL('../../seeds/taizhou/counties.json', import.meta.url).pathname,
  });
  store = openMemoryEventStore();
  readModels = createMemoryReadModelStore();
  fixture = await seedDesk(readModels, store, Date.now());
  app = await buildApiApp({ config, store, readModels, defaultMetrics: false });
  baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
}, 180_000);

afterEach(async () => {
  // A CSP refusal (an inline style or script) is a console error: none may appear.
  expect(await closePages(pages), 'page errors and console errors').toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await store?.close();
  await readModels?.close();
});

describe('statistics view in Chromium', () => {
  it('draws the five charts and tables with the numbers the fixture seeded, and exports a table as CSV', async () => {
    const desk = await openStatistics(keys.bureau);
    for (const chart of charts) {
      const paint = await canvasPaint(desk, chart);
      expect(paint.width, chart).toBeGreaterThan(200);
      expect(paint.height, chart).toBeGreaterThan(100);
      expect(paint.painted, chart).toBeGreaterThan(1000);
    }

    const violations = fixture.violations;
    const daily = await counts(desk, 'daily', 'data-day', 'data-kind');
    const expectedDaily = tally(violations.map((v) => `${beijing(v.startedAt).day}/${v.kind}`));
    for (const [key, n] of expectedDaily) expect(daily[key], key).toBe(n);
    const nonZeroDaily = Object.entries(daily).filter(([key, n]) => n > 0 && !key.endsWith('/total'));
    expect(nonZeroDaily.length).toBe(expectedDaily.size);
    expect(Object.keys(daily).filter((k) => k.endsWith('/total')).length).toBeGreaterThanOrEqual(30);

    // Parking and the restricted entry in Jiaojiang (121.41, 28.64), the overspeed in Luqiao (121.31, 28.605).
    expect(await counts(desk, 'counties', 'data-county')).toMatchObject({ 331002: 2, 331004: 1, 331003: 0, outside: 0, unlocated: 0 });
    expect(await counts(desk, 'carriers', 'data-carrier')).toEqual(Object.fromEntries(tally(violations.map((v) => v.carrierId ?? ''))));
    expect(await desk.page.getByTestId('statistics-table-carriers').locator('tbody tr').first().innerText()).toContain('Beta Chemical Transport');

    const hours = await counts(desk, 'hours', '', 'data-hour');
    const expectedHours = tally(violations.map((v) => beijing(v.startedAt).hour));
    expect(Object.keys(hours)).toHaveLength(24);
    for (let h = 0; h < 24; h++) expect(hours[String(h)], `hour ${h}`).toBe(expectedHours.get(h) ?? 0);

    const laden = fixture.advisories.filter((a) => a.laden && a.kind === 'segment-passage');
    const segments = await counts(desk, 'segments', 'data-zone-id', 'data-hour');
    for (const a of laden) expect(segments[`${a.zoneId}/${beijing(a.startedAt).hour}`]).toBe(1);
    expect(segments[`${laden[0]!.zoneId}/total`]).toBe(laden.length);
    expect(await desk.page.getByTestId('statistics-status').innerText()).toContain(`${violations.length} violations · ${laden.length} laden passage of an accident-prone segment`);

    const [download] = await Promise.all([desk.page.waitForEvent('download'), desk.page.getByTestId('statistics-export-carriers').click()]);
    expect(download.suggestedFilename()).toMatch(/^dgt-statistics-carriers-\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/);
    const bytes = readFileSync((await download.path()) ?? '');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8').slice(1).split('\r\n')).toEqual(['rank,carrierId,carrierName,violations', '1,BETA,Beta Chemical Transport,2', '2,ACME,Acme Hazmat Logistics,1', '']);

    expect(await screenshotWhole(desk, 'dashboard-statistics.png')).toBe(join(artifactsDir, 'dashboard-statistics.png'));
  });

  it('gives a carrier its own numbers only', async () => {
    const desk = await openStatistics(keys.acme);
    expect(await desk.page.locator('#statistics-title').innerText()).toBe('My statistics');
    expect(await counts(desk, 'carriers', 'data-carrier')).toEqual({ [carriers.acme]: 1 });
    expect(await counts(desk, 'counties', 'data-county')).toMatchObject({ 331002: 0, 331004: 1 });
    expect(await desk.page.getByTestId('statistics-status').innerText()).toContain('1 violation · 1 laden passage of an accident-prone segment');
  });

  it('refuses an unreadable time, a reversed and a too long window without asking the API, and keeps the numbers shown', async () => {
    const desk = await openStatistics(keys.bureau);
    const status = desk.page.getByTestId('statistics-status');
    let requests = 0;
    desk.page.on('request', (r) => {
      if (r.url().includes('/v1/statistics')) requests++;
    });
    await desk.page.getByTestId('statistics-from').fill('last spring');
    await desk.page.getByTestId('statistics-show').click();
    expect(await status.innerText()).toMatch(/^From \(inclusive\): write /);
    await desk.page.getByTestId('statistics-from').fill('2022-01-02');
    await desk.page.getByTestId('statistics-to').fill('2022-01-01');
    await desk.page.getByTestId('statistics-show').click();
    expect(await status.innerText()).toBe('From must be before To.');
    await desk.page.getByTestId('statistics-from').fill('2020-01-01');
    await desk.page.getByTestId('statistics-show').click();
    expect(await status.innerText()).toBe('The window may span at most 366 days: choose a shorter one.');
    expect(requests).toBe(0);
    expect(await desk.page.getByTestId('statistics-view').getAttribute('data-state')).toBe('ready');
    expect(await counts(desk, 'carriers', 'data-carrier')).toEqual({ [carriers.beta]: 2, [carriers.acme]: 1 });
  });

  it('speaks Chinese in a fresh browser: nav, titles, tables and export', async () => {
    const desk = await openStatistics(keys.bureau, 'zh-CN');
    expect(await desk.page.getByTestId('nav-statistics').innerText()).toBe('统计');
    expect(await desk.page.locator('#statistics-title').innerText()).toBe('统计分析');
    expect(await desk.page.getByTestId('statistics-export-daily').innerText()).toBe('导出 CSV');
    expect(await desk.page.getByTestId('statistics-table-counties').innerText()).toContain('椒江区');
    expect(await desk.page.getByTestId('statistics-status').innerText()).toContain('违法违规 3 起');
    for (const chart of charts) expect((await canvasPaint(desk, chart)).painted, chart).toBeGreaterThan(1000);
    expect(await screenshotWhole(desk, 'dashboard-statistics.zh-CN.png')).toBe(join(artifactsDir, 'dashboard-statistics.zh-CN.png'));
  });
});
