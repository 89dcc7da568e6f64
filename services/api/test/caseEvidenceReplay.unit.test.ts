import { auditStream } from '@dgt/events';
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
    const frozen = detail.history.find((h) => h.type === 'EvidenceFrozen')!.data as { selection: { vehicleIds: string[]; from: string; to: string }; thresholds: Record<string, number>; reportDigest: string; inputs: { sha256: string } };
    clock.advanceHours(30 * 24);
    const audit = await r.post('/v1/audits', 'enforcement', { vehicles: frozen.selection.vehicleIds, from: frozen.selection.from, to: frozen.selection.to, thresholds: frozen.thresholds, verify: true });
    expect(audit.statusCode, audit.body).toBe(200);
    const body = audit.json<{ auditId: string; verifyDifferences: number; report: { digest: { sha256: string } } }>();
    expect(body.verifyDifferences).toBe(0);
    expect(body.report.digest.sha256).toBe(frozen.inputs.sha256);
    // The same run without `verify` (whose section the report then carries) is the frozen file itself.
    const plain = await r.post('/v1/audits', 'enforcement', { vehicles: frozen.selection.vehicleIds, from: frozen.selection.from, to: frozen.selection.to, thresholds: frozen.thresholds });
    const plainId = plain.json<{ auditId: string }>().auditId;
    const runs: { data: { auditId: string; reportSha256: string } }[] = [];
    for await (const e of api.store.readStream(auditStream)) runs.push(e.event as unknown as { data: { auditId: string; reportSha256: string } });
    expect(runs.find((e) => e.data.auditId === plainId)?.data.reportSha256).toBe(frozen.reportDigest);
  });
});
