import { createInProcessBus, type Bus } from '@dgt/bus';
import { buildApiApp, readApiConfig } from '@dgt/api';
import { openMemoryEventStore, type EventStore } from '@dgt/eventstore';
import { generateApiKey, hashApiKey, type ServiceApp } from '@dgt/http';
import { createMemoryReadModelStore, type ReadModelStore } from '@dgt/readmodels';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DashboardPage, ensureDashboardBuilt, launchChromium, closePages } from './dashboardPage.ts';
import { deskFixture, seedDesk } from './deskFixture.ts';
import { latinWordsOf, untranslatedWords } from './untranslatedText.ts';

/* The desk speaks Chinese to a fresh browser, English when switched, and remembers the choice. */

const keys = { bureau: generateApiKey() };

let browser: Browser;
let app: ServiceApp;
let bus: Bus;
let store: EventStore;
let readModels: ReadModelStore;
let baseUrl: string;
/** Latin words of the seeded data (plates, ids, zone, goods and place names): data stays data. */
let dataWords: Set<string>;
const pages: DashboardPage[] = [];

beforeAll(async () => {
  ensureDashboardBuilt();
  const config = readApiConfig({
    DGT_API_KEYS: JSON.stringify([{ id: 'bureau-desk', role: 'bureau', sha256: hashApiKey(keys.bureau) }]),
    API_LOG_LEVEL: 'silent',
    API_ALERTS_GROUP_ID: 'desk-language-e2e',
  });
  store = openMemoryEventStore();
  readModels = createMemoryReadModelStore();
  bus = createInProcessBus();
  const nowMs = Date.now();
  const seeded = await seedDesk(readModels, store, nowMs);
  const { consignments, carrierViews } = deskFixture(nowMs);
  dataWords = latinWordsOf([
    ...seeded.zones.flatMap((z) => [z.zoneId, z.name]),
    ...seeded.vehicles.flatMap((v) => [v.vehicleId, v.plateNo, v.carrierId, v.waybillNo, ...v.goods.map((g) => g.name), ...v.zones.map((z) => z.name)]),
    ...seeded.violations.flatMap((v) => [v.violationId, v.zoneName, v.waybillNo]),
    ...consignments.flatMap((c) => [c.waybillNo, c.origin.name, c.destination.name]),
    ...carrierViews.flatMap((c) => [c.carrierId, c.name]),
  ]);
  app = await buildApiApp({ config, store, readModels, bus, defaultMetrics: false });
  baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
}, 180_000);

afterEach(async () => {
  expect(await closePages(pages), 'page errors and console errors').toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await bus?.close();
  await store?.close();
  await readModels?.close();
});

async function openFresh(): Promise<DashboardPage> {
  const desk = await DashboardPage.open(browser, baseUrl, undefined, null);
  pages.push(desk);
  return desk;
}

const htmlLang = (desk: DashboardPage): Promise<string | null> => desk.page.locator('html').getAttribute('lang');

describe('the desk in Chinese by default, English switchable', () => {
  it('shows a fresh browser the login, header, legend, violations, a vehicle and the cases in Chinese, with no English left but data and units', async () => {
    const desk = await openFresh();
    await desk.page.getByTestId('login-view').waitFor();
    expect(await htmlLang(desk)).toBe('zh-CN');
    expect(await desk.page.title()).toBe('台州市危险货物道路运输监控台');
    expect(await desk.page.locator('#login-title').innerText()).toBe('台州市危险货物道路运输监控台');
    expect(await desk.page.getByTestId('login-submit').innerText()).toBe('进入监控台');
    expect(await untranslatedWords(desk.page, '#app', dataWords)).toEqual([]);
    expect(await desk.screenshot('dashboard-zh-CN-login.png')).toMatch(/dashboard-zh-CN-login\.png$/);

    await desk.login(keys.bureau);
    await desk.waitForZones();
    await desk.page.getByTestId('violations-info').filter({ hasText: /^第 1 页 · 3 条违规$/ }).waitFor({ timeout: 5_000 });
    await desk.page.locator('[data-testid="stream-status"][data-status="live"]').waitFor({ timeout: 10_000 });
    expect(await desk.roleScope()).toBe('交通运输局 · 全部车队');
    expect(await desk.page.getByTestId('time-zone').innerText()).toBe('时间均为北京时间 (UTC+8)');
    expect(await desk.page.getByTestId('nav-desk').innerText()).toBe('实时监控');
    const legend = await desk.legend();
    expect(legend['legend-restricted-area']).toBe('禁行区（1）');
    expect(legend['legend-parking-lot']).toBe('专用停车场（1）');
    expect(await desk.page.getByTestId('stream-status').innerText()).toBe('实时');
    const overspeed = desk.page.locator('[data-testid="violation-row"][data-violation-id="det-os-V-ACME-1"]');
    expect(await overspeed.innerText()).toMatch(/超速行驶\s+已结束[\s\S]*限速 60 km\/h · 最高 74 km\/h/);
    expect(await untranslatedWords(desk.page, '#app', dataWords)).toEqual([]);
    expect(await desk.screenshot('dashboard-zh-CN.png')).toMatch(/dashboard-zh-CN\.png$/);

    await desk.page.getByTestId('plate-search').fill('A1001');
    await desk.page.getByTestId('plate-search').press('Enter');
    const panel = await desk.vehiclePanelText('V-ACME-1');
    expect(panel).toContain('载货');
    expect(panel).toContain('事故多发路段：G104 Toutuo–Yuanqiao');
    await desk.waitForTrack();
    await desk.page.getByTestId('track-info').filter({ hasText: /^\d+ 个定位点$/ }).waitFor({ timeout: 5_000 });
    expect(await untranslatedWords(desk.page, '#app', dataWords)).toEqual([]);
    expect(await desk.screenshot('dashboard-zh-CN-vehicle.png')).toMatch(/dashboard-zh-CN-vehicle\.png$/);

    await desk.showTab('advisories');
    await desk.page.getByTestId('advisories-info').filter({ hasText: /^第 1 页/ }).waitFor({ timeout: 5_000 });
    expect(await untranslatedWords(desk.page, '#app', dataWords)).toEqual([]);

    await desk.page.getByTestId('nav-cases').click();
    await desk.page.getByTestId('cases-info').filter({ hasText: /^第 1 页 · 0 件案件$/ }).waitFor({ timeout: 5_000 });
    expect(await desk.page.getByTestId('cases-list').locator('h2').innerText()).toBe('案件');
    expect(await untranslatedWords(desk.page, '#app', dataWords)).toEqual([]);
    expect(await desk.screenshot('dashboard-zh-CN-cases.png')).toMatch(/dashboard-zh-CN-cases\.png$/);

    await desk.page.getByTestId('nav-points').click();
    await desk.page.getByTestId('points-page').filter({ hasText: '请选择运输企业。' }).waitFor({ timeout: 5_000 });
    expect(await untranslatedWords(desk.page, '#app', dataWords)).toEqual([]);
  });

  it('switches to English from the header, keeps the session, and stays English after a reload', async () => {
    const desk = await openFresh();
    await desk.login(keys.bureau);
    expect(await desk.page.getByTestId('language-zh-CN').getAttribute('aria-pressed')).toBe('true');
    await desk.page.getByTestId('language-en').click();
    await desk.page.locator('body[data-desk-state="ready"]').waitFor({ timeout: 15_000 });
    expect(await htmlLang(desk)).toBe('en');
    expect(await desk.page.title()).toBe('Taizhou hazmat monitoring desk');
    expect(await desk.roleScope()).toBe('Transport bureau · all fleets');
    expect(await desk.page.getByTestId('language-en').getAttribute('aria-pressed')).toBe('true');
    expect(await desk.violationIds()).toEqual(['det-ip-V-BETA-1', 'det-os-V-ACME-1', 'det-re-V-BETA-1']);

    await desk.page.reload();
    await desk.page.locator('body[data-desk-state="ready"]').waitFor({ timeout: 15_000 });
    expect(await htmlLang(desk)).toBe('en');
    expect(await desk.page.getByTestId('time-zone').innerText()).toBe('Times: Beijing time (UTC+8)');
    expect((await desk.legend())['legend-restricted-area']).toBe('Restricted area (1)');

    // Back to Chinese with the switch: the choice is remembered the same way.
    await desk.page.getByTestId('language-zh-CN').click();
    await desk.page.locator('body[data-desk-state="ready"]').waitFor({ timeout: 15_000 });
    expect(await htmlLang(desk)).toBe('zh-CN');
    expect(await desk.page.evaluate('localStorage.getItem("dgt.language")')).toBe('zh-CN');
  });

  it('takes the language from ?lang= in the URL over the remembered one, on the login page too', async () => {
    const desk = await openFresh();
    await desk.page.goto(`${baseUrl}/?lang=en`);
    await desk.page.getByTestId('login-view').waitFor();
    expect(await htmlLang(desk)).toBe('en');
    expect(await desk.page.getByTestId('login-submit').innerText()).toBe('Open the desk');
    // The login page's own switch: Chinese, and the URL no longer overrides it.
    await desk.page.getByTestId('language-zh-CN').click();
    expect(await desk.page.getByTestId('login-submit').innerText()).toBe('进入监控台');
    expect(new URL(desk.page.url()).searchParams.has('lang')).toBe(false);
    await desk.page.evaluate('localStorage.setItem("dgt.language", "zh-CN")');
    await desk.page.goto(`${baseUrl}/?lang=en`);
    await desk.page.getByTestId('login-view').waitFor();
    expect(await htmlLang(desk)).toBe('en');
  });
});
