import { segments } from './geography.ts';
import { PlanarPath } from './planar.ts';
import { positionAt, type Route } from './roadNetwork.ts';

/** Where along a route (arc length, m) the noise-free trajectory is inside a segment's corridor. */
export interface SegmentInterval {
  zoneId: string;
  fromM: number;
  toM: number;
}

export const segmentPaths: readonly { zoneId: string; path: PlanarPath; bufferM: number }[] = segments.map((s) => ({
  zoneId: s.zoneId,
  path: new PlanarPath(s.path),
  bufferM: s.bufferM,
}));

const STEP_M = 5;

/** Samples the route every 5 m and refines each boundary by bisection to a few millimetres. */
export function segmentIntervals(route: Route): SegmentInterval[] {
  const out: SegmentInterval[] = [];
  for (const seg of segmentPaths) {
    const inside = (s: number): boolean => {
      const p = positionAt(route, s);
      if (seg.path.farFromBox(p.x, p.y, seg.bufferM)) return false;
      return seg.path.distanceM(p.x, p.y) <= seg.bufferM;
    };
    let from: number | null = null;
    let prevS = 0;
    let prevIn = inside(0);
    if (prevIn) from = 0;
    for (let s = STEP_M; ; s += STEP_M) {
      const here = Math.min(s, route.lengthM);
      const isIn = inside(here);
      if (isIn !== prevIn) {
        const edge = bisect(inside, prevS, here, prevIn);
        if (isIn) from = edge;
        else {
          out.push({ zoneId: seg.zoneId, fromM: from ?? 0, toM: edge });
          from = null;
        }
      }
      prevS = here;
      prevIn = isIn;
      if (here >= route.lengthM) break;
    }
    if (from !== null) out.push({ zoneId: seg.zoneId, fromM: from, toM: route.lengthM });
  }
  return out.sort((a, b) => a.fromM - b.fromM || (a.zoneId < b.zoneId ? -1 : 1));
}

function bisect(inside: (s: number) => boolean, lo: number, hi: number, loIn: boolean): number {
  for (let i = 0; i < 12; i++) {
    const mid = (lo + hi) / 2;
    if (inside(mid) === loIn) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Shortest planar distance from (x, y) to any segment corridor's centre line. */
export function distanceToSegmentsM(x: number, y: number): number {
  let best = Infinity;
  for (const seg of segmentPaths) best = Math.min(best, seg.path.distanceM(x, y));
  return best;
}
