import { describe, expect, it, afterEach } from 'vitest';
import { readApiConfig } from '../src/env.ts';
import { headersFor, startTestApi, type TestApi } from './apiTestKit.ts';

/*
 * Issue #18 item 2: every violation and vehicle gets its county and nearest road name, so "where"
 * is read, not worked out from coordinates.
 */

const seeds = (file: string) => new URL(`../../../seeds/taizhou/${file}`, import.meta.url).pathname;
const keys = JSON.stringify([{ id: 'k', role: 'bureau', sha256: 'a'.repeat(64) }]);

let api: TestApi;
afterEach(async () => api.close());

type Place = { county: { code: string; name: string; nameEn: string } | null; road: { name: string; distanceM: number } | null } | null;

describe('places of violations and vehicles', () => {
  it('names the county and the nearest road of each violation, advisory and vehicle', async () => {
    const config = readApiConfig({ DGT_API_KEYS: keys, API_ROADS_FILE: seeds('roads.json'), API_COUNTIES_FILE: seeds('counties.json') });
    api = await startTestApi({ config: { counties: config.counties!, roads: config.roads! } });
    const violations = (await api.app.inject({ method: 'GET', url: '/v1/violations', headers: headersFor('bureau') })).json<{ items: { lon: number | null; place: Place }[] }>().items;
    expect(violations.length).toBeGreaterThan(0);
    for (const v of violations) {
      if (v.lon === null) expect(v.place).toBeNull();
      else expect(v.place?.county?.code).toMatch(/^3310\d\d$/);
    }
    const withRoad = violations.find((v) => v.place?.road !== null && v.place?.road !== undefined);
    expect(withRoad?.place?.road?.distanceM).toBeLessThanOrEqual(2000);
    const vehicles = (await api.app.inject({ method: 'GET', url: '/v1/fleet', headers: headersFor('bureau') })).json<{ items: { vehicleId: string }[] }>().items;
    const one = (await api.app.inject({ method: 'GET', url: `/v1/vehicles/${vehicles[0]!.vehicleId}`, headers: headersFor('bureau') })).json<{ lastFix: { lon: number } | null; place: Place }>();
    if (one.lastFix === null) expect(one.place).toBeNull();
    else expect(one.place?.county).not.toBeUndefined();
  });

  it('answers null county and road when no boundaries or roads are configured', async () => {
    api = await startTestApi();
    const violations = (await api.app.inject({ method: 'GET', url: '/v1/violations', headers: headersFor('bureau') })).json<{ items: { lon: number | null; place: Place }[] }>().items;
    const located = violations.find((v) => v.lon !== null);
    expect(located?.place).toEqual({ county: null, road: null });
  });
});
