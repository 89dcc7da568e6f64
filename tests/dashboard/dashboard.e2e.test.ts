import { createInProcessBus, topicNames, topicSpecs, type Bus } from '@dgt/bus';
import { readFileSync } from 'node:fs';
import { buildApiApp, readApiConfig, type ApiConfig } from '@dgt/api';
import { detectionsStream, openMemoryEventStore, type EventStore } from '@dgt/eventstore';
import { generateApiKey, hashApiKey, type ServiceApp } from '@dgt/http';
import { createMemoryReadModelStore, type AlertView, type ReadModelStore } from '@dgt/readmodels';
import { labelSvg } from '@dgt/safetycodes';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DashboardPage, ensureDashboardBuilt, launchChromium, closePages } from './dashboardPage.ts';
import { alertFor, carriers, seedDesk, type DeskFixture } from './deskFixture.ts';

const keys = { bureau: generateApiKey(), acme: generateApiKey(), ingest: generateApiKey() };

let browser: Browser;
let app: ServiceApp;
let bus: Bus;
let store: EventStore;
let readModels: ReadModelStore;
let config: ApiConfig;
let baseUrl: string;
let fixture: DeskFixture;
const pages: DashboardPage[] = [];

async function openDesk(timezoneId?: string): Promise<DashboardPage> {
  const desk = await DashboardPage.open(browser, baseUrl, timezoneId);
  pages.push(desk);
  return desk;
}

async function publishAlerts(alerts: readonly AlertView[]): Promise<void> {
  const producer = bus.producer();
  await producer.send(
    topicNames(config.bus.topics).alerts,
    alerts.map((a) => ({ key: a.vehicleId, value: JSON.stringify(a), headers: { 'dgt-alert-carrier': a.carrierId ?? '' } })),
  );
}

function vehicle(vehicleId: string) {
  const found = fixture.vehicles.find((v) => v.vehicleId === vehicleId);
  if (found === undefined) throw new Error(`no fixture vehicle ${vehicleId}`);
  return found;
}

beforeAll(async () => {
  ensureDashboardBuilt();
  config = readApiConfig({
    DGT_API_KEYS: JSON.stringify([
      { id: 'bureau-desk', role: 'bureau', sha256: hashApiKey(keys.bureau) },
      { id: 'acme-desk', role: `carrier:${carriers.acme}`, sha256: hashApiKey(keys.acme) },
      { id: 'gateway', role: 'ingest', sha256: hashApiKey(keys.ingest) },
    ]),
    API_LOG_LEVEL: 'silent',
    API_ALERTS_GROUP_ID: 'dashboard-e2e',
    // The map's context, as npm start has it.
    API_COUNTIES_FILE: new URL('../../seeds/taizhou/counties.json', import.meta.url).pathname,
    API_ROADS_FILE: new URL('../../seeds/taizhou/roads.json', import.meta.url).pathname,
    // Safety codes signed with a test key (32 bytes, hex).
    API_SAFETY_CODE_KEY: '5a'.repeat(32),
  });
  store = openMemoryEventStore();
  readModels = createMemoryReadModelStore();
  bus = createInProcessBus();
  // As the stack does before it starts the API: messages to drivers go out on the consignments topic.
  await bus.ensureTopics(topicSpecs(topicNames(config.bus.topics)));
  fixture = await seedDesk(readModels, store, Date.now());
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

describe('monitoring desk in Chromium', () => {
  it('asks for a key, then shows every seeded vehicle, the laden ones marked, and every zone layer', async () => {
    const desk = await openDesk();
    await desk.page.getByTestId('login-view').waitFor();
    await desk.login(keys.bureau);
    await desk.waitForVehicleCount(fixture.vehicles.length);
    expect(await desk.vehicleIdsOnMap()).toEqual(fixture.vehicles.map((v) => v.vehicleId).sort());
    expect(await desk.ladenVehicleIdsOnMap()).toEqual(fixture.vehicles.filter((v) => v.laden).map((v) => v.vehicleId).sort());
    await desk.waitForZones();
    const kinds = (kind: string) => fixture.zones.filter((z) => z.kind === kind).length;
    expect(await desk.zoneLayerCounts()).toEqual({ parkingLots: kinds('parking-lot'), chemicalParks: kinds('chemical-park'), accidentSegments: kinds('accident-segment'), restrictedAreas: kinds('restricted-area') });
    expect(await desk.roleScope()).toMatch(/bureau/i);
    expect(await desk.page.evaluate('sessionStorage.length')).toBe(1);
    expect(desk.page.url()).not.toContain(keys.bureau);
  });

  it('shows an alert published on the bus within seconds, newest event time first (a late one below), and opens its vehicle with goods and track', async () => {
    const desk = await openDesk();
    await desk.login(keys.bureau);
    await desk.waitForStreamLive();
    const first = alertFor(vehicle('V-BETA-1'), 'alert-e2e-1', Date.now() - 1000);
    const second = { ...alertFor(vehicle('V-ACME-1'), 'alert-e2e-2', Date.now(), 'OverspeedStarted'), zoneId: 'seg-g104-toutuo', zoneName: 'G104 Toutuo–Yuanqiao', message: '浙J·A1001 over the 60 km/h limit of G104 Toutuo–Yuanqiao: 71 km/h' };
    const sentAt = Date.now();
    await publishAlerts([first]);
    expect(await desk.waitForAlert(first.alertId, 5_000)).toContain('浙J·B2001');
    await publishAlerts([second]);
    expect(await desk.waitForAlert(second.alertId, 5_000)).toContain('Overspeed');
    expect(Date.now() - sentAt).toBeLessThan(10_000);
    expect(await desk.alertIds('violation')).toEqual([second.alertId, first.alertId]);
    // A late alert (a platform's backlog) arrives last but happened first: it goes below, by event time.
    const late = alertFor(vehicle('V-BETA-1'), 'alert-e2e-late', Date.now() - 60_000);
    await publishAlerts([late]);
    await desk.waitForAlert(late.alertId, 5_000);
    expect(await desk.alertIds('violation')).toEqual([second.alertId, first.alertId, late.alertId]);
    expect(await desk.screenshot('dashboard.png')).toMatch(/tests\/artifacts\/dashboard\.png$/);

    await desk.clickAlert(second.alertId);
    const panel = await desk.vehiclePanelText('V-ACME-1');
    expect(panel).toContain('浙J·A1001');
    expect(panel).toContain('UN1203');
    expect(panel).toContain('WB-ACME-1');
    await desk.waitForTrack();
    expect(await desk.page.getByTestId('track-info').innerText()).toBe(`${fixture.trackFixes} fixes`);
    expect(await desk.screenshot('dashboard-vehicle.png')).toMatch(/dashboard-vehicle\.png$/);
  });

  it('lets a duty officer acknowledge a violation with a note, shows it taken on every desk, counts those not taken, and opens a case from the alert', async () => {
    const a = await openDesk();
    await a.login(keys.bureau);
    await a.waitForStreamLive();
    const b = await openDesk();
    await b.login(keys.bureau);
    await b.waitForStreamLive();
    const parking = fixture.violations.find((v) => v.kind === 'illegal-parking')!;
    // Recorded as the projector records it: only a recorded detection is an alert one may acknowledge.
    await store.append(detectionsStream(parking.vehicleId), [
      { eventId: parking.violationId, type: 'IllegalParkingStarted', occurredAt: parking.startedAt, data: { vehicleId: parking.vehicleId, waybillNo: parking.waybillNo, carrierId: parking.carrierId, lon: parking.lon, lat: parking.lat, stoppedSince: parking.since, evidence: [`fix-${parking.violationId}`] } },
    ]);
    const alert = alertFor(vehicle(parking.vehicleId), parking.violationId, Date.parse(parking.startedAt));
    const other = alertFor(vehicle('V-ACME-1'), 'alert-e2e-ack-other', Date.now(), 'OverspeedStarted');
    await publishAlerts([alert, other]);
    for (const desk of [a, b]) {
      await desk.waitForAlert(alert.alertId);
      await desk.waitForAlert(other.alertId);
    }
    expect(await a.page.getByTestId('alert-unacknowledged').textContent()).toBe('2 not acknowledged');
    const item = a.page.locator(`[data-testid="alert-item"][data-alert-id="${alert.alertId}"]`);
    await item.getByTestId('ack-note').fill('Phoned the carrier: moving to the Jiaojiang lot');
    await item.getByTestId('ack').click();
    await item.getByTestId('ack-line').waitFor({ timeout: 5_000 });
    expect(await item.getByTestId('ack-line').innerText()).toMatch(/^Acknowledged by bureau-desk at \d\d:\d\d:\d\d · Phoned the carrier: moving to the Jiaojiang lot$/);
    expect(await a.page.getByTestId('alert-unacknowledged').textContent()).toBe('1 not acknowledged');
    // The other desk shows it taken at its next refresh, and cannot take it again.
    const onB = b.page.locator(`[data-testid="alert-item"][data-alert-id="${alert.alertId}"]`);
    await onB.getByTestId('ack-line').waitFor({ timeout: 15_000 });
    expect(await onB.getByTestId('ack').count()).toBe(0);
    expect(await b.page.getByTestId('alert-unacknowledged').textContent()).toBe('1 not acknowledged');
    expect(await a.screenshot('dashboard-alert-acknowledged.png')).toMatch(/dashboard-alert-acknowledged\.png$/);
    // 立案 from the alert: the case page of a new case on that violation.
    await item.getByTestId('alert-open-case').click();
    await a.page.locator('[data-testid="case-page"][data-case-id^="C-"]').waitFor({ timeout: 10_000 });
    expect(await a.page.getByTestId('case-vehicle').innerText()).toBe(parking.vehicleId);
  });

  it("sends the selected vehicle's driver a message from the vehicle panel and shows on its timeline whether each message was delivered", async () => {
    const desk = await openDesk();
    await desk.login(keys.bureau);
    await desk.clickVehicle('V-ACME-1');
    await desk.vehiclePanelText('V-ACME-1');
    // Its safety code links to the public scan page, which shows the goods it carries now.
    const link = desk.page.getByTestId('vehicle-safety-code-link');
    await link.waitFor({ timeout: 5_000 });
    const href = (await link.getAttribute('href')) ?? '';
    expect(href).toMatch(/^\/s\/[A-Za-z0-9_-]{20,}$/);
    const scan = await desk.page.request.get(new URL(href, baseUrl).toString());
    expect(scan.status()).toBe(200);
    expect(await scan.text()).toContain('UN 1203');
    // Beside it, the label to print: fetched with the desk's key (a header, so not a plain link) and saved, its QR code for that same page.
    const [download] = await Promise.all([desk.page.waitForEvent('download'), desk.page.getByTestId('vehicle-safety-code-label').click()]);
    expect(download.suggestedFilename()).toBe('vehicle-V-ACME-1.svg');
    const label = readFileSync((await download.path()) ?? '', 'utf8');
    expect(label).toContain(`>${vehicle('V-ACME-1').plateNo}</text>`);
    expect(label).toBe(await labelSvg(new URL(href, baseUrl).toString(), vehicle('V-ACME-1').plateNo!));
    const panel = desk.page.getByTestId('vehicle-messages');
    await panel.getByTestId('driver-messages-info').filter({ hasText: 'No message sent to this vehicle.' }).waitFor({ timeout: 5_000 });
    await panel.getByTestId('driver-message-text').fill('请驶入椒江危险化学品专用停车场');
    await panel.getByTestId('driver-message-tts').check();
    await panel.getByTestId('driver-message-send').click();
    // Accepted (202): the text is cleared and no error shows; the request is on the bus for the gateway.
    await desk.page.waitForFunction(() => (document.querySelector('[data-testid="driver-message-text"]') as HTMLTextAreaElement | null)?.value === '', null, { timeout: 5_000 });
    expect(await panel.getByTestId('driver-message-error').innerText()).toBe('');
    // What the recorder records once the gateway has sent it and the terminal answered 0x0001.
    const at = (s: number) => new Date(Date.now() - s * 1000).toISOString();
    const base = { messageId: 'dm-e2e-1', vehicleId: 'V-ACME-1' };
    await store.append(`driver-messages-V-ACME-1`, [
      { eventId: 'dm:dm-e2e-1:requested', type: 'DriverMessageRequested', occurredAt: at(30), data: { ...base, text: '请驶入椒江危险化学品专用停车场', display: true, tts: true, emergency: false, by: 'bureau-desk', reason: 'officer' } },
      { eventId: 'dm:dm-e2e-1:sent', type: 'DriverMessageSent', occurredAt: at(29), data: { ...base, terminalPhone: '13900000001', serial: 7, gatewayId: 'jt808-gateway' } },
      { eventId: 'dm:dm-e2e-1:delivered', type: 'DriverMessageDelivered', occurredAt: at(28), data: { ...base, terminalPhone: '13900000001', serial: 7, gatewayId: 'jt808-gateway' } },
    ]);
    const item = panel.locator('[data-testid="driver-message"][data-message-id="dm-e2e-1"][data-status="delivered"]');
    await item.waitFor({ timeout: 15_000 });
    expect(await item.innerText()).toContain('delivered');
    expect(await item.innerText()).toContain('请驶入椒江危险化学品专用停车场');
    expect(await desk.screenshot('dashboard-driver-message.png')).toMatch(/dashboard-driver-message\.png$/);
  });

  it('lists the seeded violations, narrows them by the new kinds, and lists the passages apart as advisories', async () => {
    const desk = await openDesk();
    await desk.login(keys.bureau);
    expect(await desk.violationIds()).toEqual(['det-ip-V-BETA-1', 'det-os-V-ACME-1', 'det-re-V-BETA-1']);
    expect(await desk.kindOptions('violations')).toEqual(['illegal-parking', 'restricted-entry', 'overspeed', 'fatigue-driving', 'terminal-offline', 'route-deviation']);
    await desk.filterViolations({ kind: 'overspeed' });
    expect(await desk.violationIds()).toEqual(['det-os-V-ACME-1']);
    expect(await desk.page.locator('[data-testid="violation-row"]').first().innerText()).toMatch(/limit 60 km\/h · max 74 km\/h/);
    await desk.filterViolations({ kind: 'restricted-entry' });
    expect(await desk.violationIds()).toEqual(['det-re-V-BETA-1']);
    await desk.filterViolations({ kind: '', status: 'open' });
    expect(await desk.violationIds()).toEqual(['det-ip-V-BETA-1']);

    expect(await desk.advisoryIds()).toEqual(['det-seg-V-BETA-2', 'det-seg-V-ACME-1']);
    expect(await desk.kindOptions('advisories')).toEqual(['segment-passage', 'terminal-offline']);
    expect(await desk.page.getByTestId('violations-panel').isHidden()).toBe(true);
    await desk.filterViolations({ vehicle: 'V-ACME-1' }, 'advisories');
    expect(await desk.advisoryIds()).toEqual(['det-seg-V-ACME-1']);
    expect(await desk.screenshot('dashboard-advisories.png')).toMatch(/dashboard-advisories\.png$/);
  });

  it('shows and reads every time in Beijing time in a browser set to UTC, and says so', async () => {
    const desk = await openDesk('UTC');
    await desk.login(keys.bureau);
    expect(await desk.violationIds()).toEqual(['det-ip-V-BETA-1', 'det-os-V-ACME-1', 'det-re-V-BETA-1']);
    // Computed here from the fixture's instant, independently of the desk's own formatting.
    const beijing = (iso: string, length: number) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, length).replace('T', ' ');
    const overspeed = fixture.violations.find((v) => v.violationId === 'det-os-V-ACME-1');
    if (overspeed === undefined) throw new Error('fixture lacks det-os-V-ACME-1');
    const row = desk.page.locator('[data-testid="violation-row"][data-violation-id="det-os-V-ACME-1"]');
    expect(await row.locator('time').innerText()).toBe(beijing(overspeed.startedAt, 19));
    expect(await desk.page.getByTestId('time-zone').innerText()).toContain('Beijing time (UTC+8)');
    // A From typed in Beijing time: 5 h ago keeps the overspeed (4 h ago) and drops the 10 h old entry.
    await desk.filterViolations({ from: beijing(new Date(Date.parse(overspeed.startedAt) - 60 * 60_000).toISOString(), 16) });
    expect(await desk.violationIds()).toEqual(['det-ip-V-BETA-1', 'det-os-V-ACME-1']);
    // A US-style date is refused with what to write, not read as another day.
    await desk.filterViolations({ from: '03/02/2026 11:14' });
    expect(await desk.page.getByTestId('violations-info').innerText()).toContain('is not a time; write YYYY-MM-DD HH:mm (Beijing time (UTC+8))');
    expect(await desk.screenshot('dashboard-utc-browser.png')).toMatch(/dashboard-utc-browser\.png$/);
  });

  it("counts new violations in the tab's title while the desk is not looked at, sounds a tone for each unless switched off, and neither for an advisory", async () => {
    const desk = await openDesk();
    await desk.login(keys.bureau);
    await desk.waitForStreamLive();
    const base = await desk.page.title();
    const sound = desk.page.getByTestId('alert-sound');
    expect(await sound.getAttribute('aria-pressed')).toBe('true');
    // The officer is elsewhere: the window has lost focus.
    await desk.page.evaluate(() => {
      Object.defineProperty(document, 'hasFocus', { value: () => false, configurable: true });
      window.dispatchEvent(new Event('blur'));
    });
    await publishAlerts([alertFor(vehicle('V-BETA-1'), 'notice-1', Date.now()), alertFor(vehicle('V-ACME-1'), 'notice-2', Date.now(), 'OverspeedStarted')]);
    await desk.waitForAlert('notice-2', 5_000);
    await expect.poll(() => desk.page.title()).toBe(`(2) ${base}`);
    expect(await sound.getAttribute('data-sounds')).toBe('2');
    // An advisory makes neither.
    await publishAlerts([alertFor(vehicle('V-BETA-2'), 'notice-3', Date.now(), 'AccidentSegmentEntered')]);
    await desk.waitForAlert('notice-3', 5_000);
    expect(await desk.page.title()).toBe(`(2) ${base}`);
    expect(await sound.getAttribute('data-sounds')).toBe('2');
    // Sound switched off: the title still counts, no tone.
    await sound.click();
    expect(await sound.getAttribute('aria-pressed')).toBe('false');
    await publishAlerts([alertFor(vehicle('V-BETA-1'), 'notice-4', Date.now())]);
    await desk.waitForAlert('notice-4', 5_000);
    await expect.poll(() => desk.page.title()).toBe(`(3) ${base}`);
    expect(await sound.getAttribute('data-sounds')).toBe('2');
    // Looked at again: the count clears.
    await desk.page.evaluate(() => {
      Object.defineProperty(document, 'hasFocus', { value: () => true, configurable: true });
      window.dispatchEvent(new Event('focus'));
    });
    expect(await desk.page.title()).toBe(base);
  });

  it('finds a vehicle by its plate typed any way, and filters violations by a plate', async () => {
    const desk = await openDesk();
    await desk.login(keys.bureau);
    await desk.violationIds();
    const search = desk.page.getByTestId('plate-search');
    // One match (written without the dot, lower case) opens the vehicle.
    await search.fill('浙ja1001');
    await search.press('Enter');
    expect(await desk.vehiclePanelText('V-ACME-1')).toContain('浙J·A1001');
    // Part of a plate shared by several lists them to pick from.
    await search.fill('J·B200');
    await search.press('Enter');
    const results = desk.page.getByTestId('plate-result');
    await results.first().waitFor({ timeout: 5_000 });
    expect(await results.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-vehicle-id')))).toEqual(['V-BETA-1', 'V-BETA-2']);
    await results.nth(1).click();
    expect(await desk.vehiclePanelText('V-BETA-2')).toContain('浙J·B2002');
    await search.fill('浙J·Z9999');
    await search.press('Enter');
    expect(await desk.page.getByTestId('plate-results').innerText()).toContain('No vehicle on the map has a plate like “浙J·Z9999”');
    // The Vehicle filter takes a plate too.
    await desk.filterViolations({ vehicle: '浙J A1001' });
    expect(await desk.violationIds()).toEqual(['det-os-V-ACME-1']);
    expect(await desk.screenshot('dashboard-plate-search.png')).toMatch(/dashboard-plate-search\.png$/);
  });

  it("plays a vehicle's track back: the head at its last fix, a slider over its fixes, play to the end, its violation marked on the track", async () => {
    const desk = await openDesk();
    await desk.login(keys.bureau);
    await desk.violationIds();
    await desk.page.getByTestId('plate-search').fill('A1001');
    await desk.page.getByTestId('plate-search').press('Enter');
    await desk.vehiclePanelText('V-ACME-1');
    await desk.waitForTrack();
    const playback = desk.page.getByTestId('track-playback');
    const last = String(fixture.trackFixes - 1);
    await expect.poll(() => playback.getAttribute('data-index')).toBe(last);
    expect(await desk.page.locator('[data-testid="track-head"]').count()).toBe(1);
    // Dragged to the first fix: its Beijing time and speed.
    await desk.page.getByTestId('track-slider').fill('0');
    expect(await playback.getAttribute('data-index')).toBe('0');
    expect(await desk.page.getByTestId('track-at').innerText()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d · \d+ km\/h$/);
    // Played at 1800× (fixes 5 min apart: a sixth of a second each) it reaches the last fix and stops.
    await desk.page.getByTestId('track-speed').selectOption('1800');
    await desk.page.getByTestId('track-play').click();
    expect(await playback.getAttribute('data-state')).toBe('playing');
    await expect.poll(() => playback.getAttribute('data-index'), { timeout: 10_000 }).toBe(last);
    await expect.poll(() => playback.getAttribute('data-state')).toBe('paused');
    // Its overspeed (4 h ago) is marked on the track.
    await expect.poll(() => desk.page.locator('[data-testid="track-violation"]').count()).toBe(1);
    expect(await desk.screenshot('dashboard-playback.png')).toMatch(/dashboard-playback\.png$/);
  });

  it('shows the API documentation in Swagger UI without a key: every group, operations with their summaries, nothing blocked', async () => {
    const desk = await openDesk();
    await desk.page.goto(`${baseUrl}/docs`);
    await desk.page.locator('.opblock-summary-description', { hasText: 'Live fleet' }).first().waitFor({ timeout: 15_000 });
    const groups = await desk.page.locator('.opblock-tag').allInnerTexts();
    for (const tag of ['fleet', 'violations', 'cases', 'points', 'evidence', 'audits', 'zones']) expect(groups.map((g) => g.trim().split(/\s/)[0])).toContain(tag);
    expect(await desk.page.locator('.opblock').count()).toBeGreaterThanOrEqual(30);
    expect(await desk.screenshot('api-docs.png')).toMatch(/api-docs\.png$/);
  });

  it('keeps advisories out of the violations feed: a passage alert goes to its own list', async () => {
    const desk = await openDesk();
    await desk.login(keys.bureau);
    await desk.waitForStreamLive();
    const parking = alertFor(vehicle('V-BETA-1'), 'alert-feed-parking', Date.now() - 2000);
    const passage = { ...alertFor(vehicle('V-BETA-2'), 'alert-feed-passage', Date.now() - 1000, 'AccidentSegmentEntered'), laden: false, zoneId: 'seg-g104-toutuo', zoneName: 'G104 Toutuo–Yuanqiao', message: '浙J·B2002 entered accident-prone segment G104 Toutuo–Yuanqiao empty at 52 km/h' };
    const entry = { ...alertFor(vehicle('V-BETA-1'), 'alert-feed-entry', Date.now(), 'RestrictedEntryStarted'), zoneId: 'ra-jiaojiang-centre', zoneName: 'Jiaojiang city centre (synthetic)', message: '浙J·B2001 entered restricted area Jiaojiang city centre laden' };
    await publishAlerts([parking, passage, entry]);
    await desk.waitForAlert(entry.alertId);
    expect(await desk.waitForAlert(passage.alertId)).toContain('Segment passage');
    expect(await desk.alertIds('violation')).toEqual([entry.alertId, parking.alertId]);
    expect(await desk.alertIds('advisory')).toEqual([passage.alertId]);
    expect(await desk.page.getByTestId('alert-count-advisory').innerText()).toBe('1');
  });

  it('draws restricted areas distinctly and explains zone kinds and vehicle outlines in the legend', async () => {
    const desk = await openDesk();
    await desk.login(keys.bureau);
    await desk.waitForZones();
    const legend = await desk.legend();
    expect(Object.keys(legend)).toEqual(['legend-parking-lot', 'legend-chemical-park', 'legend-accident-segment', 'legend-restricted-area', 'legend-laden', 'legend-empty', 'legend-violating', 'legend-selected']);
    expect(legend['legend-restricted-area']).toBe('Restricted area (1)');
    expect(legend['legend-violating']).toMatch(/open violation/);
    const area = await desk.zoneLook('restricted-area');
    const lot = await desk.zoneLook('parking-lot');
    expect(area.dash).not.toBe('none');
    expect(lot.dash).toBe('none');
    expect(area.stroke).not.toBe(lot.stroke);
    await desk.page.locator('[data-testid="zone-restricted-area"]').hover();
    await desk.page.locator('.leaflet-tooltip', { hasText: 'laden banned 22:00–06:00 (class 2.1, 3)' }).waitFor({ timeout: 5_000 });
  });

  it("gives the map its context offline: Taizhou's county borders with their names, the seed roads, and place names once zoomed in", async () => {
    const desk = await openDesk();
    await desk.login(keys.bureau);
    await desk.waitForZones();
    const labels = desk.page.locator('.leaflet-tooltip.county-label');
    await labels.first().waitFor({ timeout: 10_000 });
    expect((await labels.allInnerTexts()).sort()).toEqual(['Huangyan', 'Jiaojiang', 'Linhai', 'Luqiao', 'Sanmen', 'Tiantai', 'Wenling', 'Xianju', 'Yuhuan']);
    expect(await desk.page.locator('path.county-outline').count()).toBeGreaterThanOrEqual(9);
    expect(await desk.page.locator('path.road-outline').count()).toBeGreaterThanOrEqual(40);
    // The violations narrow to a county: the parking in Jiaojiang stays, the overspeed on the G104 goes.
    const visible = (testid: string) => desk.page.locator(`[data-testid="${testid}"]:visible`);
    await visible('filter-county').selectOption('331002');
    await visible('filter-apply').click();
    await desk.page.locator('[data-testid="violation-row"]', { hasText: 'Overspeed' }).waitFor({ state: 'detached', timeout: 5_000 });
    expect(await desk.page.locator('[data-testid="violation-row"]', { hasText: 'Illegal parking' }).count()).toBe(1);
    expect(await visible('filter-park').locator('option').count()).toBe(2);
    await visible('filter-reset').click();
    await desk.page.locator('[data-testid="violation-row"]', { hasText: 'Overspeed' }).waitFor({ timeout: 5_000 });
    // Where an illegal parking took place reads as its county and road, not "—" (it is in no zone).
    const parking = desk.page.locator('[data-testid="violation-row"]', { hasText: 'Illegal parking' }).first().locator('td.zone');
    expect(await parking.innerText()).toMatch(/^(Jiaojiang|Luqiao|Huangyan)( · .+)?$/);
    // Close in, where the desk opens on its zones, they are drawn to scale and need no pin.
    expect(await desk.page.locator('[data-testid="zone-pin"]').count()).toBe(0);
    // Place names (plants, lots) close in, where the desk opens on its zones; they would crowd the map further out.
    await desk.page.locator('.leaflet-tooltip.place-label', { hasText: 'Jiaojiang dedicated hazmat parking lot' }).waitFor({ timeout: 5_000 });
    for (let i = 0; i < 4; i++) {
      await desk.page.locator('.leaflet-control-zoom-out').click();
      await desk.page.waitForTimeout(300);
    }
    await desk.page.locator('.leaflet-tooltip.place-label').first().waitFor({ state: 'detached', timeout: 5_000 });
    expect(await labels.count()).toBe(9);
    // Zoomed out to the counties, the lot, the park and the area are specks: pins of fixed size mark them.
    const pins = await desk.page.locator('[data-testid="zone-pin"]').evaluateAll((els) => els.map((e) => e.getAttribute('class') ?? ''));
    expect(pins.some((c) => c.includes('zone-pin-parking-lot'))).toBe(true);
    expect(pins.some((c) => c.includes('zone-pin-chemical-park'))).toBe(true);
    expect(await desk.screenshot('dashboard-map-context.png')).toMatch(/dashboard-map-context\.png$/);
    // The counties are offered as a filter of the case list, by name.
    await desk.page.getByTestId('nav-cases').click();
    const options = await desk.page.getByTestId('cases-filter-county').locator('option').allInnerTexts();
    expect(options).toHaveLength(10);
    expect(options).toContain('Jiaojiang');
  });

  it('gives a carrier key only its own vehicles, violations and alerts', async () => {
    const bureau = await openDesk();
    const acme = await openDesk();
    await bureau.login(keys.bureau);
    await acme.login(keys.acme);
    const own = fixture.vehicles.filter((v) => v.carrierId === carriers.acme).map((v) => v.vehicleId).sort();
    await acme.waitForVehicleCount(own.length);
    expect(await acme.vehicleIdsOnMap()).toEqual(own);
    expect(await acme.roleScope()).toContain(carriers.acme);
    expect(await acme.violationIds()).toEqual(['det-os-V-ACME-1']);
    expect(await acme.advisoryIds()).toEqual(['det-seg-V-ACME-1']);
    expect(await acme.complianceStatus()).toBe('warning');

    await Promise.all([bureau.waitForStreamLive(), acme.waitForStreamLive()]);
    const theirs = alertFor(vehicle('V-BETA-2'), 'alert-e2e-beta', Date.now());
    const ours = alertFor(vehicle('V-ACME-2'), 'alert-e2e-acme', Date.now());
    await publishAlerts([theirs, ours]);
    // The bureau desk got both, so the hub has fanned both out: the carrier desk must hold only its own.
    await bureau.waitForAlert(theirs.alertId);
    await bureau.waitForAlert(ours.alertId);
    await acme.waitForAlert(ours.alertId);
    expect(await acme.alertIds('violation')).toEqual([ours.alertId]);
    expect(await acme.alertIds('advisory')).toEqual([]);
    // The carrier's view: its own fleet, alerts, violations and compliance, and nothing to act on.
    expect(await acme.page.getByTestId('ack').count()).toBe(0);
    expect(await acme.page.getByTestId('alert-unacknowledged').textContent()).toBe('');
    expect(await acme.screenshot('dashboard-carrier-view.png')).toMatch(/dashboard-carrier-view\.png$/);
  });

  it('shows a banner while the API is unreachable, clears it on recovery, and returns to the login on a 401', async () => {
    const desk = await openDesk();
    await desk.login(keys.bureau);
    await desk.waitForStreamLive();
    desk.expectConsoleError(/net::ERR_FAILED|status of 401/);
    // Each alert makes the desk refresh the fleet at once (no waiting for the 5 s poll).
    let n = 0;
    const nudge = () => publishAlerts([alertFor(vehicle('V-ACME-2'), `alert-e2e-nudge-${++n}`, Date.now())]);
    await desk.page.route('**/v1/fleet?*', (route) => route.abort('failed'));
    await nudge();
    await desk.page.getByTestId('status-banner').filter({ hasText: /cannot be reached/ }).waitFor({ timeout: 8_000 });
    await desk.page.unroute('**/v1/fleet?*');
    await nudge();
    await desk.page.getByTestId('status-banner').waitFor({ state: 'hidden', timeout: 8_000 });
    await desk.page.route('**/v1/fleet?*', (route) => route.fulfill({ status: 401, contentType: 'application/json', body: JSON.stringify({ error: { code: 'UNAUTHENTICATED', message: 'revoked' } }) }));
    await nudge();
    await desk.page.getByTestId('login-error').filter({ hasText: /refused/ }).waitFor({ timeout: 8_000 });
    expect(await desk.page.evaluate('sessionStorage.length')).toBe(0);
  });

  it('refuses a wrong key and a write-only key with a readable message', async () => {
    const desk = await openDesk();
    desk.expectConsoleError(/status of 401/);
    await desk.submitKey(generateApiKey());
    await desk.page.getByTestId('login-error').filter({ hasText: /refused/ }).waitFor();
    await desk.submitKey(keys.ingest);
    await desk.page.getByTestId('login-error').filter({ hasText: /ingest key/ }).waitFor();
    expect(await desk.page.getByTestId('desk').count()).toBe(0);
  });
});
