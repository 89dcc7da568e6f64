import { afterEach, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, type TestRole } from './apiTestKit.ts';
import { type Clock, type ErrorBody, penalisedCase, requests, testClock } from './support/caseFlow.ts';

let api: TestApi;
let clock: Clock;
const r = requests(() => api.app);
async function start(casesConfig?: { pointsValidityMonths: number; standing: { yellow: number; red: number } }): Promise<void> {
  clock = testClock();
  api = await startTestApi({ app: { now: () => clock.now() }, ...(casesConfig === undefined ? {} : { config: { casesConfig } }) });
}
afterEach(async () => api.close());

interface Compliance {
  carrierId: string;
  status: string;
  openViolations: number;
  last30DaysTotal: number;
  points: {
    asOf: string;
    standing: string;
    outstanding: number;
    thresholds: { yellow: number; red: number };
    pointsValidityMonths: number;
    nextExpiryAt: string | null;
    history: { type: string; caseId?: string; actionId?: string; delta: number; total: number }[];
    historyTotal: number;
    ledgerPath: string;
  };
}

const compliance = async (carrierId = 'C1', role: TestRole = 'bureau') => {
  const res = await r.get(`/v1/carriers/${carrierId}/compliance`, role);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Compliance>();
};
const submitAction = async () => (await r.post('/v1/carriers/C1/points/corrective-actions', 'carrier:C1', { action: 'training', description: 'All drivers retrained on parking rules.' })).json<{ actionId: string }>().actionId;

describe('GET /v1/carriers/:id/compliance shows the points standing beside the verdict', () => {
  it('keeps the violations verdict and adds a green, empty standing for a carrier without points', async () => {
    await start();
    const c = await compliance('C1');
    expect(c).toMatchObject({ carrierId: 'C1', status: 'non-compliant', openViolations: 1, last30DaysTotal: 2 });
    expect(c.points).toEqual({
      asOf: clock.now().toISOString(),
      standing: 'green',
      outstanding: 0,
      thresholds: { yellow: 6, red: 12 },
      pointsValidityMonths: 12,
      nextExpiryAt: null,
      history: [],
      historyTotal: 0,
      ledgerPath: '/v1/carriers/C1/points',
    });
  });

  it('shows the points a penalty recorded, its standing and history, as of the API’s clock', async () => {
    await start();
    const caseId = await penalisedCase(r, clock, { points: 7, pointsReason: 'repeat offence' });
    const c = await compliance('C1');
    expect(c.points).toMatchObject({ asOf: clock.now().toISOString(), standing: 'yellow', outstanding: 7, nextExpiryAt: '2027-03-05T10:00:00.000Z', historyTotal: 1 });
    expect(c.points.history).toEqual([expect.objectContaining({ type: 'recorded', caseId, delta: 7, total: 7 })]);
    // The same verdict as the ledger's own route.
    const ledger = (await r.get(c.points.ledgerPath, 'bureau')).json<{ standing: string; outstanding: number }>();
    expect(ledger).toMatchObject({ standing: c.points.standing, outstanding: c.points.outstanding });
    // Another carrier's standing is untouched.
    expect((await compliance('C2')).points).toMatchObject({ standing: 'green', outstanding: 0, history: [] });
  });

  it('turns back to green once the bureau clears the points against a corrective action, the history showing each step', async () => {
    await start();
    const caseId = await penalisedCase(r, clock, { points: 7, pointsReason: 'repeat offence' });
    const actionId = await submitAction();
    expect((await r.post('/v1/carriers/C1/points/clear', 'bureau', { actionId, points: 7 })).statusCode).toBe(200);
    const c = await compliance('C1', 'carrier:C1');
    expect(c.points).toMatchObject({ standing: 'green', outstanding: 0, nextExpiryAt: null, historyTotal: 3 });
    expect(c.points.history.map((h) => [h.type, h.caseId ?? h.actionId, h.delta, h.total])).toEqual([
      ['recorded', caseId, 7, 7],
      ['action-submitted', actionId, 0, 7],
      ['cleared', actionId, -7, 0],
    ]);
  });

  it('carries the last 20 history rows and says how many there are in all', async () => {
    await start();
    await penalisedCase(r, clock);
    const actions: string[] = [];
    for (let i = 0; i < 21; i++) actions.push(await submitAction());
    const c = await compliance('C1');
    expect(c.points.historyTotal).toBe(22);
    expect(c.points.history).toHaveLength(20);
    expect(c.points.history.at(-1)).toMatchObject({ type: 'action-submitted', actionId: actions.at(-1) });
    expect(c.points.history[0]).toMatchObject({ type: 'action-submitted', actionId: actions[1] });
  });

  it('answers another carrier 404 (nothing about its points leaks) and lets a carrier read its own', async () => {
    await start();
    await penalisedCase(r, clock);
    const other = await r.get('/v1/carriers/C1/compliance', 'carrier:C2');
    expect(other.statusCode).toBe(404);
    expect(other.body).not.toContain('points');
    expect(other.json<ErrorBody>().error.code).toBe('NOT_FOUND');
    expect((await compliance('C1', 'carrier:C1')).points.outstanding).toBe(3);
  });
});

describe('the compliance response schema', () => {
  it('documents the points standing in OpenAPI beside the existing fields', async () => {
    await start();
    type Doc = { paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: { properties: Record<string, { properties?: Record<string, unknown> }>; required?: string[] } }> }> } }> };
    const doc = (await r.get('/docs/json', 'bureau')).json<Doc>();
    const schema = doc.paths['/v1/carriers/{id}/compliance']?.get.responses['200']?.content['application/json']?.schema;
    expect(Object.keys(schema?.properties ?? {})).toEqual(expect.arrayContaining(['status', 'reasons', 'openViolations', 'last30DaysByKind', 'vehiclesInViolation', 'rules', 'points']));
    expect(Object.keys(schema?.properties.points?.properties ?? {})).toEqual(expect.arrayContaining(['standing', 'outstanding', 'thresholds', 'history', 'ledgerPath']));
  });
});

describe('the configured cases config (API_CASES_CONFIG)', () => {
  it('decides standing with the configured thresholds and expiry with the configured validity, in compliance and in the ledger', async () => {
    await start({ pointsValidityMonths: 1, standing: { yellow: 2, red: 3 } });
    const caseId = await penalisedCase(r, clock);
    const c = await compliance('C1');
    // Illegal parking's 3 default points: green under the defaults, red from 3 here.
    expect(c.points).toMatchObject({ standing: 'red', outstanding: 3, thresholds: { yellow: 2, red: 3 }, pointsValidityMonths: 1, nextExpiryAt: '2026-04-05T10:00:00.000Z' });
    const ledger = (await r.get('/v1/carriers/C1/points', 'bureau')).json<{ standing: string; thresholds: unknown; entries: { entryId: string; expiresAt: string }[] }>();
    expect(ledger).toMatchObject({ standing: 'red', thresholds: { yellow: 2, red: 3 }, entries: [{ entryId: `${caseId}:1`, expiresAt: '2026-04-05T10:00:00.000Z' }] });
    // A month later the points have expired: green, and the history says so.
    clock.set('2026-04-05T10:00:00.000Z');
    const later = await compliance('C1');
    expect(later.points).toMatchObject({ standing: 'green', outstanding: 0, nextExpiryAt: null });
    expect(later.points.history.map((h) => [h.type, h.total])).toEqual([
      ['recorded', 3],
      ['expired', 0],
    ]);
  });
});
