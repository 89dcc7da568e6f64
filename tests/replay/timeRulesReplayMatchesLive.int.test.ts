import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { defaultDetectionConfig } from '@dgt/detection';
import { type DgtEvent, epochMs, parseNdjsonLine } from '@dgt/events';
import { clockStream, detectionsStream } from '@dgt/eventstore';
import { normaliseSelection, runReplay, storeSource } from '@dgt/replay';
import { startStack, type Stack } from '@dgt/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testKeys } from '../pipeline-dashboard/scenario.ts';
import { tempDir } from './support/seedStore.ts';

/*
 * Issue 16: "`dgt replay --vehicle X --verify` on a live store agrees with the projector for all
 * new types." The time-rule scenarios (fatigue, rests, offline terminals, route deviations, late
 * and duplicate fixes) go through the pipeline as `npm start` runs it — ingest HTTP → bus →
 * recorder → SQLite store → projector, which records its detections — and each vehicle is then
 * replayed alone with --verify. The recorder's own wall-clock ticks are off: the test writes the
 * record's clock itself, each tick appended once everything posted before it is recorded, as the
 * recorder would have appended it live.
 */

const scenariosDir = new URL('../scenarios/', import.meta.url).pathname;
/*
 * One record, one clock: a scenario's ticks earlier than the clock already recorded change
 * nothing. So the order: 35 ticks to 08:32; 33's vehicles, silent since 08:10, then go offline at
 * its first later tick (08:33); 34 (last fixes 08:12) comes after every tick.
 */
const scenarios = [
  '31-fatigue-after-four-hours-and-a-rest-of-exactly-twenty-minutes',
  '32-report-gap-in-place-is-a-rest-a-gap-that-moved-is-not',
  '35-late-and-duplicate-fixes-during-a-deviation-and-while-offline',
  '33-offline-at-the-deadline-tick-and-back-far-away',
  '34-route-deviation-needs-three-fixes-off-and-reads-gcj02-routes',
];
const newTypes = ['FatigueDrivingStarted', 'FatigueDrivingEnded', 'TerminalOffline', 'TerminalOnline', 'RouteDeviationStarted', 'RouteDeviationEnded'];

const { keys, entries } = testKeys();
let dataDir: string;
let stack: Stack;

/** Scenario `n`'s events with its vehicle and waybill ids prefixed, so five scenarios share one store. */
function scenarioEvents(name: string, prefix: string): DgtEvent[] {
  const text = readFileSync(join(scenariosDir, name, 'input.ndjson'), 'utf8');
  const renamed = text.replace(/"(V\d+|WB-[A-Z0-9]+)/g, `"${prefix}$1`);
  return renamed
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const r = parseNdjsonLine(l);
      if (!r.ok) throw new Error(`${name}: ${l}`);
      return r.event;
    });
}

async function post(events: readonly DgtEvent[]): Promise<void> {
  const res = await fetch(`${stack.ingestUrl}/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${keys.ingest}`, 'content-type': 'application/json' },
    body: JSON.stringify(events),
  });
  const body = (await res.json()) as { rejected?: number };
  expect(res.status, JSON.stringify(body)).toBe(202);
  expect(body.rejected ?? 0, JSON.stringify(body).slice(0, 800)).toBe(0);
}

/** Until the store holds every id (the recorder has recorded what ingest acknowledged). */
async function recorded(ids: readonly string[]): Promise<void> {
  const want = new Set(ids);
  for (let i = 0; ; i++) {
    for await (const r of stack.store.readAll()) want.delete(r.event.eventId);
    if (want.size === 0) return;
    if (i > 600) throw new Error(`not recorded: ${[...want].slice(0, 5).join(', ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function projectorCaughtUp(): Promise<void> {
  for (let i = 0; ; i++) {
    const checkpoint = stack.projector.checkpoint();
    let newer = false;
    if (checkpoint !== null) for await (const _ of stack.store.readAll({ fromPosition: checkpoint as never, maxCount: 1 })) newer = true;
    if (checkpoint !== null && !newer) return;
    if (i > 2_400) throw new Error('the projector did not catch up');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const vehicles: string[] = [];

beforeAll(async () => {
  dataDir = tempDir('dgt-time-rules-live-');
  stack = await startStack({
    dataDir, apiPort: 0, ingestPort: 0, apiKeys: entries, logLevel: 'silent', defaultMetrics: false, projector: { flushIntervalMs: 50 },
    // Just after the scenarios' morning: their fixes are neither old nor ahead of it.
    ingestNow: () => new Date(epochMs('2026-03-02T13:00:00+08:00')),
    clockTickMs: 0,
  });
  for (const name of scenarios) {
    const events = scenarioEvents(name, `S${name.slice(0, 2)}-`);
    for (const e of events) if ('vehicleId' in e.data && typeof e.data.vehicleId === 'string' && !vehicles.includes(e.data.vehicleId)) vehicles.push(e.data.vehicleId);
    // Runs of posted events between ticks, in the scenario's order.
    let run: DgtEvent[] = [];
    const flush = async () => {
      if (run.length === 0) return;
      await post(run);
      await recorded(run.map((e) => e.eventId));
      run = [];
    };
    for (const e of events) {
      if (e.type !== 'ClockTicked') {
        // A repeated delivery goes in a later request, as a terminal's retry would (ingest refuses a repeat within one batch).
        if (run.some((r) => r.eventId === e.eventId)) await flush();
        run.push(e);
        continue;
      }
      await flush();
      await stack.store.append(clockStream, [e]);
    }
    await flush();
  }
  await projectorCaughtUp();
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
});

describe('time rules: replay of each vehicle agrees with the live projector (full pipeline)', () => {
  it('records every new detection type live, and `replay --vehicle X --verify` recomputes each vehicle identically', async () => {
    const liveTypes = new Set<string>();
    let matched = 0;
    for (const vehicleId of vehicles) {
      for await (const r of stack.store.readStream(detectionsStream(vehicleId))) liveTypes.add(r.event.type);
      const { report } = await runReplay({ selection: normaliseSelection({ vehicles: [vehicleId] }), thresholds: defaultDetectionConfig, verify: true }, storeSource(stack.store));
      expect(report.verify?.differences, vehicleId).toEqual([]);
      matched += (report.verify?.byCategory.violation.matched ?? 0) + (report.verify?.byCategory.advisory.matched ?? 0);
    }
    expect([...liveTypes].filter((t) => newTypes.includes(t)).sort()).toEqual([...newTypes].sort());
    console.log(`time rules: ${matched} detections recomputed identically over ${vehicles.length} vehicles`);
    // Opening and closing detections of every scenario (the scenarios' expected outputs hold 15).
    expect(matched).toBeGreaterThanOrEqual(15);
  });

  it('lists offline as a violation while laden and as an advisory while only assigned, live', async () => {
    const list = async (path: string) => {
      const res = await fetch(`${stack.apiUrl}${path}?kind=terminal-offline&limit=100`, { headers: { authorization: `Bearer ${keys.bureau}` } });
      expect(res.status).toBe(200);
      return ((await res.json()) as { items: { vehicleId: string; laden: boolean; status: string }[] }).items;
    };
    const violations = await list('/v1/violations');
    const advisories = await list('/v1/advisories');
    expect(violations.map((v) => [v.vehicleId, v.laden, v.status]).sort()).toEqual([
      ['S33-V1', true, 'closed'],
      ['S35-V1', true, 'closed'],
    ]);
    expect(advisories.map((a) => [a.vehicleId, a.laden, a.status])).toEqual([['S33-V3', false, 'open']]);
  });
});
