import { readFileSync } from 'node:fs';
import { CountyIndex } from '@dgt/geo';
import type { ViolationView } from '@dgt/readmodels';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consignment, emptyBatch, headersFor, startTestApi, type TestApi, violation } from './apiTestKit.ts';

/*
 * Issue #18 item 6: violations filtered by county, chemical park and hazard class, paged without
 * skipping or repeating a row however sparse the matches.
 */

const counties = new CountyIndex(JSON.parse(readFileSync(new URL('../../../seeds/taizhou/counties.json', import.meta.url), 'utf8')));
const jiaojiang = { lon: 121.421, lat: 28.656 };
const wenling = { lon: 121.53, lat: 28.4 };
const park = { zoneId: 'Z-PARK-1', kind: 'chemical-park' as const, name: 'Waisha park', declaredDatum: 'WGS84' as const, polygon: [[121.46, 28.68], [121.47, 28.68], [121.47, 28.69], [121.46, 28.68]] as [number, number][], path: null, bufferM: null, rules: null, capacity: null, designatedAt: '2026-01-01T00:00:00+08:00' };

let api: TestApi;
let rows: ViolationView[];
beforeEach(async () => {
  api = await startTestApi({ config: { counties } });
  rows = [];
  for (let i = 0; i < 23; i++) {
    const where = i % 5 === 0 ? { lon: 121.465, lat: 28.683 } : i % 2 === 0 ? jiaojiang : wenling;
    rows.push(violation(`N${String(i).padStart(2, '0')}`, 'V1', 'C1', { ...where, startedAt: new Date(Date.UTC(2026, 2, 5, 1, i)).toISOString(), waybillNo: i % 3 === 0 ? 'WN-ACID' : 'W1' }));
  }
  const acid = { ...consignment('WN-ACID', 'C1', 'V1'), goods: [{ unNumber: 'UN1789', name: 'Hydrochloric acid', hazardClass: '8', quantityKg: 10_000 }] };
  await api.readModels.commit(emptyBatch('9', { violations: rows, consignments: [acid], zones: [park] }));
});
afterEach(async () => api.close());

async function all(query: string, limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let pages = 1; pages < 100; pages++) {
    const res: { statusCode: number; body: string; json: <T>() => T } = await api.app.inject({ method: 'GET', url: `/v1/violations?${query}&limit=${limit}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`, headers: headersFor('bureau') });
    expect(res.statusCode, res.body).toBe(200);
    const page: { items: { violationId: string }[]; nextCursor: string | null } = res.json();
    ids.push(...page.items.map((v) => v.violationId).filter((id) => id.startsWith('N')));
    if (page.nextCursor === null) return { ids, pages };
    cursor = page.nextCursor;
  }
  throw new Error('paging does not end');
}

const expected = (keep: (i: number) => boolean) => rows.map((_, i) => i).filter(keep).map((i) => `N${String(i).padStart(2, '0')}`).reverse();

describe('violations narrowed by county, park and hazard class', () => {
  it('pages through the matches once each, newest first, whatever the page size', async () => {
    const inWenling = (i: number) => i % 5 !== 0 && i % 2 === 1;
    for (const limit of [1, 2, 5, 100]) expect((await all('county=331081', limit)).ids).toEqual(expected(inWenling));
    const inPark = (i: number) => i % 5 === 0;
    expect((await all('park=Z-PARK-1', 3)).ids).toEqual(expected(inPark));
    const acid = (i: number) => i % 3 === 0;
    expect((await all('hazardClass=8', 4)).ids).toEqual(expected(acid));
    expect((await all('hazardClass=8&county=331081', 2)).ids).toEqual(expected((i) => acid(i) && inWenling(i)));
  });

  it('refuses a county or a class that is not one, naming the field', async () => {
    for (const [query, field] of [['county=Wenling', 'county'], ['hazardClass=X', 'hazardClass']] as const) {
      const res = await api.app.inject({ method: 'GET', url: `/v1/violations?${query}`, headers: headersFor('bureau') });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain(field);
    }
  });
});
