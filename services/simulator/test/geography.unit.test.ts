import { describe, expect, it } from 'vitest';
import { customers, lots, nodes, parks, roads } from '../src/geography.ts';
import { restrictedAreas, segments } from '../src/zoneSpecs.ts';
import { PlanarPolygon } from '../src/planar.ts';
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

  it('lets only the roads that name a restricted area come within 300 m of it, and those cross it from side to side', () => {
    for (const area of restrictedAreas) {
      const polygon = new PlanarPolygon(area.polygon);
      for (const road of roads) {
        const pts = road.points.map((p) => toXY(typeof p === 'string' ? nodes[p] : p));
        const samples: [number, number][] = [];
        for (let i = 0; i + 1 < pts.length; i++) {
          const [ax, ay] = pts[i]!;
          const [bx, by] = pts[i + 1]!;
          const n = Math.max(1, Math.ceil(Math.hypot(bx - ax, by - ay) / 20));
          for (let k = 0; k <= n; k++) samples.push([ax + ((bx - ax) * k) / n, ay + ((by - ay) * k) / n]);
        }
        if (road.restrictedZoneId === area.zoneId) {
          // Both ends outside, more than a kilometre of it inside.
          expect(polygon.contains(...samples[0]!), road.id).toBe(false);
          expect(polygon.contains(...samples[samples.length - 1]!), road.id).toBe(false);
          expect(samples.filter((p) => polygon.contains(...p)).length * 20, road.id).toBeGreaterThan(1_000);
        } else {
          const near = samples.filter((p) => polygon.edges.boxDistanceM(...p) < 300);
          for (const p of near) expect(polygon.contains(...p) || polygon.boundaryDistanceM(...p) < 300, `${road.id} vs ${area.zoneId}`).toBe(false);
        }
      }
    }
  });

  it('keeps every site at least 1 km from each restricted area', () => {
    for (const area of restrictedAreas) {
      const polygon = new PlanarPolygon(area.polygon);
      for (const site of sites) {
        const [x, y] = toXY(nodes[site.id]);
        expect(polygon.contains(x, y) || polygon.boundaryDistanceM(x, y) < 1_000, `${site.id} vs ${area.zoneId}`).toBe(false);
      }
    }
  });

  it('offers a lawful detour round every restricted area: a laden route never takes a road through one', () => {
    const network = new RoadNetwork();
    const fastest = network.route('huangyan-j', 'yuanqiao');
    expect(fastest.throughRestricted).toEqual(['restricted-huangyan-centre']);
    const lawful = network.route('huangyan-j', 'yuanqiao', { avoidRestricted: true });
    expect(lawful.throughRestricted).toEqual([]);
    expect(lawful.lengthM).toBeGreaterThan(fastest.lengthM);
    for (const a of sites) for (const b of sites) if (a.id !== b.id) expect(network.route(a.id, b.id, { avoidRestricted: true }).throughRestricted).toEqual([]);
  });

  it('makes the short G1523 tunnel short enough to pass between two fixes at expressway speed', () => {
    const tunnel = segments.find((s) => s.zoneId === 'seg-g1523-wenling-tunnel')!;
    const [[ax, ay], [bx, by]] = tunnel.path.map(toXY) as [[number, number], [number, number]];
    const corridorM = Math.hypot(bx - ax, by - ay) + 2 * tunnel.bufferM;
    // At 72 km/h (20 m/s) a vehicle reporting every 30 s is inside for less than half the interval.
    expect(corridorM / 20).toBeLessThan(15);
  });
});
