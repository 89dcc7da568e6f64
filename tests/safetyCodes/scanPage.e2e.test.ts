import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildApiApp, type ApiConfig } from '@dgt/api';
import type { DgtEvent } from '@dgt/events';
import { openMemoryEventStore, streamFor } from '@dgt/eventstore';
import { generateApiKey, hashApiKey, type ServiceApp } from '@dgt/http';
import {
  createMemoryReadModelStore,
  defaultComplianceRules,
  type FleetVehicle,
} from '@dgt/readmodels';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactsDir, launchChromium } from '../dashboard/dashboardPage.ts';

/*
 * The roadside scan page (一企一品一码) in Chromium at a phone's viewport (390×844): readable
 * without zooming or scrolling sideways, styled under its own CSP (no violation), the call button
 * on the first screen, and nothing private on it. Screenshots: tests/artifacts/safety-code-scan*.png.
 */

const bureau = generateApiKey();
const PHONE = { width: 390, height: 844 };
let app: ServiceApp;
let api: string;
let browser: Browser;
let context: BrowserContext;
const problems: string[] = [];

const product = (firmId: string, productId: string, data: Record<string, unknown>): DgtEvent =>
  ({
    eventId: `prod-${firmId}-${productId}`,
    type: 'ProductRegistered',
    occurredAt: '2026-03-01T08:00:00+08:00',
    data: { firmId, productId, ...data, contactMobile: '13900001111' },
  }) as unknown as DgtEvent;

beforeAll(async () => {
  const store = openMemoryEventStore();
  const events = [
    product('CN-jiaojiang-1', 'un1230', {
      unNumber: '1230',
      properShippingName: '甲醇',
      hazardClass: '3',
      packingGroup: 'II',
      emergencyMeasures:
        '【通用示例，非企业安全技术说明书】易燃液体。消除火源，禁止吸烟和明火；用抗溶性泡沫、干粉或二氧化碳灭火；泄漏时筑堤收容，防止流入下水道和水体。',
      emergencyPhone: '0576-88000000',
      sdsUrl: 'https://example.com/sds/methanol.pdf',
    }),
    product('CN-jiaojiang-1', 'un1789', {
      unNumber: '1789',
      properShippingName: '盐酸',
      hazardClass: '8',
      packingGroup: 'II',
      emergencyMeasures:
        '【通用示例，非企业安全技术说明书】腐蚀性物质。避免接触皮肤和眼睛；泄漏时用砂土或中和剂收容。',
      emergencyPhone: '0576-88000000',
    }),
  ];
  for (const e of events) await store.append(streamFor(e), [e]);
  const readModels = createMemoryReadModelStore();
  const loaded = {
    vehicleId: 'V7',
    plateNo: '浙J·77777',
    carrierId: 'C1',
    lastFix: {
      eventId: 'fix-V7',
      occurredAt: '2026-03-05T09:54:00Z',
      lon: 121.4321,
      lat: 28.6789,
      speedKmh: 0,
      headingDeg: null,
    },
    laden: true,
    waybillNo: 'WB-SECRET-7',
    goods: [
      { unNumber: '1230', name: '甲醇', hazardClass: '3', quantityKg: 20_000 },
      { unNumber: '1789', name: '盐酸', hazardClass: '8', quantityKg: 5_000 },
    ],
    zones: [],
    stoppedSince: null,
    openViolations: [
      { violationId: 'X-SECRET', kind: 'illegal-parking', startedAt: '2026-03-05T09:00:00Z' },
    ],
    driverName: 'Zhang San',
  };
  await readModels.commit({
    checkpoint: '1',
    vehicles: [loaded as FleetVehicle],
    violations: [],
    consignments: [
      {
        waybillNo: 'WB-SECRET-7',
        status: 'assigned',
        consignorId: 'CN-jiaojiang-1',
        carrierId: 'C1',
        vehicleId: 'V7',
        plateNo: '浙J·77777',
        driverId: 'D-SECRET',
        escortId: 'E-SECRET',
        goods: loaded.goods,
        origin: { name: 'A', lon: 121.4, lat: 28.6 },
        destination: { name: 'B', lon: 121.1, lat: 28.8 },
        timeline: {
          declared: null,
          assigned: null,
          loaded: null,
          unloaded: null,
          closed: null,
          cancelled: null,
        },
      },
    ],
    carriers: [],
    zones: [],
    withdrawnZoneIds: [],
    engineState: new Map(),
  });
  const config: ApiConfig = {
    port: 0,
    host: '127.0.0.1',
    apiKeys: [{ id: 'bureau-1', role: 'bureau', sha256: hashApiKey(bureau) }],
    eventStore: { kind: 'memory' },
    readModels: { kind: 'memory' },
    bus: { brokers: [], clientId: 'dgt-test', topics: {} },
    auditReportsKept: 10,
    audits: { running: 1, queued: 4 },
    rateLimitPerMinute: 100_000,
    alerts: { groupId: 'api-test', ringSize: 100, clientQueueMax: 100, heartbeatMs: 15_000 },
    fleetCacheFreshMs: 0,
    complianceRules: defaultComplianceRules,
    dashboardTileUrl: null,
    logLevel: 'silent',
  };
  app = await buildApiApp({
    config,
    store,
    readModels,
    defaultMetrics: false,
    safetyCodeSecrets: { current: 1, secrets: new Map([[1, new Uint8Array(randomBytes(32))]]) },
  });
  api = await app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
  context = await browser.newContext({
    viewport: PHONE,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
  });
  mkdirSync(artifactsDir, { recursive: true });
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await app?.close();
});

async function codePath(path: string): Promise<string> {
  const res = await fetch(`${api}${path}`, { headers: { 'x-api-key': bureau } });
  return ((await res.json()) as { path: string }).path;
}

async function open(path: string): Promise<{ page: Page; status: number }> {
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  const res = await page.goto(`${api}${path}`);
  return { page, status: res?.status() ?? 0 };
}

const noSidewaysScroll = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describe('the scan page on a phone', () => {
  it('shows a product’s name, UN number, class label, measures and a call button on the first screen, styled, without CSP violations', async () => {
    const { page, status } = await open(await codePath('/v1/products/CN-jiaojiang-1/un1230/code'));
    expect(status).toBe(200);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect(await page.locator('.name').textContent()).toBe('甲醇');
    expect(await page.locator('.un').textContent()).toBe('UN 1230');
    expect(await page.locator('.cls').textContent()).toBe('第 3 类 易燃液体 · 包装类别 II');
    const diamond = await page.locator('svg.diamond').boundingBox();
    expect(diamond?.width).toBeGreaterThanOrEqual(80);
    const call = page.locator('a.call');
    expect(await call.getAttribute('href')).toBe('tel:057688000000');
    const box = await call.boundingBox();
    expect(box !== null && box.y + box.height <= PHONE.height).toBe(true);
    // The inline style applies only if the CSP's hash matches it: the header is red, not default white.
    expect(await page.locator('header').evaluate((h) => getComputedStyle(h).backgroundColor)).toBe(
      'rgb(176, 0, 0)',
    );
    expect(await noSidewaysScroll(page)).toBe(true);
    expect(await page.locator('body').innerText()).not.toContain('13900001111');
    await page.screenshot({ path: join(artifactsDir, 'safety-code-scan.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows what a loaded vehicle carries, each with its label and measures, and nothing of the vehicle itself', async () => {
    const { page, status } = await open(await codePath('/v1/vehicles/V7/code'));
    expect(status).toBe(200);
    expect(await page.locator('.status').textContent()).toBe('本车当前装载以下危险货物：');
    expect(await page.locator('.name').allTextContents()).toEqual(['甲醇', '盐酸']);
    expect(await page.locator('svg.diamond').count()).toBe(2);
    const html = await page.content();
    for (const secret of [
      'WB-SECRET-7',
      '浙J·77777',
      '121.4321',
      '28.6789',
      'X-SECRET',
      'D-SECRET',
      'Zhang San',
      'V7',
      '13900001111',
    ])
      expect(html, secret).not.toContain(secret);
    expect(await noSidewaysScroll(page)).toBe(true);
    await page.screenshot({
      path: join(artifactsDir, 'safety-code-scan-vehicle.png'),
      fullPage: true,
    });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('says a forged code is unknown (404), in Chinese', async () => {
    const { page, status } = await open('/s/AQEBAAEEZm9yZ2VkAAAAAAAAAAAAAAAAAAAAAA');
    expect(status).toBe(404);
    expect(await page.locator('.gone').textContent()).toContain('未找到此安全码');
    await page.close();
  });
});
