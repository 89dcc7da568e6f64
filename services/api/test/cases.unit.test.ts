import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './apiTestKit.ts';
import { type CaseBody, caseWithEvidence, type Clock, type ErrorBody, openCase, openV1, penalisedCase, photo, requests, testClock } from './support/caseFlow.ts';

let api: TestApi;
let clock: Clock;
const r = requests(() => api.app);
beforeEach(async () => {
  clock = testClock();
  api = await startTestApi({ app: { now: () => clock.now() } });
});
afterEach(async () => api.close());

const hoursFromNow = (h: number) => new Date(clock.now().getTime() + h * 3_600_000).toISOString();
const error = (res: { json: <T>() => T }) => res.json<ErrorBody>().error;

interface Detail extends CaseBody {
  history: { revision: number; eventId: string; type: string; occurredAt: string; by: { principal: string; role: string; carrierId?: string }; data: Record<string, unknown> }[];
}

describe('a case from opening to cleared points', () => {
  it('walks open → assign → evidence → check with a photo → notice → appeal → appeal rejected → penalty → points → corrective action → points cleared', async () => {
    // 立案 by a bureau officer: the id is the server's, readable, dated on the Beijing calendar.
    const opened = await r.post('/v1/cases', 'bureau', openV1(clock));
    expect(opened.statusCode).toBe(201);
    const caseId = opened.json<CaseBody>().case.caseId;
    expect(caseId).toMatch(/^C-20260305-[0-9A-HJKMNP-TV-Z]{6}$/);
    expect(opened.json<CaseBody>().case).toMatchObject({ status: 'opened', carrierId: 'C1', vehicleId: 'V1', openedBy: 'officer', openedAt: clock.now().toISOString() });

    // Read-your-writes: the list shows the case as soon as the command answered.
    expect((await r.get('/v1/cases', 'bureau')).json<{ items: { caseId: string }[] }>().items.map((c) => c.caseId)).toEqual([caseId]);

    const assigned = await r.post(`/v1/cases/${caseId}/assign`, 'bureau', { unit: 'Jiaojiang joint team', officer: 'Officer Wang' });
    expect(assigned.json<CaseBody>().case).toMatchObject({ status: 'assigned', assignment: { unit: 'Jiaojiang joint team', officer: 'Officer Wang' } });

    // 固定证据: the replay of V1 over the case window, archived content-addressed.
    const frozen = await r.post(`/v1/cases/${caseId}/evidence`, 'enforcement', {});
    expect(frozen.statusCode, frozen.body).toBe(200);
    expect(frozen.json<CaseBody>().case.status).toBe('evidence-frozen');
    const evidence = (await r.get(`/v1/cases/${caseId}`, 'enforcement')).json<Detail>().history.find((h) => h.type === 'EvidenceFrozen')!;
    const archive = evidence.data['archive'] as { html: string; json: string; csv: string };
    expect(evidence.data).toMatchObject({ selection: { vehicleIds: ['V1'] }, auditId: expect.any(String), inputs: { events: expect.any(Number) } });
    // The archived report.json is the very file `--verify` reproduces: its address is the report's digest.
    expect(archive.json).toBe(evidence.data['reportDigest']);
    const reportJson = await r.get(`/v1/cases/${caseId}/attachments/${archive.json}`, 'carrier:C1');
    expect(reportJson.statusCode).toBe(200);
    expect(createHash('sha256').update(reportJson.rawPayload).digest('hex')).toBe(archive.json);
    const reportHtml = await r.get(`/v1/cases/${caseId}/attachments/${archive.html}`, 'enforcement');
    expect(reportHtml.headers['content-type']).toContain('text/html');
    expect(reportHtml.headers['content-security-policy']).toContain('sandbox');
    expect(reportHtml.body).toContain('V1');

    // 现场检查 with a photo uploaded first.
    const uploaded = await r.upload('enforcement', photo, 'image/jpeg');
    expect(uploaded.statusCode).toBe(201);
    const file = uploaded.json<{ sha256: string; size: number; type: string }>();
    expect(file).toEqual({ sha256: createHash('sha256').update(photo).digest('hex'), size: photo.byteLength, type: 'image/jpeg' });
    const checked = await r.post(`/v1/cases/${caseId}/checks`, 'enforcement', {
      officer: 'Officer Wang',
      checkedAt: hoursFromNow(-0.5),
      place: { lon: 121.42, lat: 28.65, text: 'G228 K1532+200, roadside' },
      findings: 'Laden tanker parked on the hard shoulder; driver absent.',
      attachments: [{ ...file, name: '现场照片.jpg' }],
    });
    expect(checked.statusCode, checked.body).toBe(200);
    expect(checked.json<CaseBody>().case).toMatchObject({ status: 'checked', checks: 1 });
    const download = await r.get(`/v1/cases/${caseId}/attachments/${file.sha256}`, 'carrier:C1');
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('image/jpeg');
    expect(download.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('现场照片.jpg')}`);
    expect([...download.rawPayload]).toEqual([...photo]);

    // 告知, then the carrier appeals a day later, before the deadline.
    const notified = await r.post(`/v1/cases/${caseId}/notice`, 'enforcement', { responseDeadline: hoursFromNow(72) });
    expect(notified.json<CaseBody>().case.status).toBe('notified');
    clock.advanceHours(24);
    const appealed = await r.post(`/v1/cases/${caseId}/response`, 'carrier:C1', { response: 'appeal', reasons: 'The driver was waiting for a tow truck after a tyre burst.' });
    expect(appealed.statusCode, appealed.body).toBe(200);
    expect(appealed.json<CaseBody>().case.status).toBe('appealed');

    const rejected = await r.post(`/v1/cases/${caseId}/appeal-decision`, 'enforcement', { outcome: 'rejected', reasons: 'No tow was called: the check found the driver absent.' });
    expect(rejected.json<CaseBody>().case).toMatchObject({ status: 'appeal-decided', appeal: { outcome: 'rejected' } });

    // 处罚 with 6 points instead of illegal parking's 3: the carrier turns yellow.
    const disposed = await r.post(`/v1/cases/${caseId}/disposition`, 'enforcement', { disposition: 'penalised', legalBasis: '《危险货物道路运输安全管理办法》第六十七条', amountYuan: 2000, points: 6, pointsReason: 'repeat offence on a laden tanker' });
    expect(disposed.statusCode, disposed.body).toBe(200);
    expect(disposed.json<CaseBody>().case).toMatchObject({ status: 'disposed', pointsEntry: { entryId: `${caseId}:1`, points: 6 } });

    const ledger = await r.get('/v1/carriers/C1/points', 'carrier:C1');
    expect(ledger.json()).toMatchObject({ carrierId: 'C1', outstanding: 6, standing: 'yellow', entries: [{ caseId, points: 6, defaultPoints: 3, overrideReason: 'repeat offence on a laden tanker' }] });

    // 整改 by the carrier, 销分 by the bureau: green again.
    const action = await r.post('/v1/carriers/C1/points/corrective-actions', 'carrier:C1', { action: 'training', description: 'All drivers retrained on parking rules for laden tankers.' });
    expect(action.statusCode, action.body).toBe(201);
    const { actionId } = action.json<{ actionId: string }>();
    expect(actionId).toMatch(/^A-\d{8}-[0-9A-Z]{6}$/);
    const cleared = await r.post('/v1/carriers/C1/points/clear', 'bureau', { actionId, points: 6 });
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(cleared.json()).toMatchObject({ outstanding: 0, standing: 'green' });
    const history = (await r.get('/v1/carriers/C1/points', 'bureau')).json<{ history: { type: string; delta: number; total: number }[] }>().history;
    expect(history.map((h) => [h.type, h.delta, h.total])).toEqual([
      ['recorded', 6, 6],
      ['action-submitted', 0, 6],
      ['cleared', -6, 0],
    ]);

    // The case's history names who decided each step and when (the server's time).
    const detail = (await r.get(`/v1/cases/${caseId}`, 'carrier:C1')).json<Detail>();
    expect(detail.history.map((h) => h.type)).toEqual(['CaseOpened', 'CaseAssigned', 'EvidenceFrozen', 'OnSiteCheckRecorded', 'CarrierNotified', 'CarrierResponded', 'AppealDecided', 'CaseDisposed']);
    expect(detail.history.map((h) => h.by.principal)).toEqual(['bureau-1', 'bureau-1', 'joint-team-1', 'joint-team-1', 'joint-team-1', 'acme', 'joint-team-1', 'joint-team-1']);
    expect(detail.history[5]!.by).toEqual({ principal: 'acme', role: 'carrier', carrierId: 'C1' });
    expect(detail.history[5]!.occurredAt).toBe('2026-03-06T10:00:00.000Z');
    expect(detail.history.map((h) => h.eventId)).toEqual(detail.history.map((h) => `case-${caseId}/${h.revision}`));
    expect((await r.get(`/v1/cases?status=disposed`, 'carrier:C1')).json<{ items: { caseId: string }[] }>().items.map((c) => c.caseId)).toEqual([caseId]);
  });

  it('records the audit run behind the frozen evidence, operated by the enforcement key', async () => {
    const caseId = await caseWithEvidence(r, clock);
    const frozen = (await r.get(`/v1/cases/${caseId}`, 'bureau')).json<Detail>().history.find((h) => h.type === 'EvidenceFrozen')!;
    const audits = [];
    for await (const e of api.store.readStream('audit')) audits.push(e.event);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ type: 'AuditReplayRun', data: { auditId: frozen.data['auditId'], operator: { kind: 'apiKey', id: 'joint-team-1' }, reportSha256: frozen.data['reportDigest'] } });
  });
});

describe('refusals and their HTTP answers', () => {
  it('answers 409 naming the refusal for a disposal before evidence and a check before assignment', async () => {
    const caseId = await openCase(r, clock);
    const check = await r.post(`/v1/cases/${caseId}/checks`, 'enforcement', { officer: 'Wang', checkedAt: hoursFromNow(-1), place: { lon: 121.4, lat: 28.6 }, findings: 'parked', attachments: [] });
    expect(check.statusCode).toBe(409);
    expect(error(check)).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/^not-assigned: /), details: [{ path: 'refusal', message: 'not-assigned' }] });
    await r.post(`/v1/cases/${caseId}/assign`, 'bureau', { unit: 'U', officer: 'O' });
    const dispose = await r.post(`/v1/cases/${caseId}/disposition`, 'enforcement', { disposition: 'dismissed', reason: 'no evidence' });
    expect(dispose.statusCode).toBe(409);
    expect(error(dispose).message).toMatch(/^evidence-required: /);
  });

  it('answers 409 to an appeal after the deadline and to any step on a disposed case', async () => {
    const caseId = await caseWithEvidence(r, clock);
    await r.post(`/v1/cases/${caseId}/notice`, 'enforcement', { responseDeadline: hoursFromNow(24) });
    clock.advanceHours(25);
    const late = await r.post(`/v1/cases/${caseId}/response`, 'carrier:C1', { response: 'appeal', reasons: 'too late' });
    expect(late.statusCode).toBe(409);
    expect(error(late).message).toMatch(/^appeal-deadline-passed: /);

    const disposedId = await penalisedCase(r, clock);
    const again = await r.post(`/v1/cases/${disposedId}/assign`, 'bureau', { unit: 'U', officer: 'O' });
    expect(again.statusCode).toBe(409);
    expect(error(again).message).toMatch(/^already-disposed: /);
    const reopened = await r.post(`/v1/cases/${disposedId}/reopen`, 'bureau', { reason: 'new facts from the carrier' });
    expect(reopened.json<CaseBody>().case.status).toBe('evidence-frozen');
  });

  it('answers 400 with the field’s path for what the library refuses in a field, and for a request that is not the contract', async () => {
    const caseId = await caseWithEvidence(r, clock);
    const blank = await r.post(`/v1/cases/${caseId}/assign`, 'bureau', { unit: '   ', officer: 'O' });
    expect(blank.statusCode).toBe(400);
    expect(error(blank)).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/^invalid-command: /), details: [{ path: 'body.unit', message: 'must not be blank' }] });
    const past = await r.post(`/v1/cases/${caseId}/notice`, 'enforcement', { responseDeadline: hoursFromNow(-1) });
    expect(past.statusCode).toBe(400);
    expect(error(past)).toMatchObject({ message: expect.stringMatching(/^invalid-deadline: /), details: [{ path: 'body.responseDeadline' }] });
    const advisory = await r.post('/v1/cases', 'bureau', openV1(clock, { kind: 'segment-passage' }));
    expect(advisory.statusCode).toBe(400);
    expect(error(advisory).details).toEqual([{ path: 'body.kind', message: expect.any(String) }]);
    const { window: _, ...noWindow } = openV1(clock);
    const missing = await r.post('/v1/cases', 'bureau', noWindow);
    expect(missing.statusCode).toBe(400);
    expect(error(missing).details?.map((d) => d.path)).toContain('body.window');
    const extra = await r.post(`/v1/cases/${caseId}/reopen`, 'bureau', { reason: 'x', now: '2020-01-01T00:00:00Z' });
    expect(extra.statusCode).toBe(400);
  });

  it('refuses a check citing a file nobody uploaded, or with another type than the file’s, naming the attachment', async () => {
    const caseId = await caseWithEvidence(r, clock);
    const res = await r.post(`/v1/cases/${caseId}/checks`, 'enforcement', { officer: 'Wang', checkedAt: hoursFromNow(-1), place: { lon: 121.4, lat: 28.6 }, findings: 'parked', attachments: [{ sha256: 'a'.repeat(64), name: 'x.jpg', type: 'image/jpeg', size: 10 }] });
    expect(res.statusCode).toBe(400);
    expect(error(res).details).toEqual([{ path: 'body.attachments.0.sha256', message: expect.stringContaining('POST it to /v1/attachments') }]);
    // An uploaded photo cited as a page would be served back as one: refused.
    const file = (await r.upload('enforcement', photo, 'image/jpeg')).json<{ sha256: string; size: number }>();
    const asPage = await r.post(`/v1/cases/${caseId}/checks`, 'enforcement', { officer: 'Wang', checkedAt: hoursFromNow(-1), place: { lon: 121.4, lat: 28.6 }, findings: 'parked', attachments: [{ ...file, name: 'x.html', type: 'text/html' }] });
    expect(asPage.statusCode).toBe(400);
    expect(error(asPage).details?.map((d) => d.path)).toEqual(['body.attachments.0.type']);
  });

  it('answers 404 for an unknown case, and for a file the case does not cite', async () => {
    expect((await r.get('/v1/cases/C-20260305-NONE00', 'bureau')).statusCode).toBe(404);
    expect((await r.post('/v1/cases/C-20260305-NONE00/assign', 'bureau', { unit: 'U', officer: 'O' })).statusCode).toBe(404);
    const caseId = await openCase(r, clock);
    const uploaded = (await r.upload('enforcement', photo, 'image/jpeg')).json<{ sha256: string }>();
    const notCited = await r.get(`/v1/cases/${caseId}/attachments/${uploaded.sha256}`, 'enforcement');
    expect(notCited.statusCode).toBe(404);
    expect(error(notCited).message).toBe('the case cites no such file');
  });
});

describe('carrier isolation', () => {
  it('answers another carrier 404 on the case, its files, its response and its points, and leaves the case out of its list', async () => {
    const caseId = await caseWithEvidence(r, clock);
    await r.post(`/v1/cases/${caseId}/notice`, 'enforcement', { responseDeadline: hoursFromNow(24) });
    const got = await r.get(`/v1/cases/${caseId}`, 'carrier:C2');
    const unknown = await r.get('/v1/cases/C-20260305-NONE00', 'carrier:C2');
    expect(got.statusCode).toBe(404);
    expect(got.body).toBe(unknown.body);
    const respond = await r.post(`/v1/cases/${caseId}/response`, 'carrier:C2', { response: 'acknowledge' });
    expect(respond.statusCode).toBe(404);
    expect(error(respond).message).toBe('no such case');
    const html = (await r.get(`/v1/cases/${caseId}`, 'carrier:C1')).json<Detail>().history.find((h) => h.type === 'EvidenceFrozen')!.data['archive'] as { html: string };
    expect((await r.get(`/v1/cases/${caseId}/attachments/${html.html}`, 'carrier:C2')).statusCode).toBe(404);
    expect((await r.get('/v1/carriers/C1/points', 'carrier:C2')).statusCode).toBe(404);
    expect((await r.get('/v1/cases', 'carrier:C2')).json<{ items: unknown[] }>().items).toEqual([]);
    expect((await r.get('/v1/cases?carrier=C1', 'carrier:C2')).json<{ items: unknown[] }>().items).toEqual([]);
    expect((await r.get('/v1/cases', 'carrier:C1')).json<{ items: { caseId: string }[] }>().items.map((c) => c.caseId)).toEqual([caseId]);
    // Nothing was recorded by the refused response.
    expect((await r.get(`/v1/cases/${caseId}`, 'bureau')).json<CaseBody>().case.status).toBe('notified');
  });
});

describe('GET /v1/cases', () => {
  it('lists newest first with filters and pages through an opaque cursor', async () => {
    const first = await openCase(r, clock);
    clock.advanceHours(1);
    const second = await openCase(r, clock, { vehicleId: 'V3', carrierId: 'C2', kind: 'restricted-entry', violationIds: ['X4'] });
    clock.advanceHours(1);
    const third = await openCase(r, clock);
    await r.post(`/v1/cases/${third}/assign`, 'bureau', { unit: 'U', officer: 'O' });
    const ids = async (url: string) => (await r.get(url, 'bureau')).json<{ items: { caseId: string }[] }>().items.map((c) => c.caseId);

    expect(await ids('/v1/cases')).toEqual([third, second, first]);
    expect(await ids('/v1/cases?status=assigned')).toEqual([third]);
    expect(await ids('/v1/cases?kind=restricted-entry')).toEqual([second]);
    expect(await ids('/v1/cases?carrier=C1')).toEqual([third, first]);
    expect(await ids('/v1/cases?vehicle=V3')).toEqual([second]);
    expect(await ids(`/v1/cases?from=${encodeURIComponent(hoursFromNow(-1.5))}`)).toEqual([third, second]);
    expect(await ids(`/v1/cases?to=${encodeURIComponent(hoursFromNow(-1.5))}`)).toEqual([first]);

    const page1 = (await r.get('/v1/cases?limit=2', 'bureau')).json<{ items: { caseId: string }[]; nextCursor: string }>();
    expect(page1.items.map((c) => c.caseId)).toEqual([third, second]);
    const page2 = (await r.get(`/v1/cases?limit=2&cursor=${page1.nextCursor}`, 'bureau')).json<{ items: { caseId: string }[]; nextCursor: string | null }>();
    expect(page2).toEqual({ items: [expect.objectContaining({ caseId: first })], nextCursor: null });
  });

  it('refuses a limit above 200, a cursor it did not give out and a reversed window, naming the parameter', async () => {
    const over = await r.get('/v1/cases?limit=201', 'bureau');
    expect(over.statusCode).toBe(400);
    expect(error(over).details?.[0]?.path).toBe('query.limit');
    const bad = await r.get('/v1/cases?cursor=bm90LWEtY3Vyc29y', 'bureau');
    expect(bad.statusCode).toBe(400);
    expect(error(bad).details).toEqual([{ path: 'query.cursor', message: expect.any(String) }]);
    const reversed = await r.get('/v1/cases?from=2026-03-05T10:00:00Z&to=2026-03-05T09:00:00Z', 'bureau');
    expect(error(reversed).details).toEqual([{ path: 'query.from', message: 'must be before to' }]);
  });

  it('lists cases recorded before the API started (the index catches up from the store)', async () => {
    const caseId = await openCase(r, clock);
    const { buildApiApp } = await import('../src/app.ts');
    const { testConfig } = await import('./apiTestKit.ts');
    const second = await buildApiApp({ config: testConfig(), store: api.store, readModels: api.readModels, defaultMetrics: false, now: () => clock.now() });
    try {
      const res = await second.inject({ method: 'GET', url: '/v1/cases', headers: { 'x-api-key': (await import('./apiTestKit.ts')).keys.bureau } });
      expect(res.json<{ items: { caseId: string }[] }>().items.map((c) => c.caseId)).toEqual([caseId]);
    } finally {
      await second.close();
    }
  });
});

describe('POST /v1/attachments', () => {
  it('stores JPEG, PNG and PDF by their SHA-256 and answers the address', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1]);
    const pdf = new TextEncoder().encode('%PDF-1.7 …');
    for (const [bytes, type] of [[png, 'image/png'], [pdf, 'application/pdf'], [photo, 'image/jpeg']] as const) {
      const res = await r.upload('carrier:C1', bytes, type);
      expect(res.statusCode, type).toBe(201);
      expect(res.json()).toEqual({ sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.byteLength, type });
    }
  });

  it('answers 415 for another type, JSON, or bytes that are not what the type says, and 400 for an empty file', async () => {
    expect((await r.upload('enforcement', new TextEncoder().encode('hello'), 'text/plain')).statusCode).toBe(415);
    expect((await r.post('/v1/attachments', 'enforcement', { file: 'x' })).statusCode).toBe(415);
    const lie = await r.upload('enforcement', new TextEncoder().encode('<html>'), 'image/png');
    expect(lie.statusCode).toBe(415);
    expect(error(lie).message).toContain('not a image/png file');
    const empty = await r.upload('enforcement', new Uint8Array(0), 'image/png');
    expect(empty.statusCode).toBe(400);
    expect(error(empty).details).toEqual([{ path: 'body', message: 'must not be empty (0 bytes)' }]);
  });

  it('answers 413 for a file over 10 MiB', async () => {
    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    big.set([0xff, 0xd8, 0xff]);
    const res = await r.upload('enforcement', big, 'image/jpeg');
    expect(res.statusCode).toBe(413);
    expect(error(res).code).toBe('PAYLOAD_TOO_LARGE');
  });
});
