import { describe, expect, it } from 'vitest';
import { customers, lots, nodes, parks, roads, segments } from '../src/geography.ts';
import { PlanarPath, toXY } from '../src/planar.ts';
import { RoadNetwork } from '../src/roadNetwork.ts';

const sites = [...parks, ...lots, ...customers];

function minDistanceToRoad(seg: PlanarPath, points: readonly (readonly [number, number])[]): number {
  // Sample the road every 20 m.
  let best = Infinity;
  for (let i = 0; i + 1 < points.length; i++) {
    const [ax, ay] = toXY(points[i]!);
    const [bx, by] = toXY(points[i + 1]!);
    const n = Math.max(1, Math.ceil(Math.hypot(bx - ax, by - ay) / 20));
    for (let k = 0; k <= n; k++) best = Math.min(best, seg.distanceM(ax + ((bx - ax) * k) / n, ay + ((by - ay) * k) / n));
  }
  return best;
}

describe('Taizhou geography', () => {
  it('keeps every road other than its host at least 200 m from each accident-prone segment', () => {
    for (const s of segments) {
      const seg = new PlanarPath(s.path);
      for (const road of roads) {
        if (road.id === s.roadId) continue;
        const pts = road.points.map((p) => (typeof p === 'string' ? nodes[p] : p));
        expect(minDistanceToRoad(seg, pts), `${road.id} vs ${s.zoneId}`).toBeGreaterThan(200);
      }
    }
  });

  it('keeps every junction of the host road at least 500 m from its segments', () => {
    const network = new RoadNetwork();
    for (const s of segments) {
      const seg = new PlanarPath(s.path);
      for (const id of Object.keys(nodes) as (keyof typeof nodes)[]) {
        if (network.degree(id) < 3) continue;
        const [x, y] = toXY(nodes[id]);
        expect(seg.distanceM(x, y), `${id} vs ${s.zoneId}`).toBeGreaterThan(500);
      }
    }
  });

  it('keeps every site at least 1 km from each segment', () => {
    for (const s of segments) {
      const seg = new PlanarPath(s.path);
      for (const site of sites) {
        const [x, y] = toXY(nodes[site.id]);
        expect(seg.distanceM(x, y), `${site.id} vs ${s.zoneId}`).toBeGreaterThan(1_000);
      }
    }
  });

  it('routes between every pair of sites', () => {
    const network = new RoadNetwork();
    for (const a of sites) {
      for (const b of sites) {
        if (a.id === b.id) continue;
        const r = network.route(a.id, b.id);
        expect(r.lengthM).toBeGreaterThan(0);
        expect(r.cum.length).toBe(r.xs.length);
      }
    }
  });
});
