import type { ServiceApp } from '@dgt/http';
import { expect } from 'vitest';
import { headersFor, NOW, type TestRole } from '../apiTestKit.ts';

/** Requests of the case and points tests, and a clock the tests move (the API's `now`). */

export interface Clock {
  now: () => Date;
  set(iso: string): void;
  advanceHours(hours: number): void;
}

export function testClock(start: Date = NOW): Clock {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    set: (iso) => {
      t = Date.parse(iso);
    },
    advanceHours: (hours) => {
      t += hours * 3_600_000;
    },
  };
}

export type ErrorBody = { error: { code: string; message: string; details?: { path: string; message: string }[] } };

export interface CaseBody {
  case: { caseId: string; status: string; carrierId: string; revision: number; evidence: { reportDigest: string } | null; pointsEntry: { entryId: string; points: number } | null; [k: string]: unknown };
}

export function requests(app: () => ServiceApp) {
  const send = (method: 'GET' | 'POST', url: string, role: TestRole | null, payload?: unknown) =>
    app().inject({ method, url, headers: headersFor(role), ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  return {
    get: (url: string, role: TestRole | null) => send('GET', url, role),
    post: (url: string, role: TestRole | null, payload: unknown = {}) => send('POST', url, role, payload),
    upload: (role: TestRole | null, bytes: Uint8Array, type: string) => app().inject({ method: 'POST', url: '/v1/attachments', headers: { ...headersFor(role), 'content-type': type }, payload: Buffer.from(bytes) }),
  };
}

/** A tiny JPEG as far as the upload's check goes: its first bytes are a JPEG's. */
export const photo = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x02, 0x03]);

const iso = (hoursBeforeNow: number, clock: Clock) => new Date(clock.now().getTime() - hoursBeforeNow * 3_600_000).toISOString();

/** V1 (C1) parked illegally in the last hours (X1): the case body a bureau officer opens. */
export const openV1 = (clock: Clock, over: Record<string, unknown> = {}) => ({
  vehicleId: 'V1',
  carrierId: 'C1',
  kind: 'illegal-parking',
  violationIds: ['X1'],
  window: { from: iso(2, clock), to: iso(1, clock) },
  ...over,
});

/** Opens a case as bureau and answers its id. */
export async function openCase(r: ReturnType<typeof requests>, clock: Clock, over: Record<string, unknown> = {}): Promise<string> {
  const res = await r.post('/v1/cases', 'bureau', openV1(clock, over));
  expect(res.statusCode, res.body).toBe(201);
  return res.json<CaseBody>().case.caseId;
}

/** Opens, assigns and freezes evidence: a case ready for a notice. */
export async function caseWithEvidence(r: ReturnType<typeof requests>, clock: Clock, over: Record<string, unknown> = {}): Promise<string> {
  const caseId = await openCase(r, clock, over);
  expect((await r.post(`/v1/cases/${caseId}/assign`, 'bureau', { unit: 'Jiaojiang joint team', officer: 'Officer Wang' })).statusCode).toBe(200);
  const frozen = await r.post(`/v1/cases/${caseId}/evidence`, 'enforcement', {});
  expect(frozen.statusCode, frozen.body).toBe(200);
  return caseId;
}

/** Drives a new case to a penalty the carrier acknowledged; answers its id. */
export async function penalisedCase(r: ReturnType<typeof requests>, clock: Clock, dispose: Record<string, unknown> = {}): Promise<string> {
  const caseId = await caseWithEvidence(r, clock);
  expect((await r.post(`/v1/cases/${caseId}/notice`, 'enforcement', { responseDeadline: new Date(clock.now().getTime() + 72 * 3_600_000).toISOString() })).statusCode).toBe(200);
  expect((await r.post(`/v1/cases/${caseId}/response`, 'carrier:C1', { response: 'acknowledge' })).statusCode).toBe(200);
  const res = await r.post(`/v1/cases/${caseId}/disposition`, 'enforcement', { disposition: 'penalised', legalBasis: '《危险货物道路运输安全管理办法》第六十七条', amountYuan: 2000, ...dispose });
  expect(res.statusCode, res.body).toBe(200);
  return caseId;
}
