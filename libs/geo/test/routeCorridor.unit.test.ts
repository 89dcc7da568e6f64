import { describe, expect, it } from 'vitest';
import { distanceM, distanceToPathM, gcj02ToWgs84, RouteCorridor } from '../src/index.ts';
import type { LonLat } from '../src/types.ts';
import { seededRandom } from './seededRandom.ts';

/** A winding route of `n` points near Taizhou, ~300–900 m per leg. */
function windingRoute(rand: () => number, n: number): LonLat[] {
  const out: LonLat[] = [[121.2 + rand() * 0.2, 28.5 + rand() * 0.2]];
  let heading = rand() * 2 * Math.PI;
  for (let i = 1; i < n; i++) {
    heading += (rand() - 0.5) * 1.2;
    const step = 0.003 + rand() * 0.006;
    const [lon, lat] = out[i - 1] as LonLat;
    out.push([lon + Math.cos(heading) * step, lat + Math.sin(heading) * step]);
  }
  return out;
}

describe('RouteCorridor: off-route distance, exact against the brute-force point-to-path distance', () => {
  it('agrees with distanceToPathM on 20,000 points near and far from 40 random routes, within/beyond decided exactly', () => {
    const rand = seededRandom(16);
    let within = 0;
    let beyond = 0;
    for (let r = 0; r < 40; r++) {
      const path = windingRoute(rand, 5 + Math.floor(rand() * 120));
      const tol = [50, 200, 500, 1_500][r % 4] as number;
      const corridor = new RouteCorridor(path, tol);
      for (let k = 0; k < 500; k++) {
        // Points near a random vertex, from on the path to a few tolerances away.
        const [lon, lat] = path[Math.floor(rand() * path.length)] as LonLat;
        const spread = (tol * (0.2 + rand() * 3)) / 111_000;
        const p: LonLat = [lon + (rand() - 0.5) * 2 * spread, lat + (rand() - 0.5) * 2 * spread];
        const exact = distanceToPathM(p[0], p[1], path);
        const got = corridor.beyond(p[0], p[1]);
        if (exact <= tol) {
          within++;
          expect(got).toBeNull();
        } else {
          beyond++;
          expect(got).toBe(exact);
        }
      }
    }
    // Both answers are exercised in earnest.
    expect(within).toBeGreaterThan(3_000);
    expect(beyond).toBeGreaterThan(3_000);
  });

  it('decides like the exact distance near the tolerance at every latitude and segment length (the planar shortcut never answers wrongly)', () => {
    const rand = seededRandom(1616);
    let checked = 0;
    for (const lat0 of [0, 18, 28.6, 45, 53, 70, 79]) {
      for (const legM of [40, 2_000, 20_000, 45_000]) {
        for (const tol of [30, 500, 3_000]) {
          const heading = rand() * Math.PI;
          const a: LonLat = [121 + rand(), lat0];
          const dLat = (Math.sin(heading) * legM) / 111_195;
          const dLon = (Math.cos(heading) * legM) / (111_195 * Math.cos((lat0 * Math.PI) / 180));
          const path: LonLat[] = [a, [a[0] + dLon, a[1] + dLat], [a[0] + 2 * dLon, a[1] + dLat * 0.5]];
          const corridor = new RouteCorridor(path, tol);
          for (let k = 0; k < 300; k++) {
            // A point along the path, pushed sideways to 0.8–1.2 × the tolerance (the hard band), any direction.
            const f = rand() * 2;
            const seg = f < 1 ? 0 : 1;
            const u = f - seg;
            const p0 = path[seg] as LonLat;
            const p1 = path[seg + 1] as LonLat;
            const off = tol * (0.8 + 0.4 * rand());
            const ang = rand() * 2 * Math.PI;
            const lon = p0[0] + u * (p1[0] - p0[0]) + (Math.cos(ang) * off) / (111_195 * Math.cos((lat0 * Math.PI) / 180));
            const lat = p0[1] + u * (p1[1] - p0[1]) + (Math.sin(ang) * off) / 111_195;
            const exact = distanceToPathM(lon, lat, path);
            expect(corridor.beyond(lon, lat), `lat ${lat0} leg ${legM} tol ${tol}`).toBe(exact <= tol ? null : exact);
            checked++;
          }
        }
      }
    }
    expect(checked).toBe(7 * 4 * 3 * 300);
  });

  it('decides points exactly at the tolerance: on it is within, a centimetre beyond is off', () => {
    const path: LonLat[] = [
      [121.4, 28.6],
      [121.45, 28.6],
    ];
    const corridor = new RouteCorridor(path, 500);
    // Walk north from mid-segment until the measured distance crosses 500 m, then check both sides.
    let lo = 28.6;
    let hi = 28.61;
    for (let i = 0; i < 80; i++) {
      const mid = (lo + hi) / 2;
      if (distanceToPathM(121.425, mid, path) <= 500) lo = mid;
      else hi = mid;
    }
    expect(distanceToPathM(121.425, lo, path)).toBeLessThanOrEqual(500);
    expect(corridor.beyond(121.425, lo)).toBeNull();
    expect(corridor.beyond(121.425, hi)).toBe(distanceToPathM(121.425, hi, path));
    expect(corridor.beyond(121.425, hi)).toBeGreaterThan(500);
    expect(corridor.beyond(121.425, lo + 1e-7)).toBeGreaterThan(500);
  });

  it('gives the same answers whatever order the points come in (the search starts where the last hit was)', () => {
    const rand = seededRandom(5);
    const path = windingRoute(rand, 80);
    const points: LonLat[] = [];
    for (let k = 0; k < 2_000; k++) {
      const [lon, lat] = path[Math.floor(rand() * path.length)] as LonLat;
      points.push([lon + (rand() - 0.5) * 0.02, lat + (rand() - 0.5) * 0.02]);
    }
    const forward = new RouteCorridor(path, 400);
    const shuffled = new RouteCorridor(path, 400);
    const a = points.map(([lon, lat]) => forward.beyond(lon, lat));
    const order = points.map((_, i) => i).sort(() => 0).reverse();
    const b = new Array<number | null>(points.length);
    for (const i of order) b[i] = shuffled.beyond((points[i] as LonLat)[0], (points[i] as LonLat)[1]);
    expect(b).toEqual(a);
    expect(a.filter((x) => x === null).length).toBeGreaterThan(200);
  });

  it('measures a far-away point against every segment (no box holds it)', () => {
    const path = windingRoute(seededRandom(3), 50);
    const corridor = new RouteCorridor(path, 500);
    const far: LonLat = [122.5, 30.1];
    expect(corridor.beyond(far[0], far[1])).toBe(distanceToPathM(far[0], far[1], path));
    expect(corridor.beyond(far[0], far[1])).toBeGreaterThan(100_000);
  });

  it('reads a GCJ-02 route as the WGS-84 path it stands for', () => {
    const wgs: LonLat[] = [
      [121.42, 28.65],
      [121.46, 28.66],
      [121.5, 28.64],
    ];
    const gcj = wgs.map(([lon, lat]) => {
      // Shift into GCJ-02 by inverting the conversion numerically (a few fixed-point steps).
      let g: LonLat = [lon, lat];
      for (let i = 0; i < 6; i++) {
        const back = gcj02ToWgs84(g[0], g[1]);
        g = [g[0] + (lon - back[0]), g[1] + (lat - back[1])];
      }
      return g;
    });
    const corridor = new RouteCorridor(gcj, 50, 'GCJ02');
    // On the WGS-84 path: within 50 m; read as WGS-84 the GCJ-02 numbers are ~500 m off.
    expect(corridor.beyond(121.44, 28.655)).toBeNull();
    expect(new RouteCorridor(gcj, 50, 'WGS84').beyond(121.44, 28.655)).toBeGreaterThan(100);
    for (const [i, w] of wgs.entries()) expect(distanceM(corridor.point(i)[0], corridor.point(i)[1], w[0], w[1])).toBeLessThan(1);
  });

  it('refuses a one-point route and a non-positive tolerance (caller bugs: the waybill schema forbids both)', () => {
    expect(() => new RouteCorridor([[121, 28]], 500)).toThrow(/at least 2 points/);
    expect(() => new RouteCorridor([[121, 28], [121.1, 28]], 0)).toThrow(/positive/);
  });
});
