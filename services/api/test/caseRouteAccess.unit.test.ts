import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headersFor, roles, startTestApi, type TestApi, type TestRole } from './apiTestKit.ts';
import { openV1, photo, requests, testClock } from './support/caseFlow.ts';

/*
 * Every case and points route × every role. Refused roles get 401 (no key) or 403 before the
 * case is looked at; a carrier's key on another carrier's case or ledger gets 404, exactly as for
 * one that does not exist; allowed roles get what the route answers (404 on an unknown case: the
 * roles pass, the case does not exist).
 */

let api: TestApi;
const clock = testClock();
const r = requests(() => api.app);
let c1Case = '';
let cited = '';
beforeAll(async () => {
  api = await startTestApi({ app: { now: () => clock.now() } });
  c1Case = (await r.post('/v1/cases', 'bureau', openV1(clock))).json<{ case: { caseId: string } }>().case.caseId;
  await r.post(`/v1/cases/${c1Case}/assign`, 'bureau', { unit: 'U', officer: 'O' });
  cited = (await r.upload('enforcement', photo, 'image/jpeg')).json<{ sha256: string }>().sha256;
  const check = await r.post(`/v1/cases/${c1Case}/checks`, 'enforcement', { officer: 'O', checkedAt: clock.now().toISOString(), place: { lon: 121.4, lat: 28.6 }, findings: 'parked', attachments: [{ sha256: cited, name: 'p.jpg', type: 'image/jpeg', size: photo.byteLength }] });
  expect(check.statusCode).toBe(200);
  const action = await r.post('/v1/carriers/C1/points/corrective-actions', 'carrier:C1', { action: 'training', description: 'd', attachments: [{ sha256: cited, name: 'c.jpg', type: 'image/jpeg', size: photo.byteLength }] });
  expect(action.statusCode).toBe(201);
});
afterAll(async () => api.close());

type Expected = Readonly<Record<TestRole | 'none', number>>;
const refusedAll = { none: 401, bureau: 403, enforcement: 403, planner: 403, 'carrier:C1': 403, 'carrier:C2': 403, ingest: 403, 'ingest:C1': 403, registry: 403, metrics: 403 } as const;
const readers: Expected = { ...refusedAll, bureau: 200, enforcement: 200, 'carrier:C1': 200, 'carrier:C2': 200 };
const c1Only: Expected = { ...readers, 'carrier:C2': 404 };
const only = (over: Partial<Expected>): Expected => ({ ...refusedAll, ...over });

const unknown = 'C-20260305-NONE00';
const at = () => clock.now().toISOString();

interface Row {
  readonly method: 'GET' | 'POST';
  /** As the test names it; `url` fills in the ids made in beforeAll. */
  readonly name: string;
  readonly url: () => string;
  readonly body?: () => unknown;
  readonly upload?: true;
  readonly expected: Expected;
}

const table: readonly Row[] = [
  { name: "POST /v1/cases", method: 'POST', url: () => '/v1/cases', body: () => openV1(clock), expected: only({ bureau: 201 }) },
  { name: "GET /v1/cases", method: 'GET', url: () => '/v1/cases', expected: readers },
  { name: "GET /v1/cases/{C1's case}", method: 'GET', url: () => `/v1/cases/${c1Case}`, expected: c1Only },
  { name: "GET /v1/cases/{C1's case}/attachments/{cited sha256}", method: 'GET', url: () => `/v1/cases/${c1Case}/attachments/${cited}`, expected: c1Only },
  { name: "POST /v1/cases/{unknown}/assign", method: 'POST', url: () => `/v1/cases/${unknown}/assign`, body: () => ({ unit: 'U', officer: 'O' }), expected: only({ bureau: 404 }) },
  { name: "POST /v1/cases/{unknown}/evidence", method: 'POST', url: () => `/v1/cases/${unknown}/evidence`, body: () => ({}), expected: only({ enforcement: 404 }) },
  { name: "POST /v1/cases/{unknown}/checks", method: 'POST', url: () => `/v1/cases/${unknown}/checks`, body: () => ({ officer: 'O', checkedAt: at(), place: { lon: 121.4, lat: 28.6 }, findings: 'f' }), expected: only({ enforcement: 404 }) },
  { name: "POST /v1/cases/{unknown}/notice", method: 'POST', url: () => `/v1/cases/${unknown}/notice`, body: () => ({ responseDeadline: '2026-03-09T00:00:00Z' }), expected: only({ enforcement: 404 }) },
  { name: "POST /v1/cases/{unknown}/response", method: 'POST', url: () => `/v1/cases/${unknown}/response`, body: () => ({ response: 'acknowledge' }), expected: only({ 'carrier:C1': 404, 'carrier:C2': 404 }) },
  { name: "POST /v1/cases/{C1's case, not notified}/response", method: 'POST', url: () => `/v1/cases/${c1Case}/response`, body: () => ({ response: 'acknowledge' }), expected: only({ 'carrier:C1': 409, 'carrier:C2': 404 }) },
  { name: "POST /v1/cases/{unknown}/appeal-decision", method: 'POST', url: () => `/v1/cases/${unknown}/appeal-decision`, body: () => ({ outcome: 'rejected', reasons: 'r' }), expected: only({ enforcement: 404 }) },
  { name: "POST /v1/cases/{unknown}/disposition", method: 'POST', url: () => `/v1/cases/${unknown}/disposition`, body: () => ({ disposition: 'dismissed', reason: 'r' }), expected: only({ enforcement: 404 }) },
  { name: "POST /v1/cases/{unknown}/reopen", method: 'POST', url: () => `/v1/cases/${unknown}/reopen`, body: () => ({ reason: 'r' }), expected: only({ bureau: 404 }) },
  { name: "POST /v1/attachments", method: 'POST', url: () => '/v1/attachments', upload: true, expected: only({ enforcement: 201, 'carrier:C1': 201, 'carrier:C2': 201 }) },
  { name: 'GET /v1/carriers/C1/points/attachments/{cited sha256}', method: 'GET', url: () => `/v1/carriers/C1/points/attachments/${cited}`, expected: c1Only },
  { name: "GET /v1/carriers/C1/points", method: 'GET', url: () => '/v1/carriers/C1/points', expected: c1Only },
  { name: "POST /v1/carriers/C1/points/corrective-actions", method: 'POST', url: () => '/v1/carriers/C1/points/corrective-actions', body: () => ({ action: 'training', description: 'd' }), expected: only({ 'carrier:C1': 201, 'carrier:C2': 404 }) },
  { name: "POST /v1/carriers/C1/points/clear {unknown action}", method: 'POST', url: () => '/v1/carriers/C1/points/clear', body: () => ({ actionId: 'A-NOPE', points: 1 }), expected: only({ bureau: 409 }) },
];

describe('access on every case and points route', () => {
  for (const row of table) {
    for (const role of [null, ...roles] as const) {
      const status = row.expected[role ?? 'none'];
      it(`${row.name} as ${role ?? 'no key'} → ${status}`, async () => {
        const res = row.upload
          ? await api.app.inject({ method: 'POST', url: row.url(), headers: { ...headersFor(role), 'content-type': 'image/jpeg' }, payload: Buffer.from(photo) })
          : await api.app.inject({ method: row.method, url: row.url(), headers: headersFor(role), ...(row.body === undefined ? {} : { payload: row.body() as Record<string, unknown> }) });
        expect(res.statusCode, res.body).toBe(status);
        const code = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 409: 'CONFLICT' }[status];
        if (code !== undefined) expect(res.json<{ error: { code: string } }>().error.code).toBe(code);
      });
    }
  }
});
