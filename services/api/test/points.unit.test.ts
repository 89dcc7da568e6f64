import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './apiTestKit.ts';
import { type Clock, type ErrorBody, penalisedCase, photo, requests, testClock } from './support/caseFlow.ts';

let api: TestApi;
let clock: Clock;
const r = requests(() => api.app);
beforeEach(async () => {
  clock = testClock();
  api = await startTestApi({ app: { now: () => clock.now() } });
});
afterEach(async () => api.close());

interface Ledger {
  carrierId: string;
  asOf: string;
  outstanding: number;
  standing: string;
  thresholds: { yellow: number; red: number };
  entries: { entryId: string; caseId: string; points: number; remaining: number; expiresAt: string }[];
  actions: { actionId: string; cleared: { points: number } | null }[];
  history: { type: string; delta: number; total: number }[];
}

const ledger = async (carrierId = 'C1') => (await r.get(`/v1/carriers/${carrierId}/points`, 'bureau')).json<Ledger>();
const submit = async (role: 'carrier:C1' | 'carrier:C2' = 'carrier:C1', body: Record<string, unknown> = {}) => r.post('/v1/carriers/C1/points/corrective-actions', role, { action: 'driver-change', description: 'The driver was replaced.', ...body });

describe('GET /v1/carriers/:id/points', () => {
  it('answers an empty green ledger for a carrier with no points, with the thresholds and the server time', async () => {
    expect(await ledger('C3')).toEqual({ carrierId: 'C3', asOf: clock.now().toISOString(), outstanding: 0, standing: 'green', thresholds: { yellow: 6, red: 12 }, entries: [], actions: [], history: [] });
  });

  it('records the catalogue’s default points for a penalty in the carrier’s ledger (illegal parking: 3), live for 12 months', async () => {
    const caseId = await penalisedCase(r, clock);
    const l = await ledger();
    expect(l).toMatchObject({ outstanding: 3, standing: 'green', entries: [{ entryId: `${caseId}:1`, caseId, points: 3, remaining: 3, expiresAt: '2027-03-05T10:00:00.000Z' }] });
    // Nothing recorded to the other carrier.
    expect((await ledger('C2')).entries).toEqual([]);
  });

  it('turns red at 12 points and lets them expire after the validity period (the history shows the expiry)', async () => {
    await penalisedCase(r, clock, { points: 12, pointsReason: 'third offence this quarter' });
    expect((await ledger()).standing).toBe('red');
    clock.set('2027-03-06T00:00:00Z');
    const later = await ledger();
    expect(later).toMatchObject({ outstanding: 0, standing: 'green' });
    expect(later.history.map((h) => [h.type, h.total])).toEqual([
      ['recorded', 12],
      ['expired', 0],
    ]);
  });
});

describe('corrective actions and clearing', () => {
  it('never clears more than outstanding, nor the same action twice, nor zero points', async () => {
    await penalisedCase(r, clock);
    const { actionId } = (await submit()).json<{ actionId: string }>();
    const tooMany = await r.post('/v1/carriers/C1/points/clear', 'bureau', { actionId, points: 4 });
    expect(tooMany.statusCode).toBe(409);
    expect(tooMany.json<ErrorBody>().error.message).toMatch(/^points-exceed-outstanding: /);
    const zero = await r.post('/v1/carriers/C1/points/clear', 'bureau', { actionId, points: 0 });
    expect(zero.statusCode).toBe(400);
    expect(zero.json<ErrorBody>().error.details).toEqual([{ path: 'body.points', message: expect.any(String) }]);
    expect((await r.post('/v1/carriers/C1/points/clear', 'bureau', { actionId, points: 2 })).json<Ledger>().outstanding).toBe(1);
    const twice = await r.post('/v1/carriers/C1/points/clear', 'bureau', { actionId, points: 1 });
    expect(twice.statusCode).toBe(409);
    expect(twice.json<ErrorBody>().error.message).toMatch(/^action-already-cleared: /);
    const unknown = await r.post('/v1/carriers/C1/points/clear', 'bureau', { actionId: 'A-NOPE', points: 1 });
    expect(unknown.json<ErrorBody>().error.message).toMatch(/^action-not-found: /);
    expect((await ledger()).outstanding).toBe(1);
  });

  it('takes a corrective action with an uploaded attachment, serves it to those who may see the ledger, and refuses one citing a file nobody uploaded', async () => {
    const file = (await r.upload('carrier:C1', photo, 'image/jpeg')).json<{ sha256: string; size: number; type: string }>();
    const ok = await submit('carrier:C1', { attachments: [{ ...file, name: 'training-certificate.jpg' }] });
    expect(ok.statusCode).toBe(201);
    expect(ok.json<{ ledger: Ledger }>().ledger.actions).toEqual([expect.objectContaining({ attachments: 1, cleared: null })]);
    // Downloadable by those who may see the ledger, under the name it was cited with.
    const url = `/v1/carriers/C1/points/attachments/${file.sha256}`;
    const download = await r.get(url, 'bureau');
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('image/jpeg');
    expect(download.headers['content-disposition']).toContain('filename="training-certificate.jpg"');
    expect([...download.rawPayload]).toEqual([...photo]);
    expect((await r.get(url, 'carrier:C1')).statusCode).toBe(200);
    expect((await r.get(url, 'carrier:C2')).statusCode).toBe(404);
    expect((await r.get(`/v1/carriers/C2/points/attachments/${file.sha256}`, 'bureau')).statusCode).toBe(404);
    const missing = await submit('carrier:C1', { attachments: [{ sha256: 'b'.repeat(64), name: 'x.jpg', type: 'image/jpeg', size: 3 }] });
    expect(missing.statusCode).toBe(400);
    expect(missing.json<ErrorBody>().error.details?.[0]?.path).toBe('body.attachments.0.sha256');
  });

  it('answers another carrier 404 on the ledger and on submitting to it, recording nothing', async () => {
    await penalisedCase(r, clock);
    const read = await r.get('/v1/carriers/C1/points', 'carrier:C2');
    expect(read.statusCode).toBe(404);
    expect(read.json<ErrorBody>().error.message).toBe('no such ledger');
    expect((await submit('carrier:C2')).statusCode).toBe(404);
    expect((await ledger()).actions).toEqual([]);
    expect((await r.get('/v1/carriers/C2/points', 'carrier:C2')).statusCode).toBe(200);
  });

  it('refuses a corrective action’s unknown action type with the field’s path', async () => {
    const res = await submit('carrier:C1', { action: 'prayer' });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.details?.[0]?.path).toBe('body.action');
  });
});
