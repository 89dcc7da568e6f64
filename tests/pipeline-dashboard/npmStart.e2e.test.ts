import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { DashboardPage, ensureDashboardBuilt, launchChromium } from '../dashboard/dashboardPage.ts';
import { demoKeyFor, startDemoProcess, untilDemo, type DemoProcess } from './demoProcess.ts';

/*
 * Issue 7's "done when": `npm start` shows a live dashboard with vehicles, zones and alerts.
 * `npm start` is `npm run build -w @dgt/api` (the dashboard bundle) then the stack's entry point;
 * here the bundle is built the same way (if stale) and the entry point runs as its own process,
 * filled only by its seeds and its simulator. The desk is read in Chromium and photographed.
 */

const screenshotName = 'npm-start-dashboard.png';
let dataDir: string | undefined;
let demo: DemoProcess | undefined;
let browser: Browser | undefined;
let desk: DashboardPage | undefined;

afterEach(async () => {
  await desk?.close();
  await browser?.close();
  if (demo !== undefined && demo.child.exitCode === null) demo.child.kill('SIGKILL');
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  desk = browser = demo = dataDir = undefined;
});

describe('npm start, seen in a browser', () => {
  it('fills the dashboard with moving vehicles, the seed zones and live alerts, then stops cleanly on Ctrl-C', async () => {
    const started = Date.now();
    ensureDashboardBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'dgt-npm-start-browser-'));
    dataDir = dir;
    // The defaults (300 vehicles at 30× real time) except where the data goes and a free port.
    const d = startDemoProcess(['--data', dir, '--port', '0']);
    demo = d;
    const dashboardUrl = await untilDemo('the banner', () => /Dashboard +(http:\/\/\S+)/.exec(d.output())?.[1], 60_000, d);
    const bureau = demoKeyFor(dir, 'bureau');

    const b = await launchChromium();
    browser = b;
    const page = await DashboardPage.open(b, dashboardUrl);
    desk = page;
    await page.login(bureau, 30_000);
    await page.waitForStreamLive(15_000);
    await page.waitForZones(15_000);
    const zones = await page.zoneLayerCounts();
    // Seeds: lots, chemical parks and accident-prone segments — every kind drawn, ≥ 15 outlines.
    expect(zones.parkingLots).toBeGreaterThanOrEqual(1);
    expect(zones.chemicalParks).toBeGreaterThanOrEqual(1);
    expect(zones.accidentSegments).toBeGreaterThanOrEqual(1);
    expect(zones.parkingLots + zones.chemicalParks + zones.accidentSegments).toBeGreaterThanOrEqual(15);

    const markers = await untilDemo('≥ 10 vehicle markers', async () => {
      const n = await page.vehicleMarkerCount();
      return n >= 10 ? n : undefined;
    }, 60_000, d);
    expect(markers).toBeGreaterThanOrEqual(10);
    // Simulated vehicles are V0001…V0300; the map shows them, not only seed-registered ones.
    expect((await page.vehicleIdsOnMap()).filter((id) => /^V0[0-2]\d\d$|^V0300$/.test(id)).length).toBeGreaterThanOrEqual(10);

    const alerts = await untilDemo('an alert in the live feed', async () => {
      const ids = [...(await page.alertIds('violation')), ...(await page.alertIds('advisory'))];
      return ids.length > 0 ? ids : undefined;
    }, Math.max(10_000, 100_000 - (Date.now() - started)), d);
    expect(alerts.length).toBeGreaterThanOrEqual(1);
    expect(page.problems()).toEqual([]);

    const shot = await page.screenshot(screenshotName);
    expect(statSync(shot).size).toBeGreaterThan(10_000);

    d.child.kill('SIGINT');
    expect(await d.exited).toBe(0);
    expect(d.output()).toMatch(/stopped; the next start continues/);
  }, 170_000);
});
