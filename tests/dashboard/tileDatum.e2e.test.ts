import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildApiApp, readApiConfig } from '@dgt/api';
import { openMemoryEventStore } from '@dgt/eventstore';
import { wgs84ToGcj02 } from '@dgt/geo';
import { generateApiKey, hashApiKey, type ServiceApp } from '@dgt/http';
import { createMemoryReadModelStore } from '@dgt/readmodels';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DashboardPage, ensureDashboardBuilt, launchChromium } from './dashboardPage.ts';
import { seedDesk } from './deskFixture.ts';

/*
 * Issue #18 item 2: with GCJ-02 tiles (Amap, Tencent) the desk draws its WGS-84 data where the
 * tiles draw those places — each position moved by WGS-84 → GCJ-02 before projecting — and with
 * WGS-84 tiles where it is. Checked against the tile grid itself: a marker's offset from the
 * top-left corner of the tile under it is the Web-Mercator pixel of the position the tiles use.
 */

// Any 1×1 PNG: Leaflet sizes every tile to 256 px, and only the tiles' places matter here.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNgYAAAAAMAASsJTYQAAAAASUVORK5CYII=', 'base64');
const key = generateApiKey();
let browser: Browser;
let tiles: Server;
let tileBase: string;
const apps: ServiceApp[] = [];

/** World pixel (Web Mercator, 256-px tiles) of a lon/lat at a zoom. */
function worldPixel(lon: number, lat: number, zoom: number): { x: number; y: number } {
  const scale = 256 * 2 ** zoom;
  const sin = Math.sin((lat * Math.PI) / 180);
  return { x: ((lon + 180) / 360) * scale, y: (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * scale };
}

async function deskWith(datum: 'wgs84' | 'gcj02'): Promise<string> {
  const config = readApiConfig({
    DGT_API_KEYS: JSON.stringify([{ id: 'bureau-desk', role: 'bureau', sha256: hashApiKey(key) }]),
    API_LOG_LEVEL: 'silent',
    DGT_DASHBOARD_TILE_URL: `${tileBase}/{z}/{x}/{y}.png`,
    DGT_DASHBOARD_TILE_DATUM: datum,
  });
  const store = openMemoryEventStore();
  const readModels = createMemoryReadModelStore();
  await seedDesk(readModels, store, Date.now());
  const app = await buildApiApp({ config, store, readModels, defaultMetrics: false });
  apps.push(app);
  return app.listen({ port: 0, host: '127.0.0.1' });
}

/** The marker's centre relative to the top-left of the tile image under it, and that tile's z/x/y. */
async function markerOnTile(desk: DashboardPage, vehicleId: string): Promise<{ dx: number; dy: number; z: number; x: number; y: number }> {
  return desk.page.evaluate((id) => {
    const marker = document.querySelector<HTMLElement>(`[data-testid="vehicle-marker"][data-vehicle-id="${id}"]`);
    if (marker === null) throw new Error('no marker');
    const m = marker.getBoundingClientRect();
    const cx = m.left + m.width / 2;
    const cy = m.top + m.height / 2;
    for (const img of document.querySelectorAll<HTMLImageElement>('img.leaflet-tile')) {
      const r = img.getBoundingClientRect();
      if (cx >= r.left && cx < r.right && cy >= r.top && cy < r.bottom) {
        const [z, x, y] = new URL(img.src).pathname.replace('.png', '').split('/').filter(Boolean).map(Number) as [number, number, number];
        return { dx: cx - r.left, dy: cy - r.top, z, x, y };
      }
    }
    throw new Error('no tile under the marker');
  }, vehicleId);
}

beforeAll(async () => {
  ensureDashboardBuilt();
  tiles = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'no-store' });
    res.end(png);
  });
  await new Promise<void>((resolve) => tiles.listen(0, '127.0.0.1', resolve));
  tileBase = `http://127.0.0.1:${(tiles.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  for (const app of apps) await app.close();
  await new Promise<void>((resolve) => tiles?.close(() => resolve()));
});

describe('the desk on map tiles of either datum', () => {
  it('draws a vehicle at its GCJ-02 place on GCJ-02 tiles (≈540 m east-south-east of its WGS-84 place around Taizhou) and at its own place on WGS-84 tiles', async () => {
    // V-BETA-1's last fix in the fixture (WGS-84).
    const fix = { lon: 121.41, lat: 28.64 };
    for (const datum of ['wgs84', 'gcj02'] as const) {
      const url = await deskWith(datum);
      const desk = await DashboardPage.open(browser, url);
      try {
        await desk.login(key);
        await desk.waitForVehicleCount(4);
        await desk.page.locator('img.leaflet-tile').first().waitFor({ timeout: 10_000 });
        const on = await markerOnTile(desk, 'V-BETA-1');
        const [lon, lat] = datum === 'gcj02' ? wgs84ToGcj02(fix.lon, fix.lat) : [fix.lon, fix.lat];
        const p = worldPixel(lon, lat, on.z);
        expect(Math.abs(on.dx - (p.x - on.x * 256)), `${datum} x`).toBeLessThan(1.5);
        expect(Math.abs(on.dy - (p.y - on.y * 256)), `${datum} y`).toBeLessThan(1.5);
        if (datum === 'gcj02') {
          // And not where the WGS-84 position would be: the shift is many pixels at this zoom.
          const w = worldPixel(fix.lon, fix.lat, on.z);
          expect(Math.hypot(on.dx - (w.x - on.x * 256), on.dy - (w.y - on.y * 256))).toBeGreaterThan(5);
        }
        expect(desk.problems().filter((p) => !p.includes('favicon'))).toEqual([]);
      } finally {
        await desk.close();
      }
    }
  });
});
