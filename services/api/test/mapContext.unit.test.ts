import { afterEach, describe, expect, it } from 'vitest';
import { readApiConfig } from '../src/env.ts';
import { mapContextFromGeoJson } from '../src/mapContext.ts';
import { startTestApi, type TestApi } from './apiTestKit.ts';

/*
 * Issue #18 item 2: the desk's map has context offline — the seed roads with their names and
 * Taizhou's county boundaries — served with the page (public geography, no one's data).
 */

const seeds = (file: string) => new URL(`../../../seeds/taizhou/${file}`, import.meta.url).pathname;
const keys = JSON.stringify([{ id: 'k', role: 'bureau', sha256: 'a'.repeat(64) }]);

let api: TestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('map context for the desk', () => {
  it('serves the seed roads with their names in the page config and the county boundaries, without a key', async () => {
    const config = readApiConfig({ DGT_API_KEYS: keys, API_ROADS_FILE: seeds('roads.json'), API_COUNTIES_FILE: seeds('counties.json') });
    api = await startTestApi({ config: { roads: config.roads!, places: config.places!, countyBoundaries: config.countyBoundaries! } });
    const page = await api.app.inject({ method: 'GET', url: '/dashboard-config.json' });
    const { roads, places, counties: hasCounties } = page.json<{ roads: { name: string; path: [number, number][] }[]; places: { name: string; nameZh: string | null; kind: string | null }[]; counties: boolean }>();
    expect(roads.length).toBeGreaterThanOrEqual(40);
    expect(places.find((p) => p.nameZh === '椒江危险化学品专用停车场')?.kind).toBe('lot');
    expect(hasCounties).toBe(true);
    expect(roads.find((r) => r.name.startsWith('G15 '))?.path.length).toBeGreaterThan(2);
    const counties = await api.app.inject({ method: 'GET', url: '/map/counties.json' });
    expect(counties.statusCode).toBe(200);
    expect(counties.headers['cache-control']).toBe('public, max-age=3600');
    const names = counties.json<{ features: { properties: { name: string } }[] }>().features.map((f) => f.properties.name);
    expect(names).toHaveLength(9);
    expect(names).toContain('椒江区');
  });

  it('answers 404 for county boundaries when none are configured, and no roads', async () => {
    api = await startTestApi();
    expect((await api.app.inject({ method: 'GET', url: '/map/counties.json' })).statusCode).toBe(404);
    expect((await api.app.inject({ method: 'GET', url: '/dashboard-config.json' })).json<{ roads: unknown[]; places: unknown[]; counties: boolean }>()).toMatchObject({ roads: [], places: [], counties: false });
  });

  it('refuses a roads file that is not lines with names, naming the feature and field', () => {
    expect(() => mapContextFromGeoJson({ features: [{ properties: {}, geometry: { type: 'LineString', coordinates: [[121, 28], [121.1, 28.1]] } }] })).toThrow('features[0].properties.name');
    expect(() => mapContextFromGeoJson({ features: [{ properties: { name: 'X' }, geometry: { type: 'Polygon', coordinates: [] } }] })).toThrow('features[0].geometry: must be a LineString, MultiLineString or Point');
    expect(() => mapContextFromGeoJson({ features: [{ properties: { name: 'X' }, geometry: { type: 'Point', coordinates: [200, 28] } }] })).toThrow('features[0].geometry.coordinates: must be [lon, lat]');
    expect(() => mapContextFromGeoJson({ features: [{ properties: { name: 'X' }, geometry: { type: 'MultiLineString', coordinates: [[[121, 28], [121.1, 28.1]], [[121, 95], [121, 28]]] } }] })).toThrow('features[0].geometry.coordinates[1][0]');
    expect(() => readApiConfig({ DGT_API_KEYS: keys, API_ROADS_FILE: seeds('counties.json') })).toThrow(/API_ROADS_FILE .*counties\.json: features\[0\]\.geometry/);
  });
});
