import { readFileSync } from 'node:fs';
import { CountyIndex } from '@dgt/geo';
import { afterEach, describe, expect, it } from 'vitest';
import { readApiConfig } from '../src/env.ts';
import { startTestApi, type TestApi } from './apiTestKit.ts';
import { openCase, requests, testClock } from './support/caseFlow.ts';

/*
 * Issue #17 item 3: the case list filters by county — the county-level division (seeds/taizhou/
 * counties.json, API_COUNTIES_FILE) the violation took place in, from the place recorded when the
 * case opened.
 */

const countiesFile = new URL('../../../seeds/taizhou/counties.json', import.meta.url);
const counties = new CountyIndex(JSON.parse(readFileSync(countiesFile, 'utf8')));
// Jiaojiang city hall, and Wenling east (domain brief, WGS-84).
const jiaojiang = { lon: 121.421, lat: 28.656 };
const wenling = { lon: 121.53, lat: 28.4 };

let api: TestApi;
const r = requests(() => api.app);
afterEach(async () => api.close());

type CaseBody = { case: { caseId: string; place: unknown; county: { code: string; name: string; nameEn: string } | null } };

describe('cases by county', () => {
  it('gives a case the county of the place it opened with, and lists by county code', async () => {
    const clock = testClock();
    api = await startTestApi({ config: { counties }, app: { now: () => clock.now() } });
    const a = await openCase(r, clock, { place: jiaojiang });
    const b = await openCase(r, clock, { place: wenling });
    const c = await openCase(r, clock);
    const detail = (await r.get(`/v1/cases/${a}`, 'enforcement')).json<CaseBody>();
    expect(detail.case.county).toEqual({ code: '331002', name: '椒江区', nameEn: 'Jiaojiang' });
    expect(detail.case.place).toEqual(jiaojiang);
    const list = async (county: string) => (await r.get(`/v1/cases?county=${county}`, 'bureau')).json<{ items: { caseId: string }[] }>().items.map((x) => x.caseId);
    expect(await list('331002')).toEqual([a]);
    expect(await list('331081')).toEqual([b]);
    expect(await list('331083')).toEqual([]);
    const all = (await r.get('/v1/cases', 'bureau')).json<{ items: { caseId: string; county: unknown }[] }>().items;
    expect(all.find((x) => x.caseId === c)?.county).toBeNull();
    expect(all.map((x) => x.caseId).sort()).toEqual([a, b, c].sort());
  });

  it('refuses a county that is not a six-digit code, naming the query field', async () => {
    api = await startTestApi();
    const res = await r.get('/v1/cases?county=Jiaojiang', 'bureau');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('county');
  });

  it('has no county without boundaries, and a bad boundaries file stops the API at start with its reason', async () => {
    const clock = testClock();
    api = await startTestApi({ app: { now: () => clock.now() } });
    const a = await openCase(r, clock, { place: jiaojiang });
    expect((await r.get(`/v1/cases/${a}`, 'enforcement')).json<CaseBody>().case.county).toBeNull();
    const env = { DGT_API_KEYS: JSON.stringify([{ id: 'k', role: 'bureau', sha256: 'a'.repeat(64) }]) };
    expect(() => readApiConfig({ ...env, API_COUNTIES_FILE: '/nonexistent/counties.json' })).toThrow(/API_COUNTIES_FILE: cannot read/);
    expect(() => readApiConfig({ ...env, API_COUNTIES_FILE: new URL('../package.json', import.meta.url).pathname })).toThrow(/API_COUNTIES_FILE .*package\.json: /);
    expect(readApiConfig({ ...env, API_COUNTIES_FILE: countiesFile.pathname }).counties?.countyAt(wenling.lon, wenling.lat)?.code).toBe('331081');
  });
});
