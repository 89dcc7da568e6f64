import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clockStream, detectionsStream, openSqliteEventStore } from '@dgt/eventstore';
import type { AdvisoryView, FleetVehicle } from '@dgt/readmodels';
import { startStack, type Stack } from '@dgt/stack';
import { afterEach, describe, expect, it } from 'vitest';
import { driveIntoSegment, driveOutOfSegment, eventually, fix, getJson, ids, postEvents, setupEvents, testKeys, waitForReference } from './scenario.ts';

const { keys, entries } = testKeys();
const dirs: string[] = [];
const running: Stack[] = [];

function tmpData(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dgt-stack-restart-'));
  dirs.push(dir);
  return dir;
}

async function start(dataDir: string): Promise<Stack> {
  const stack = await startStack({ dataDir, apiPort: 0, ingestPort: 0, apiKeys: entries, logLevel: 'silent', defaultMetrics: false, projector: { flushIntervalMs: 50 } });
  running.push(stack);
  return stack;
}

async function stop(stack: Stack): Promise<void> {
  running.splice(running.indexOf(stack), 1);
  await stack.stop();
}

afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Segment passages are advisories (issue 15): the laden passage of this story is one, never a violation. */
const advisories = (stack: Stack) => getJson<{ items: AdvisoryView[] }>(`${stack.apiUrl}/v1/advisories`, keys.bureau).then((p) => p.items);
const violationCount = (stack: Stack) => getJson<{ items: unknown[] }>(`${stack.apiUrl}/v1/violations`, keys.bureau).then((p) => p.items.length);
const fleet = (stack: Stack) => getJson<{ items: FleetVehicle[] }>(`${stack.apiUrl}/v1/fleet`, keys.bureau).then((p) => p.items);

async function storeContents(dataDir: string): Promise<{ ids: string[]; detections: string[] }> {
  const store = openSqliteEventStore({ path: join(dataDir, 'events.sqlite') });
  try {
    const all: string[] = [];
    // ClockTicked events depend on how many wall-clock minutes turned during the run.
    for await (const r of store.readAll()) if (r.streamId !== clockStream) all.push(r.event.eventId);
    const detections: string[] = [];
    for await (const r of store.readStream(detectionsStream(ids.laden))) detections.push(r.event.type);
    return { ids: all, detections };
  } finally {
    await store.close();
  }
}

describe('npm start stack: stop and start again on the same data directory', () => {
  it('resumes from the projector checkpoint with read models intact and detects nothing twice', async () => {
    const dataDir = tmpData();
    const now = Date.now();
    const setup = setupEvents(now);
    const entering = driveIntoSegment(now - 10 * 60_000);

    const first = await start(dataDir);
    expect(await postEvents(first.ingestUrl, keys, setup.reference)).toMatchObject({ rejected: 0 });
    await waitForReference(first.apiUrl, keys.bureau);
    expect(await postEvents(first.ingestUrl, keys.ingest, [...setup.fixes, ...entering.events])).toMatchObject({ rejected: 0 });
    const open = await eventually('the laden passage to open an advisory', async () => {
      const v = await advisories(first);
      return v.length === 1 && v[0]?.status === 'open' ? v[0] : undefined;
    });
    expect(open).toMatchObject({ kind: 'segment-passage', laden: true, vehicleId: ids.laden, carrierId: ids.acme, zoneId: ids.segment, waybillNo: ids.waybill });
    expect(await violationCount(first)).toBe(0);
    await stop(first);
    const checkpoint = first.projector.checkpoint();
    expect(checkpoint).not.toBeNull();

    const second = await start(dataDir);
    // Resumed, not rebuilt: the checkpoint and the views are there before anything new arrives.
    expect(second.projector.checkpoint()).toBe(checkpoint);
    expect((await fleet(second)).map((v) => v.vehicleId).sort()).toEqual([ids.laden, ids.empty, ids.other].sort());
    expect((await advisories(second)).map((v) => [v.advisoryId, v.status])).toEqual([[open.advisoryId, 'open']]);

    // A gateway retrying everything it sent before, then the rest of the passage.
    const again = await postEvents(second.ingestUrl, keys, [...setup.all, ...entering.events, ...driveOutOfSegment(now - 8 * 60_000)]);
    expect(again).toMatchObject({ rejected: 0 });
    const closed = await eventually('the passage to close', async () => {
      const v = await advisories(second);
      return v.length === 1 && v[0]?.status === 'closed' ? v[0] : undefined;
    });
    expect(closed.advisoryId).toBe(open.advisoryId);
    const laden = await eventually('the vehicle out of the segment in the fleet view', async () => {
      const v = (await fleet(second)).find((x) => x.vehicleId === ids.laden);
      return v?.zones.length === 0 ? v : undefined;
    });
    expect(laden).toMatchObject({ laden: true, waybillNo: ids.waybill, openViolations: [] });
    await stop(second);

    const contents = await storeContents(dataDir);
    expect(contents.detections).toEqual(['AccidentSegmentEntered', 'AccidentSegmentExited']);
    expect(new Set(contents.ids).size).toBe(contents.ids.length);
    expect(contents.ids.length).toBe(setup.all.length + entering.events.length + 2 + 2);
  });

  it('records every event the gateway accepted even when stopped right after the answer', async () => {
    const dataDir = tmpData();
    const stack = await start(dataDir);
    const t0 = Date.now() - 3_600_000;
    const burst = Array.from({ length: 3_000 }, (_, i) => fix(`V-BURST-${i % 50}`, t0 + Math.floor(i / 50) * 30_000, 121.2 + (i % 50) * 0.001, 28.5, 30));
    expect(await postEvents(stack.ingestUrl, keys.ingest, burst)).toEqual(expect.objectContaining({ accepted: burst.length, rejected: 0 }));
    await stop(stack);
    const contents = await storeContents(dataDir);
    expect(contents.ids.length).toBe(burst.length);
  });
});
