import { readFileSync } from 'node:fs';
import { CountyIndex } from '@dgt/geo';
import { afterEach, describe, expect, it } from 'vitest';
import type { StatisticsResponse } from '../src/statistics/statisticsResponse.ts';
import { emptyBatch, headersFor, startTestApi, violation, type TestApi, type TestRole } from './apiTestKit.ts';

/*
 * GET /v1/statistics and its CSV tables over the test kit's world (NOW = 2026-03-05 18:00 Beijing):
 * in the default 30 days, C1's X1 (illegal parking, 03-05 17:00) and X2 (overspeed, 02-23 18:00),
 * C2's X4 (restricted entry, 03-03 18:00); C2's X3 is 40 days old. Laden passages of the G15 bend:
 * C1's A1 at 15:00 and C2's A2 at 17:48; V4's A3 was empty.
 */

const counties = new CountyIndex(JSON.parse(readFileSync(new URL('../../../seeds/taizhou/counties.json', import.meta.url), 'utf8')));

let api: TestApi;
afterEach(async () => api?.close());

const get = (url: string, role: TestRole | null = 'bureau') => api.app.inject({ method: 'GET', url, headers: headersFor(role) });
const stats = async (query = '', role: TestRole = 'bureau') => {
  const res = await get(`/v1/statistics${query}`, role);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<StatisticsResponse>();
};
const nonZeroHours = (s: StatisticsResponse) => Object.fromEntries(s.byHour.filter((h) => h.count > 0).map((h) => [h.hour, h.count]));

async function refusal(url: string): Promise<string[]> {
  const res = await get(url);
  expect(res.statusCode, res.body).toBe(400);
  const body = res.json<{ error: { code: string; details?: { path: string }[] } }>();
  expect(body.error.code).toBe('VALIDATION_FAILED');
  return (body.error.details ?? []).map((d) => d.path);
}

describe('GET /v1/statistics', () => {
  it('counts the last 30 days by default: per Beijing day and kind, carrier (named), hour and laden segment passage', async () => {
    api = await startTestApi();
    const s = await stats();
    expect(s.window.from).toBe('2026-02-03T18:00:00+08:00');
    expect(s.window.to).toBe('2026-03-05T18:00:00+08:00');
    expect(s.window.days).toHaveLength(31);
    expect(s.window.days[0]).toBe('2026-02-03');
    expect(s.window.days.at(-1)).toBe('2026-03-05');
    expect(s.totals).toEqual({ violations: 3, ladenPassages: 2 });
    expect(s.byDayKind).toEqual([
      { day: '2026-02-23', kind: 'overspeed', count: 1 },
      { day: '2026-03-03', kind: 'restricted-entry', count: 1 },
      { day: '2026-03-05', kind: 'illegal-parking', count: 1 },
    ]);
    expect(s.byCarrier).toEqual([
      { carrierId: 'C1', name: 'Acme Hazmat', count: 2 },
      { carrierId: 'C2', name: 'Blue River Logistics', count: 1 },
    ]);
    expect(nonZeroHours(s)).toEqual({ 17: 1, 18: 2 });
    expect(s.passagesBySegmentHour).toEqual([
      { zoneId: 'Z-SEG-1', zoneName: 'G15 bend', hour: 15, count: 1 },
      { zoneId: 'Z-SEG-1', zoneName: 'G15 bend', hour: 17, count: 1 },
    ]);
  });

  it('gives a carrier key its own numbers only; bureau and enforcement see every carrier', async () => {
    api = await startTestApi();
    const c1 = await stats('', 'carrier:C1');
    expect(c1.byCarrier).toEqual([{ carrierId: 'C1', name: 'Acme Hazmat', count: 2 }]);
    expect(c1.totals).toEqual({ violations: 2, ladenPassages: 1 });
    expect(c1.passagesBySegmentHour).toEqual([{ zoneId: 'Z-SEG-1', zoneName: 'G15 bend', hour: 15, count: 1 }]);
    const c2 = await stats('', 'carrier:C2');
    expect(c2.byCarrier).toEqual([{ carrierId: 'C2', name: 'Blue River Logistics', count: 1 }]);
    expect(c2.byDayKind).toEqual([{ day: '2026-03-03', kind: 'restricted-entry', count: 1 }]);
    expect(nonZeroHours(c2)).toEqual({ 18: 1 });
    expect((await stats('', 'enforcement')).totals.violations).toBe(3);
  });

  it('refuses keys that may not read, and a request without a key', async () => {
    api = await startTestApi();
    for (const role of ['ingest', 'ingest:C1', 'registry', 'metrics'] as const) {
      expect((await get('/v1/statistics', role)).statusCode, role).toBe(403);
      expect((await get('/v1/statistics/daily.csv', role)).statusCode, role).toBe(403);
    }
    expect((await get('/v1/statistics', null)).statusCode).toBe(401);
  });

  it('reads from inclusive and to exclusive, as the violation listings do', async () => {
    api = await startTestApi();
    // X4 started exactly at from (counted), X1 exactly at to (not counted).
    const s = await stats('?from=2026-03-03T10:00:00Z&to=2026-03-05T09:00:00Z');
    expect(s.byDayKind).toEqual([{ day: '2026-03-03', kind: 'restricted-entry', count: 1 }]);
    expect(s.window).toEqual({ from: '2026-03-03T18:00:00+08:00', to: '2026-03-05T17:00:00+08:00', days: ['2026-03-03', '2026-03-04', '2026-03-05'] });
    // to alone: the 30 days before it.
    expect((await stats('?to=2026-03-01T00:00:00%2B08:00')).byDayKind).toEqual([{ day: '2026-02-23', kind: 'overspeed', count: 1 }]);
  });

  it('refuses an empty, reversed or longer than 366-day window and unreadable times, naming the field', async () => {
    api = await startTestApi();
    expect(await refusal('/v1/statistics?from=2026-03-05T00:00:00Z&to=2026-03-05T00:00:00Z')).toEqual(['query.from']);
    expect(await refusal('/v1/statistics?from=2026-03-06T00:00:00Z&to=2026-03-05T00:00:00Z')).toEqual(['query.from']);
    expect(await refusal('/v1/statistics?from=2025-03-03T00:00:00Z&to=2026-03-05T00:00:00Z')).toEqual(['query.from']);
    expect(await refusal('/v1/statistics?from=2026-03-06T00:00:00Z')).toEqual(['query.from']);
    expect(await refusal('/v1/statistics?from=last-week')).toEqual(['query.from']);
    expect(await refusal('/v1/statistics?to=2026-13-01T00:00:00Z')).toEqual(['query.to']);
    expect(await refusal('/v1/statistics/daily.csv?from=2025-01-01T00:00:00Z')).toEqual(['query.from']);
    const tooLong = (await get('/v1/statistics?from=2025-03-03T00:00:00Z&to=2026-03-05T00:00:00Z')).json<{ error: { message: string } }>();
    expect(tooLong.error.message).toBe('from: the window may span at most 366 days; ask for a shorter one');
    // 366 days exactly is allowed.
    expect((await get('/v1/statistics?from=2025-03-04T18:00:00%2B08:00&to=2026-03-05T18:00:00%2B08:00')).statusCode).toBe(200);
  });

  it('says the county breakdown is unavailable without boundaries', async () => {
    api = await startTestApi();
    expect((await stats()).byCounty).toEqual({ available: false, items: [], outside: 0, unlocated: 0 });
  });

  it('counts violations per county with boundaries, every county listed, outside and unlocated apart', async () => {
    api = await startTestApi({ config: { counties } });
    await api.readModels.commit(
      emptyBatch('2', {
        violations: [
          violation('X5', 'V1', 'C1', { lon: 121.31, lat: 28.605 }),
          violation('X6', 'V1', 'C1', { lon: 120, lat: 30 }),
          violation('X7', 'V1', 'C1', { lon: null, lat: null }),
        ],
      }),
    );
    const { byCounty } = await stats();
    expect(byCounty.available).toBe(true);
    expect(byCounty.items).toHaveLength(9);
    expect(byCounty.items.slice(0, 3)).toEqual([
      { code: '331002', name: '椒江区', nameEn: 'Jiaojiang', count: 3 },
      { code: '331004', name: '路桥区', nameEn: 'Luqiao', count: 1 },
      { code: '331003', name: '黄岩区', nameEn: 'Huangyan', count: 0 },
    ]);
    expect(byCounty.outside).toBe(1);
    expect(byCounty.unlocated).toBe(1);
    const own = await stats('', 'carrier:C2');
    expect(own.byCounty.items.find((c) => c.code === '331002')?.count).toBe(1);
  });

  it('is documented in the OpenAPI document with its response schema', async () => {
    api = await startTestApi();
    const doc = (await get('/docs/json', null)).json<{ paths: Record<string, { get: { tags: string[]; responses: Record<string, { content?: Record<string, { schema: { properties?: Record<string, unknown> } }> }> } }> }>();
    const route = doc.paths['/v1/statistics']?.get;
    expect(route?.tags).toEqual(['statistics']);
    expect(Object.keys(route?.responses['200']?.content?.['application/json']?.schema.properties ?? {})).toEqual(['window', 'totals', 'byDayKind', 'byCounty', 'byCarrier', 'byHour', 'passagesBySegmentHour']);
    expect(doc.paths['/v1/statistics/{table}.csv']?.get.tags).toEqual(['statistics']);
  });
});

describe('GET /v1/statistics/<table>.csv', () => {
  const csv = async (table: string, query = '', role: TestRole = 'bureau') => {
    const res = await get(`/v1/statistics/${table}.csv${query}`, role);
    expect(res.statusCode, res.body).toBe(200);
    return res;
  };
  const lines = (body: Buffer) => body.toString('utf8').slice(1).split('\r\n');

  it('sends each table as UTF-8 CSV with a BOM, a header row and a file name that says what and when', async () => {
    api = await startTestApi({ config: { counties } });
    const daily = await csv('daily');
    expect(daily.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(daily.headers['content-disposition']).toBe('attachment; filename="dgt-statistics-daily-2026-02-03_2026-03-05.csv"');
    expect([...daily.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = lines(daily.rawPayload);
    expect(rows[0]).toBe('date,total,illegal-parking,restricted-entry,overspeed,fatigue-driving,terminal-offline,route-deviation');
    expect(rows).toContain('2026-03-03,1,0,1,0,0,0,0');
    expect(rows).toContain('2026-03-04,0,0,0,0,0,0,0');
    // 31 days, the header, and the empty string after the last CRLF.
    expect(rows).toHaveLength(33);
    expect(rows.at(-1)).toBe('');

    expect(lines((await csv('counties')).rawPayload).slice(0, 2)).toEqual(['countyCode,county,countyEn,violations', '331002,椒江区,Jiaojiang,3']);
    expect(lines((await csv('hours')).rawPayload).slice(17, 20)).toEqual(['16,0', '17,1', '18,2']);
    expect(lines((await csv('segments')).rawPayload).slice(0, 2)).toEqual([
      `zoneId,segment,ladenPassages,${Array.from({ length: 24 }, (_, h) => `h${String(h).padStart(2, '0')}`).join(',')}`,
      `Z-SEG-1,G15 bend,2,${Array.from({ length: 24 }, (_, h) => (h === 15 || h === 17 ? 1 : 0)).join(',')}`,
    ]);
  });

  it('quotes commas, quotes and line breaks, and keeps a spreadsheet from running a name as a formula', async () => {
    api = await startTestApi();
    await api.readModels.commit(emptyBatch('2', { carriers: [{ carrierId: 'C1', name: '=HYPERLINK("http://x","台州, 安达")', vehicles: 2 }, { carrierId: 'C2', name: '蓝河\n物流', vehicles: 1 }] }));
    expect(lines((await csv('carriers')).rawPayload).join('\n')).toBe(['rank,carrierId,carrierName,violations', `1,C1,"'=HYPERLINK(""http://x"",""台州, 安达"")",2`, '2,C2,"蓝河\n物流",1', ''].join('\n'));
  });

  it('gives a carrier key its own rows only', async () => {
    api = await startTestApi();
    expect(lines((await csv('carriers', '', 'carrier:C2')).rawPayload)).toEqual(['rank,carrierId,carrierName,violations', '1,C2,Blue River Logistics,1', '']);
  });

  it('has an empty county table without boundaries, and refuses an unknown table naming it', async () => {
    api = await startTestApi();
    expect(lines((await csv('counties')).rawPayload)).toEqual(['countyCode,county,countyEn,violations', '']);
    expect(await refusal('/v1/statistics/everything.csv')).toEqual(['params.table']);
  });
});
