import { auditStream } from '@dgt/events';
import { vehicleStream } from '@dgt/eventstore';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './apiTestKit.ts';
import { caseWithEvidence, type Clock, requests, testClock } from './support/caseFlow.ts';

/*
 * Issue #17 item 7: the evidence a case froze is reproduced byte for byte by an audit of the same
 * selection and thresholds (`verify` replays it twice and compares) — the case's report digest is
 * the audit's, so anyone can re-run it from the record and get the same file.
 */

let api: TestApi;
let clock: Clock;
const r = requests(() => api.app);
beforeEach(async () => {
  clock = testClock();
  api = await startTestApi({ app: { now: () => clock.now() } });
});
afterEach(async () => api.close());

describe('frozen evidence and audits', () => {
  it('an audit of the frozen selection, verified, gives the frozen report digest and no difference', async () => {
    const caseId = await caseWithEvidence(r, clock);
    const detail = (await r.get(`/v1/cases/${caseId}`, 'enforcement')).json<{ history: { type: string; data: Record<string, unknown> }[] }>();
    const frozen = detail.history.find((h) => h.type === 'EvidenceFrozen')!.data as { selection: { vehicleIds: string[]; from: string; to: string; recordedUpTo: string }; thresholds: Record<string, number>; reportDigest: string; inputs: { sha256: string } };
    clock.advanceHours(30 * 24);
    const selection = { vehicles: frozen.selection.vehicleIds, from: frozen.selection.from, to: frozen.selection.to, recordedUpTo: frozen.selection.recordedUpTo };
    const audit = await r.post('/v1/audits', 'enforcement', { ...selection, thresholds: frozen.thresholds, verify: true });
    expect(audit.statusCode, audit.body).toBe(200);
    const body = audit.json<{ auditId: string; verifyDifferences: number; report: { digest: { sha256: string } } }>();
    expect(body.verifyDifferences).toBe(0);
    expect(body.report.digest.sha256).toBe(frozen.inputs.sha256);
    // The same run without `verify` (whose section the report then carries) is the frozen file itself.
    const plain = await r.post('/v1/audits', 'enforcement', { ...selection, thresholds: frozen.thresholds });
    const plainId = plain.json<{ auditId: string }>().auditId;
    const runs: { data: { auditId: string; reportSha256: string } }[] = [];
    for await (const e of api.store.readStream(auditStream)) runs.push(e.event as unknown as { data: { auditId: string; reportSha256: string } });
    expect(runs.find((e) => e.data.auditId === plainId)?.data.reportSha256).toBe(frozen.reportDigest);
  });

  it('freezes the store position it read up to, so a late fix of the case window arriving afterwards changes nothing in an audit pinned to it', async () => {
    const caseId = await caseWithEvidence(r, clock);
    const detail = (await r.get(`/v1/cases/${caseId}`, 'enforcement')).json<{ history: { type: string; data: Record<string, unknown> }[] }>();
    type Frozen = { selection: { vehicleIds: string[]; from: string; to: string; recordedUpTo?: string }; thresholds: Record<string, number>; reportDigest: string; inputs: { sha256: string; events: number } };
    const frozen = detail.history.find((h) => h.type === 'EvidenceFrozen')!.data as Frozen;
    // The memory store's positions are sequence numbers.
    expect(frozen.selection.recordedUpTo).toMatch(/^[1-9]\d*$/);
    const vehicleId = frozen.selection.vehicleIds[0]!;
    // A terminal uploads a fix it buffered in a tunnel: inside the case window, recorded only now.
    const mid = new Date((Date.parse(frozen.selection.from) + Date.parse(frozen.selection.to)) / 2).toISOString();
    await api.store.append(vehicleStream(vehicleId), [{ eventId: `late-${vehicleId}`, type: 'VehiclePositionReported', occurredAt: mid, data: { vehicleId, lon: 121.43, lat: 28.66, speedKmh: 0 } }]);
    const ask = (pinned: boolean) =>
      r.post('/v1/audits', 'enforcement', { vehicles: frozen.selection.vehicleIds, from: frozen.selection.from, to: frozen.selection.to, thresholds: frozen.thresholds, ...(pinned ? { recordedUpTo: frozen.selection.recordedUpTo } : {}) });
    const pinned = await ask(true);
    expect(pinned.statusCode, pinned.body).toBe(200);
    expect(pinned.json<{ report: { digest: { sha256: string; events: number } } }>().report.digest).toMatchObject({ sha256: frozen.inputs.sha256, events: frozen.inputs.events });
    const runs: { data: { auditId: string; reportSha256: string } }[] = [];
    for await (const e of api.store.readStream(auditStream)) runs.push(e.event as unknown as { data: { auditId: string; reportSha256: string } });
    expect(runs.find((e) => e.data.auditId === pinned.json<{ auditId: string }>().auditId)?.data.reportSha256).toBe(frozen.reportDigest);
    // Unpinned, the same selection reads the late fix too: another input, another report.
    const unpinned = (await ask(false)).json<{ report: { digest: { sha256: string; events: number } } }>();
    expect(unpinned.report.digest.events).toBe(frozen.inputs.events + 1);
    expect(unpinned.report.digest.sha256).not.toBe(frozen.inputs.sha256);
  });

  it('refuses an audit pinned to a position the store never handed out, naming the field', async () => {
    const res = await r.post('/v1/audits', 'enforcement', { vehicles: ['V1'], from: '2026-03-05T08:00:00Z', to: '2026-03-05T09:00:00Z', recordedUpTo: 'yesterday' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('recordedUpTo');
  });
});
