import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '@dgt/events';
import { detectionsStream, type RecordedEvent } from '@dgt/eventstore';
import type { AdvisoryView } from '@dgt/readmodels';
import { startStack, type Stack } from '@dgt/stack';
import { afterEach, describe, expect, it } from 'vitest';
import { driveIntoSegment, eventually, fix, getJson, ids, postEvents, setupEvents, testKeys, waitForReference } from './scenario.ts';

/*
 * Issue 14: a client posted a position under the id the engine would give a detection
 * (`<fix id>/AccidentSegmentEntered/<zone>`); the store, idempotent on eventId, then dropped the
 * real detection as a duplicate and replay --verify reported it missing.
 */

const { keys, entries } = testKeys();
let stack: Stack | undefined;
let dataDir: string | undefined;

afterEach(async () => {
  await stack?.stop();
  stack = undefined;
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
});

interface ItemAnswer {
  status: string;
  reason?: string;
  errors?: { path: string; message: string }[];
}

describe('a detection id squatted by a client', () => {
  it('is refused at the gateway, and the real detection reaches the store and the API under its id', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dgt-squat-'));
    stack = await startStack({ dataDir, apiPort: 0, ingestPort: 0, apiKeys: entries, logLevel: 'silent', defaultMetrics: false, projector: { flushIntervalMs: 50 } });
    const now = Date.now();
    const setup = setupEvents(now);
    expect(await postEvents(stack.ingestUrl, keys, setup.reference)).toMatchObject({ rejected: 0 });
    await waitForReference(stack.apiUrl, keys.bureau);

    const entering = driveIntoSegment(now - 10 * 60_000);
    const detectionId = `${entering.enteringFix.eventId}/AccidentSegmentEntered/${ids.segment}`;
    // Posted first, as an ordinary fix of another vehicle, long before the laden one gets there.
    const squatter = { ...fix(ids.other, now - 20 * 60_000, 121.2, 28.45, 40), eventId: detectionId };
    const res = await fetch(`${stack.ingestUrl}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': keys.ingest },
      body: JSON.stringify([squatter]),
    });
    const answer = (await res.json()) as { accepted: number; results: ItemAnswer[] };
    expect(answer.accepted).toBe(0);
    expect(answer.results[0]).toMatchObject({ status: 'rejected', reason: 'invalid', errors: [{ path: 'eventId', message: expect.stringContaining('derived by dgt') }] });

    expect(await postEvents(stack.ingestUrl, keys.ingest, [...setup.fixes, ...entering.events])).toMatchObject({ rejected: 0 });
    const detection = await eventually('the segment entry in the detections stream', async () => {
      const recorded: RecordedEvent[] = [];
      for await (const r of stack!.store.readStream(detectionsStream(ids.laden))) recorded.push(r);
      return recorded.find((r) => r.event.eventId === detectionId);
    });
    expect(detection.event).toMatchObject({ type: 'AccidentSegmentEntered', data: { vehicleId: ids.laden, zoneId: ids.segment } });
    // The only event under that id is the engine's.
    const underId = await stack.store.recordedJson!([detectionId]);
    expect(underId.get(detectionId)).toBe(canonicalJson(detection.event));
    const passages = await eventually('the open passage (an advisory) in the API', async () => {
      const v = (await getJson<{ items: AdvisoryView[] }>(`${stack!.apiUrl}/v1/advisories`, keys.bureau)).items;
      return v.length === 1 ? v : undefined;
    });
    expect(passages[0]).toMatchObject({ advisoryId: detectionId, kind: 'segment-passage', vehicleId: ids.laden, zoneId: ids.segment });
  });
});
