import { rmSync } from 'node:fs';
import { defaultDetectionConfig, violationKinds, type Occurrence } from '@dgt/detection';
import { epochMs, registryEventTypes } from '@dgt/events';
import type { Position } from '@dgt/eventstore';
import type { AdvisoryView, ViolationView } from '@dgt/readmodels';
import { normaliseSelection, runReplay, storeSource } from '@dgt/replay';
import { HttpIngestSink, pump, simulate } from '@dgt/simulator';
import { startStack, type Stack } from '@dgt/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, testKeys } from '../pipeline-dashboard/scenario.ts';
import { tempDir } from './support/seedStore.ts';

/*
 * Issue 15: "For any window, replay and /v1/violations list the same violations." A simulated
 * fleet day (illegal parking, restricted entries, overspeed, fatigue, route deviations, segment
 * passages) goes through the
 * whole pipeline as `npm start` runs it — ingest HTTP → embedded bus → recorder → SQLite event
 * store → projector → read models → API — and `dgt replay`'s `runReplay` then re-derives windows
 * of that record: whole day, quarters of it, and windows cut through the middle of violations.
 * Both lists must hold the same rows, field for field.
 */

const { keys, entries } = testKeys();
const DAY = '2026-03-02';
const at = (hhmm: string, day = DAY) => `${day}T${hhmm}:00+08:00`;
let dataDir: string;
let stack: Stack;

/** The stack's ingest clock: just after the simulated day, so its fixes are neither old nor ahead. */
const ingestNow = () => new Date(epochMs(at('01:00', '2026-03-03')));
const start = () =>
  startStack({ dataDir, apiPort: 0, ingestPort: 0, apiKeys: entries, logLevel: 'silent', defaultMetrics: false, projector: { flushIntervalMs: 50 }, ingestNow });

/** Every page of a listing, as a client reads it. */
async function listAll<T>(path: string, from: string, to: string): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ from, to, limit: '1000', ...(cursor === null ? {} : { cursor }) });
    const page: { items: T[]; nextCursor: string | null } = await getJson(`${stack.apiUrl}${path}?${query}`, keys.bureau);
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return out;
}

/** Until the projector has read everything in the store (its own detections included). */
async function projectorCaughtUp(): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const checkpoint = stack.projector.checkpoint();
    let newer = false;
    // The projector's checkpoint is the store position of the last event it committed.
    if (checkpoint !== null) for await (const _ of stack.store.readAll({ fromPosition: checkpoint as Position, maxCount: 1 })) newer = true;
    if (checkpoint !== null && !newer) return;
    if (Date.now() > deadline) throw new Error('the projector did not catch up in 2 minutes');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The fields a violation or an advisory has in both lists (the carrier is the live register's own matter). */
function comparable(o: Pick<Occurrence, Exclude<keyof Occurrence, 'id' | 'detectionIds' | 'category' | 'carrierId'>> & { id: string; detectionIds: readonly string[] }) {
  return {
    id: o.id,
    kind: o.kind,
    severity: o.severity,
    vehicleId: o.vehicleId,
    zoneId: o.zoneId,
    rule: o.rule,
    waybillNo: o.waybillNo,
    laden: o.laden,
    startedAt: o.startedAt,
    since: o.since,
    endedAt: o.endedAt,
    durationS: o.durationS,
    lon: o.lon,
    lat: o.lat,
    speedKmh: o.speedKmh,
    limitKmh: o.limitKmh,
    maxSpeedKmh: o.maxSpeedKmh,
    interpolated: o.interpolated,
    evidence: [...o.evidence],
    detectionIds: [...o.detectionIds],
  };
}

const fromLive = (v: ViolationView | AdvisoryView) => comparable({ ...v, id: 'violationId' in v ? v.violationId : v.advisoryId, detectionIds: v.detectionEventIds });
const byId = <T extends { id: string }>(rows: readonly T[]) => [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

async function compareWindow(from: string, to: string): Promise<{ violations: number; advisories: number }> {
  const { report } = await runReplay({ selection: normaliseSelection({ from, to }), thresholds: defaultDetectionConfig }, storeSource(stack.store));
  const liveViolations = await listAll<ViolationView>('/v1/violations', from, to);
  const liveAdvisories = await listAll<AdvisoryView>('/v1/advisories', from, to);
  expect(byId(report.violations.map(comparable)), `violations ${from} – ${to}`).toEqual(byId(liveViolations.map(fromLive)));
  expect(byId(report.advisories.map(comparable)), `advisories ${from} – ${to}`).toEqual(byId(liveAdvisories.map(fromLive)));
  return { violations: liveViolations.length, advisories: liveAdvisories.length };
}

beforeAll(async () => {
  dataDir = tempDir('dgt-replay-live-');
  stack = await start();
  // Twelve vehicles of the seed fleet for a day: every kind of violation, and passages, occurs.
  const sim = simulate({ seed: 'replay-live', vehicles: 12, days: 1, start: DAY });
  const registry = new HttpIngestSink({ url: stack.ingestUrl, apiKey: keys.registry, batchSize: 1000 });
  const ingest = new HttpIngestSink({ url: stack.ingestUrl, apiKey: keys.ingest, batchSize: 1000 });
  const registryTypes = new Set<string>(registryEventTypes);
  const reference = [];
  const rest = [];
  for (const m of sim.messages) {
    if (m.kind === 'event' && registryTypes.has(m.event.type)) await registry.write(m);
    else if (m.kind === 'event' && m.event.type === 'ZoneDesignated') reference.push(m);
    else rest.push(m);
  }
  await registry.close();
  // Zones first, projected before any fix: they travel on their own topic.
  await pump(reference, ingest, { speed: 'max', simStartMs: sim.startMs });
  const zones = new Set(reference.map((m) => (m.kind === 'event' ? (m.event.data as { zoneId: string }).zoneId : '')));
  for (let i = 0; (await getJson<{ items: unknown[] }>(`${stack.apiUrl}/v1/zones`, keys.bureau)).items.length < zones.size; i++) {
    if (i > 600) throw new Error('the zones were not projected');
    await new Promise((r) => setTimeout(r, 50));
  }
  const again = new HttpIngestSink({ url: stack.ingestUrl, apiKey: keys.ingest, batchSize: 1000 });
  await pump(rest, again, { speed: 'max', simStartMs: sim.startMs });
  // A clean stop waits for the recorder to record all the gateway acknowledged; the restarted
  // projector resumes from its checkpoint and projects the rest: the record is complete and fixed.
  await stack.stop();
  stack = await start();
  await projectorCaughtUp();
}, 300_000);

afterAll(async () => {
  await stack?.stop();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
});

describe('replay and the live desk list the same violations and advisories for any window (full pipeline, simulated fleet day)', () => {
  it('over the whole day, with every kind of violation and passages among them, and --verify finds no difference', async () => {
    const counts = await compareWindow(at('00:00'), at('00:00', '2026-03-03'));
    const kinds = new Set((await listAll<ViolationView>('/v1/violations', at('00:00'), at('00:00', '2026-03-03'))).map((v) => v.kind));
    // Every kind the fixes alone decide; an offline terminal needs the record's clock, which the
    // recorder ticks by wall-clock minutes (a minute may or may not turn during this run).
    expect([...kinds].filter((k) => k !== 'terminal-offline').sort()).toEqual(violationKinds.filter((k) => k !== 'terminal-offline').sort());
    expect(counts.advisories).toBeGreaterThan(0);
    const { report } = await runReplay({ selection: normaliseSelection({ from: at('00:00'), to: at('00:00', '2026-03-03') }), thresholds: defaultDetectionConfig, verify: true }, storeSource(stack.store));
    expect(report.verify?.differences).toEqual([]);
    expect(report.verify?.byCategory.violation.matched).toBeGreaterThan(0);
  }, 120_000);

  it('over windows that split the day at odd times', async () => {
    for (const [from, to] of [
      [at('00:00'), at('07:35')],
      [at('07:35'), at('11:20')],
      [at('11:20'), at('16:45')],
      [at('16:45'), at('00:00', '2026-03-03')],
    ] as const) {
      await compareWindow(from, to);
    }
  }, 180_000);

  it('over windows cut through the middle of violations: one opening after a violation began, one closing before it ended', async () => {
    const day = await listAll<ViolationView>('/v1/violations', at('00:00'), at('00:00', '2026-03-03'));
    const long = day.filter((v) => v.endedAt !== null && epochMs(v.endedAt) - epochMs(v.startedAt) >= 120_000);
    expect(long.length).toBeGreaterThan(0);
    for (const kind of violationKinds) {
      const v = long.find((x) => x.kind === kind);
      if (v === undefined) continue;
      const mid = new Date((epochMs(v.startedAt) + epochMs(v.endedAt!)) / 2).toISOString();
      // From the middle: this violation started before the window (listed by neither); to the
      // middle: it is listed by both, with the end the live desk has.
      const after = await compareWindow(mid, at('00:00', '2026-03-03'));
      const before = await compareWindow(at('00:00'), mid);
      expect(after.violations + before.violations).toBe(day.length);
    }
  }, 240_000);
});
