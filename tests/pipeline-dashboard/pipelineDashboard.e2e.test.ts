import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AdvisoryView, FleetVehicle, ViolationView } from '@dgt/readmodels';
import { startStack, type Stack } from '@dgt/stack';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashboardPage, ensureDashboardBuilt, launchChromium } from '../dashboard/dashboardPage.ts';
import { driveIntoSegment, driveOutOfSegment, eventually, getJson, ids, parkIllegally, plates, postEvents, setupEvents, testKeys, waitForReference } from './scenario.ts';

/*
 * The whole pipeline as `npm start` runs it — ingest HTTP → in-process bus → recorder → SQLite
 * event store → projector (detection engine) → read models + alert topic → API → dashboard in
 * Chromium. Nothing is seeded behind the pipeline's back: every event enters through the gateway.
 */

const { keys, entries } = testKeys();
const minute = 60_000;
let dataDir: string;
let stack: Stack;
let browser: Browser;
let desk: DashboardPage | undefined;

beforeAll(async () => {
  ensureDashboardBuilt();
  dataDir = mkdtempSync(join(tmpdir(), 'dgt-pipeline-dashboard-'));
  stack = await startStack({ dataDir, apiPort: 0, ingestPort: 0, apiKeys: entries, logLevel: 'silent', defaultMetrics: false, projector: { flushIntervalMs: 50 } });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await desk?.close();
  await browser?.close();
  await stack?.stop();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
});

describe('full pipeline to the monitoring desk (in-process bus, SQLite)', () => {
  it('shows the vehicles and zones posted to ingest, then the alerts of a laden segment passage (an advisory) and of illegal parking (a violation) within seconds', async () => {
    const now = Date.now();
    const setup = setupEvents(now);
    expect(await postEvents(stack.ingestUrl, keys, setup.reference)).toMatchObject({ rejected: 0 });
    await waitForReference(stack.apiUrl, keys.bureau);
    expect(await postEvents(stack.ingestUrl, keys.ingest, setup.fixes)).toMatchObject({ rejected: 0 });
    await eventually('the three vehicles in /v1/fleet', async () => {
      const fleet = await getJson<{ items: FleetVehicle[] }>(`${stack.apiUrl}/v1/fleet`, keys.bureau);
      return fleet.items.filter((v) => v.lastFix !== null).length === 3 ? fleet : undefined;
    });

    desk = await DashboardPage.open(browser, stack.apiUrl);
    await desk.login(keys.bureau);
    await desk.waitForVehicleCount(3);
    expect(await desk.vehicleIdsOnMap()).toEqual([ids.laden, ids.empty, ids.other].sort());
    expect(await desk.ladenVehicleIdsOnMap()).toEqual([ids.laden]);
    await desk.waitForZones();
    expect(await desk.zoneLayerCounts()).toEqual({ parkingLots: 1, chemicalParks: 1, accidentSegments: 1, restrictedAreas: 0 });
    await desk.waitForStreamLive();

    // Laden into the accident-prone segment: the alert id is the detection's, derived from the fix.
    const entering = driveIntoSegment(now - 22 * minute);
    const enteredAlert = `${entering.enteringFix.eventId}/AccidentSegmentEntered/${ids.segment}`;
    let sentAt = Date.now();
    expect(await postEvents(stack.ingestUrl, keys.ingest, entering.events)).toMatchObject({ rejected: 0 });
    const enteredText = await desk.waitForAlert(enteredAlert, 5_000);
    expect(Date.now() - sentAt).toBeLessThan(5_000);
    expect(enteredText).toContain(plates[ids.laden]);
    expect(enteredText).toContain('G104');

    // Out of the segment, then 11 minutes stopped at the roadside, laden, outside every lot
    // (event time is in the payload: the 600 s threshold is crossed by fixes posted at once).
    const parking = parkIllegally(now - 18 * minute);
    const parkingAlert = `${parking.crossingFix.eventId}/IllegalParkingStarted`;
    sentAt = Date.now();
    expect(await postEvents(stack.ingestUrl, keys.ingest, [...driveOutOfSegment(now - 21 * minute), ...parking.events])).toMatchObject({ rejected: 0 });
    const parkingText = await desk.waitForAlert(parkingAlert, 5_000);
    expect(Date.now() - sentAt).toBeLessThan(5_000);
    expect(parkingText).toContain(plates[ids.laden]);
    // The parking is a violation; the laden passage an advisory, in its own list.
    expect((await desk.alertIds('violation'))[0]).toBe(parkingAlert);
    expect(await desk.alertIds('advisory')).toContain(enteredAlert);
    expect(await desk.alertIds('violation')).not.toContain(enteredAlert);

    // The same detections in the API (and so in the desk's tables): the parking a violation, the passage an advisory.
    const violations = await eventually('the violation in /v1/violations', async () => {
      const page = await getJson<{ items: ViolationView[] }>(`${stack.apiUrl}/v1/violations`, keys.bureau);
      return page.items.length === 1 ? page.items : undefined;
    });
    expect(violations.map((v) => [v.violationId, v.kind, v.vehicleId, v.carrierId])).toEqual([[parkingAlert, 'illegal-parking', ids.laden, ids.acme]]);
    const advisories = await getJson<{ items: AdvisoryView[] }>(`${stack.apiUrl}/v1/advisories`, keys.bureau);
    expect(advisories.items.map((a) => [a.advisoryId, a.kind, a.laden, a.carrierId])).toEqual([[enteredAlert, 'segment-passage', true, ids.acme]]);
    expect(await desk.violationIds()).toEqual([parkingAlert]);
    expect(await desk.advisoryIds()).toEqual([enteredAlert]);
    expect(await desk.vehicleIdsOnMap()).toContain(ids.laden);
    expect(await desk.ladenVehicleIdsOnMap()).toEqual([ids.laden]);
    expect(await desk.screenshot('pipeline-dashboard.png')).toMatch(/tests\/artifacts\/pipeline-dashboard\.png$/);
    expect(desk.problems()).toEqual([]);
  });
});
