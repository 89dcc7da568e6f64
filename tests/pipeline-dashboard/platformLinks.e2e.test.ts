import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatedPlatform, passwordSha256, simulatedFixInput } from '@dgt/jt809-gateway';
import { startStack, type Stack } from '@dgt/stack';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashboardPage, ensureDashboardBuilt, launchChromium } from '../dashboard/dashboardPage.ts';
import { testKeys } from './scenario.ts';

/*
 * The desk's "Platform links (JT/T 809)" panel on the stack as `npm start` runs it: the API reads
 * the in-process gateway's status; a simulated platform logs in over TCP and sends fixes, one of
 * them for a vehicle of a carrier it may not speak for.
 */

const { keys, entries } = testKeys();
const platform = { platformId: 'demo-carrier', name: 'Demo carrier platform', accessCode: 33010001, userId: 7001, password: 'pass1234' };
let dataDir: string;
let stack: Stack;
let browser: Browser;
let sim: SimulatedPlatform | undefined;
const desks: DashboardPage[] = [];

beforeAll(async () => {
  ensureDashboardBuilt();
  dataDir = mkdtempSync(join(tmpdir(), 'dgt-platform-links-'));
  stack = await startStack({
    dataDir,
    apiPort: 0,
    ingestPort: 0,
    apiKeys: entries,
    logLevel: 'silent',
    defaultMetrics: false,
    jt809: {
      port: 0,
      platforms: [{ platformId: platform.platformId, name: platform.name, accessCode: platform.accessCode, userId: platform.userId, passwordSha256: passwordSha256(platform.password), allowedIps: ['127.0.0.1'], edition: '2019', carriers: ['C-A'], downLink: 'off' }],
      vehicles: [
        { vehicleId: 'V-A1', plateNo: '浙J·10001', carrierId: 'C-A' },
        { vehicleId: 'V-B1', plateNo: '浙J·20001', carrierId: 'C-B' },
      ],
    },
  });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await sim?.close();
  for (const d of desks) await d.close();
  await browser?.close();
  await stack?.stop();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
});

describe('platform links on the desk', () => {
  it('shows a logged-in platform with its main link up, its fixes per minute and refusals; a carrier desk has no such panel', async () => {
    const jt809 = stack.jt809!;
    sim = new SimulatedPlatform({ host: '127.0.0.1', port: jt809.port, edition: '2019', accessCode: platform.accessCode, userId: platform.userId, password: platform.password });
    await sim.connect();
    expect(await sim.login()).toBe(0);
    const now = Date.now();
    for (let k = 0; k < 3; k++) sim.sendFix('浙J·10001', 2, simulatedFixInput('2019', 0, k, now - (3 - k) * 1000));
    sim.sendFix('浙J·20001', 2, simulatedFixInput('2019', 1, 0, now - 1000)); // carrier C-B's: refused
    await sim.heartbeat();

    const desk = await DashboardPage.open(browser, stack.apiUrl);
    desks.push(desk);
    await desk.login(keys.bureau);
    const row = desk.page.locator(`[data-testid="platform-link"][data-platform="${platform.platformId}"]`);
    await row.waitFor({ timeout: 15_000 });
    expect(await row.getAttribute('data-main')).toBe('up');
    expect(await row.locator('[data-testid="link-dot-main"]').getAttribute('data-state')).toBe('up');
    expect(await row.locator('[data-testid="link-dot-down"]').getAttribute('data-state')).toBe('off');
    expect(await row.locator('[data-testid="platform-link-rate"]').getAttribute('data-fixes-per-minute')).toBe('3');
    expect(await row.locator('[data-testid="platform-link-main"]').innerText()).toMatch(/^up from (::ffff:)?127\.0\.0\.1:\d+ since /);
    expect(await row.locator('[data-testid="platform-link-last"]').innerText()).toMatch(/^\d+ s ago \(\d\d:\d\d:\d\d\)$/);
    expect(await row.locator('[data-testid="platform-link-refusals"]').innerText()).toBe("another carrier's vehicle 1");
    expect(await row.innerText()).toContain(platform.name);
    expect(await desk.screenshot('dashboard-platform-links.png')).toMatch(/dashboard-platform-links\.png$/);

    const carrierDesk = await DashboardPage.open(browser, stack.apiUrl);
    desks.push(carrierDesk);
    // Nothing is registered for this carrier here: its compliance is a 404, which is not this test's subject.
    carrierDesk.expectConsoleError(/status of 404/);
    await carrierDesk.login(keys.acme);
    expect(await carrierDesk.page.getByTestId('platform-links-panel').count()).toBe(0);
    expect(await carrierDesk.page.getByTestId('compliance-panel').count()).toBe(1);
    expect(desk.problems()).toEqual([]);
    expect(carrierDesk.problems()).toEqual([]);
  });
});
