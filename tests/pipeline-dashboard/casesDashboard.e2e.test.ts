import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateApiKey, hashApiKey } from '@dgt/http';
import type { ViolationView } from '@dgt/readmodels';
import { startStack, type Stack } from '@dgt/stack';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashboardPage, ensureDashboardBuilt, launchChromium } from '../dashboard/dashboardPage.ts';
import { eventually, getJson, ids, parkIllegally, postEvents, setupEvents, testKeys, waitForReference } from './scenario.ts';

/*
 * Issue #17's enforcement walkthrough on the desk, through the real stack (ingest → store →
 * projector → API → Chromium): a live illegal-parking violation becomes a case (bureau), is
 * assigned, its evidence frozen and a check with a photo recorded (enforcement), the carrier is
 * notified and appeals (carrier key), the appeal is rejected and the case disposed with points;
 * the carrier's points page shows them, it submits a corrective action, the bureau clears the
 * points and the standing goes back to green; the bureau finally reopens the case.
 */

const base = testKeys();
const enforcementKey = generateApiKey();
const keys = { ...base.keys, enforcement: enforcementKey };
const entries = [...base.entries, { id: 'enforcement', role: 'enforcement', sha256: hashApiKey(enforcementKey) }];
const minute = 60_000;
/** The smallest bytes POST /v1/attachments takes as a JPEG (its first bytes are checked). */
const photo = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9]);
const appealPdf = Buffer.from('%PDF-1.4\n% appeal letter\n%%EOF\n');

let dataDir: string;
let stack: Stack;
let browser: Browser;
const desks: DashboardPage[] = [];

beforeAll(async () => {
  ensureDashboardBuilt();
  dataDir = mkdtempSync(join(tmpdir(), 'dgt-cases-dashboard-'));
  stack = await startStack({ dataDir, apiPort: 0, ingestPort: 0, apiKeys: entries, logLevel: 'silent', defaultMetrics: false, projector: { flushIntervalMs: 50 } });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  for (const d of desks) await d.close();
  await browser?.close();
  await stack?.stop();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
});

async function openDesk(key: string): Promise<DashboardPage> {
  const desk = await DashboardPage.open(browser, stack.apiUrl);
  desks.push(desk);
  // A refused command is answered 4xx, which Chromium logs; the page shows it (asserted below).
  desk.expectConsoleError(/status of 409/);
  await desk.login(key);
  return desk;
}

/**
 * The case page's status once it reads `status` and no newer answer is on its way (every command
 * and every click on a row loads it again: a form filled before that would be replaced).
 */
async function waitForCaseStatus(page: Page, status: string, timeoutMs = 15_000): Promise<void> {
  await page.locator(`[data-testid="case-page"]:not([data-loading]) [data-testid="case-status"][data-status="${status}"]`).waitFor({ timeout: timeoutMs });
}

async function openCaseFromList(page: Page, caseId: string): Promise<void> {
  await page.getByTestId('nav-cases').click();
  await page.locator(`[data-testid="case-row"][data-case-id="${caseId}"]`).click();
  await page.locator(`[data-testid="case-page"][data-case-id="${caseId}"]:not([data-loading]) [data-testid="case-status"]`).waitFor({ timeout: 10_000 });
}

async function outstanding(page: Page): Promise<{ points: string | null; standing: string | null }> {
  return {
    points: await page.getByTestId('points-outstanding').getAttribute('data-points'),
    standing: await page.getByTestId('points-standing').getAttribute('data-standing'),
  };
}

describe('cases and points on the desk (in-process bus, SQLite)', () => {
  it('takes a live violation from an opened case to a disposed one with points, an appeal, a corrective action and cleared points', async () => {
    const now = Date.now();
    const setup = setupEvents(now);
    expect(await postEvents(stack.ingestUrl, base.keys, setup.reference)).toMatchObject({ rejected: 0 });
    await waitForReference(stack.apiUrl, keys.bureau);
    const parking = parkIllegally(now - 18 * minute);
    expect(await postEvents(stack.ingestUrl, keys.ingest, [...setup.fixes, ...parking.events])).toMatchObject({ rejected: 0 });
    const violationId = `${parking.crossingFix.eventId}/IllegalParkingStarted`;
    await eventually('the violation in /v1/violations', async () => {
      const page = await getJson<{ items: ViolationView[] }>(`${stack.apiUrl}/v1/violations`, keys.bureau);
      return page.items.some((v) => v.violationId === violationId) ? true : undefined;
    });

    // Bureau: "Open case" on the violation's row, then assign.
    const bureau = await openDesk(keys.bureau);
    const row = bureau.page.locator(`[data-testid="violation-row"][data-violation-id="${violationId}"]`);
    await row.waitFor({ timeout: 10_000 });
    await row.getByTestId('open-case').click();
    await waitForCaseStatus(bureau.page, 'opened');
    const caseId = (await bureau.page.getByTestId('case-page').getAttribute('data-case-id')) ?? '';
    expect(caseId).toMatch(/^C-\d{8}-[0-9A-Z]+$/);
    // Carriers read by their registered names, not their ids.
    expect(await bureau.page.getByTestId('case-carrier').innerText()).toBe('ACME Hazmat Logistics');
    // The stop (121.25, 28.55) lies in Huangyan (seeds/taizhou/counties.json, which npm start loads).
    expect(await bureau.page.getByTestId('case-county').innerText()).toBe('Huangyan');
    expect(await bureau.page.getByTestId('case-violations').innerText()).toContain('Illegal parking');
    const form = (page: Page, testid: string) => page.locator(`[data-testid="case-page"] [data-testid="${testid}"]`);
    await form(bureau.page, 'case-assign').getByTestId('input-unit').fill('Jiaojiang enforcement brigade');
    await form(bureau.page, 'case-assign').getByTestId('input-officer').fill('Officer Wang');
    await form(bureau.page, 'case-assign').getByTestId('case-assign-submit').click();
    await waitForCaseStatus(bureau.page, 'assigned');
    expect(await bureau.page.getByTestId('case-assignment').innerText()).toContain('Officer Wang, Jiaojiang enforcement brigade');
    // The list shows it with its officer, and its county: a county filter keeps it or drops it.
    await bureau.page.locator(`[data-testid="case-row"][data-case-id="${caseId}"][data-status="assigned"]`).waitFor({ timeout: 5_000 });
    const county = bureau.page.getByTestId('cases-filter-county');
    expect(await county.locator('option').count()).toBe(10);
    await county.selectOption('331002');
    await bureau.page.getByTestId('cases-filter-apply').click();
    await bureau.page.locator(`[data-testid="case-row"][data-case-id="${caseId}"]`).waitFor({ state: 'detached', timeout: 5_000 });
    await county.selectOption('331003');
    await bureau.page.getByTestId('cases-filter-apply').click();
    await bureau.page.locator(`[data-testid="case-row"][data-case-id="${caseId}"]`).waitFor({ timeout: 5_000 });

    // Enforcement: freeze evidence, record a check with a photo.
    const enforcement = await openDesk(keys.enforcement);
    await openCaseFromList(enforcement.page, caseId);
    await form(enforcement.page, 'case-freeze').getByTestId('case-freeze-submit').click();
    await waitForCaseStatus(enforcement.page, 'evidence-frozen', 60_000);
    const evidence = enforcement.page.getByTestId('case-evidence');
    expect(await evidence.getAttribute('data-report-digest')).toMatch(/^[0-9a-f]{64}$/);
    expect(await evidence.getByTestId('case-file').allInnerTexts()).toEqual(['report.html', 'report.json', 'violations.csv']);

    const check = form(enforcement.page, 'case-check');
    await check.getByTestId('input-lat').fill('28.55');
    await check.getByTestId('input-lon').fill('121.25');
    await check.getByTestId('input-place').fill('S325 roadside, km 12');
    await check.getByTestId('input-findings').fill('Laden tanker parked at the roadside, driver absent.');
    await check.getByTestId('input-photo').setInputFiles({ name: 'roadside.jpg', mimeType: 'image/jpeg', buffer: photo });
    await check.getByTestId('case-check-submit').click();
    await waitForCaseStatus(enforcement.page, 'checked');
    const checkItem = enforcement.page.getByTestId('case-checks').getByTestId('case-check');
    expect(await checkItem.innerText()).toContain('S325 roadside, km 12');
    // The photo downloads through the case (the key in a header, never in a URL), byte for byte.
    const [download] = await Promise.all([enforcement.page.waitForEvent('download'), checkItem.getByTestId('case-file').click()]);
    expect(download.suggestedFilename()).toBe('roadside.jpg');
    expect(readFileSync((await download.path()) ?? '')).toEqual(photo);

    // A refusal is shown with the API's message: no penalty before the carrier is notified.
    const dispose = form(enforcement.page, 'case-dispose');
    await dispose.getByTestId('input-legalBasis').fill('Road Transport Regulations art. 70');
    await dispose.getByTestId('input-amountYuan').fill('2000');
    await dispose.getByTestId('case-dispose-submit').click();
    const refusal = enforcement.page.getByTestId('case-dispose-error');
    await refusal.waitFor({ timeout: 5_000 });
    expect(await refusal.innerText()).toMatch(/^Refused \(409\): carrier-not-notified/);

    await form(enforcement.page, 'case-notify').getByTestId('case-notify-submit').click();
    await waitForCaseStatus(enforcement.page, 'notified');

    // Carrier: its own cases, appeals with reasons and a document before the deadline.
    const carrier = await openDesk(keys.acme);
    await openCaseFromList(carrier.page, caseId);
    expect(await carrier.page.getByTestId('cases-list').locator('h2').innerText()).toBe('My cases');
    const respond = form(carrier.page, 'case-respond');
    await respond.getByTestId('input-response').selectOption('appeal');
    await respond.getByTestId('input-reasons').fill('The vehicle had a breakdown; the tow truck was called.');
    await respond.getByTestId('input-attachment').setInputFiles({ name: 'tow-receipt.pdf', mimeType: 'application/pdf', buffer: appealPdf });
    await respond.getByTestId('case-respond-submit').click();
    await waitForCaseStatus(carrier.page, 'appealed');
    // No enforcement step is offered to a carrier.
    expect(await carrier.page.getByTestId('case-dispose').count()).toBe(0);

    // Enforcement: the appeal is rejected, the case penalised with 6 points instead of the default 3.
    await openCaseFromList(enforcement.page, caseId);
    const decision = form(enforcement.page, 'case-appeal-decision');
    await decision.getByTestId('input-outcome').selectOption('rejected');
    await decision.getByTestId('input-reasons').fill('No breakdown was reported; the stop lasted over ten minutes.');
    await decision.getByTestId('case-appeal-decision-submit').click();
    await waitForCaseStatus(enforcement.page, 'appeal-decided');
    const penalty = form(enforcement.page, 'case-dispose');
    await penalty.getByTestId('input-disposition').selectOption('penalised');
    await penalty.getByTestId('input-legalBasis').fill('Road Transport Regulations art. 70');
    await penalty.getByTestId('input-amountYuan').fill('2000');
    await penalty.getByTestId('input-points').fill('6');
    await penalty.getByTestId('input-pointsReason').fill('Repeated roadside stops this month');
    await penalty.getByTestId('case-dispose-submit').click();
    await waitForCaseStatus(enforcement.page, 'disposed');
    expect(await enforcement.page.getByTestId('case-points').innerText()).toMatch(/^6 \(entry /);

    // The timeline names who and when for every step, in the desk's time format.
    const steps = enforcement.page.getByTestId('case-timeline').getByTestId('timeline-step');
    expect(await steps.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-type')))).toEqual([
      'CaseOpened',
      'CaseAssigned',
      'EvidenceFrozen',
      'OnSiteCheckRecorded',
      'CarrierNotified',
      'CarrierResponded',
      'AppealDecided',
      'CaseDisposed',
    ]);
    expect(await steps.getByTestId('timeline-by').allInnerTexts()).toEqual([
      'by bureau (bureau)',
      'by bureau (bureau)',
      'by enforcement (enforcement)',
      'by enforcement (enforcement)',
      'by enforcement (enforcement)',
      `by acme (carrier ${ids.acme})`,
      'by enforcement (enforcement)',
      'by enforcement (enforcement)',
    ]);
    for (const time of await steps.locator('time').allInnerTexts()) expect(time).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    // The appeal's document is on the carrier's step, downloadable by enforcement.
    expect(await steps.nth(5).getByTestId('case-file').innerText()).toBe('tow-receipt.pdf');

    // Carrier: its points page shows the 6 points (yellow), it submits a corrective action.
    await carrier.page.getByTestId('nav-points').click();
    await carrier.page.getByTestId('points-outstanding').waitFor({ timeout: 10_000 });
    expect(await outstanding(carrier.page)).toEqual({ points: '6', standing: 'yellow' });
    expect(await carrier.page.getByTestId('points-entry').getAttribute('data-entry-id')).toMatch(new RegExp(`^${caseId}:`));
    const submit = carrier.page.getByTestId('points-corrective-action');
    await submit.getByTestId('input-action').selectOption('training');
    await submit.getByTestId('input-description').fill('All drivers retrained on parking rules for laden vehicles.');
    await submit.getByTestId('points-corrective-action-submit').click();
    const action = carrier.page.getByTestId('corrective-action');
    await action.waitFor({ timeout: 10_000 });
    const actionId = (await action.getAttribute('data-action-id')) ?? '';
    expect(actionId).not.toBe('');
    expect(await action.getAttribute('data-cleared')).toBe('false');

    // Bureau: clears the points against the action; the standing is green again.
    await bureau.page.getByTestId('nav-points').click();
    await bureau.page.getByTestId('points-carrier').fill(ids.acme);
    await bureau.page.getByTestId('points-load').click();
    const bureauAction = bureau.page.locator(`[data-testid="corrective-action"][data-action-id="${actionId}"]`);
    await bureauAction.waitFor({ timeout: 10_000 });
    expect(await outstanding(bureau.page)).toEqual({ points: '6', standing: 'yellow' });
    await bureauAction.getByTestId('input-clear-points').fill('6');
    await bureauAction.getByTestId('points-clear-submit').click();
    await bureau.page.locator('[data-testid="points-standing"][data-standing="green"]').waitFor({ timeout: 10_000 });
    expect(await outstanding(bureau.page)).toEqual({ points: '0', standing: 'green' });
    const history = bureau.page.getByTestId('points-history-row');
    expect(await history.evaluateAll((nodes) => nodes.map((n) => [n.getAttribute('data-type'), n.getAttribute('data-total')]))).toEqual([
      ['recorded', '6'],
      ['action-submitted', '6'],
      ['cleared', '0'],
    ]);

    expect(await bureau.screenshot('dashboard-points-page.png')).toMatch(/dashboard-points-page\.png$/);

    // The carrier sees it too.
    await carrier.page.getByTestId('nav-desk').click();
    await carrier.page.getByTestId('nav-points').click();
    await carrier.page.locator('[data-testid="points-standing"][data-standing="green"]').waitFor({ timeout: 10_000 });
    expect(await outstanding(carrier.page)).toEqual({ points: '0', standing: 'green' });

    // Bureau: the list filters by stage; a disposed case can be reopened for a new round (its checks kept).
    await bureau.page.getByTestId('nav-cases').click();
    await bureau.page.getByTestId('cases-filter-status').selectOption('appealed');
    await bureau.page.getByTestId('cases-filter-apply').click();
    await bureau.page.locator('[data-testid="cases-body"] td.empty').waitFor({ timeout: 5_000 });
    await bureau.page.getByTestId('cases-filter-status').selectOption('disposed');
    await bureau.page.getByTestId('cases-filter-apply').click();
    await bureau.page.locator(`[data-testid="case-row"][data-case-id="${caseId}"][data-status="disposed"]`).click();
    await waitForCaseStatus(bureau.page, 'disposed');
    await form(bureau.page, 'case-reopen').getByTestId('input-reason').fill('Review requested by the county office.');
    await form(bureau.page, 'case-reopen').getByTestId('case-reopen-submit').click();
    await waitForCaseStatus(bureau.page, 'checked');
    expect(await bureau.page.getByTestId('case-timeline').getByTestId('timeline-step').last().getAttribute('data-type')).toBe('CaseReopened');

    expect(await enforcement.screenshot('dashboard-case-page.png')).toMatch(/dashboard-case-page\.png$/);
    for (const d of desks) expect(d.problems()).toEqual([]);
  });
});
