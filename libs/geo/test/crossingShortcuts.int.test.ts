import { afterEach, describe, expect, it } from 'vitest';
import type { LonLat, ZoneKind, ZoneSpec } from '../src/index.ts';
import { ZoneIndex, alongLine } from '../src/index.ts';
import { lineMayPassCell } from '../src/lineBox.ts';
import { useLocateShortcuts } from '../src/lineCrossing.ts';
import { seededRandom } from './seededRandom.ts';
import { chemicalPark, offset, restrictedArea, segment, segmentGcj } from './taizhouZones.ts';

const T = Date.UTC(2025, 2, 1);
const notched: ZoneSpec = { ...chemicalPark, zoneId: 'ra-notched', kind: 'restricted-area' };
const ZONES: readonly ZoneSpec[] = [segment, segmentGcj, restrictedArea, notched];
const KINDS: readonly ZoneKind[] = ['accident-segment', 'restricted-area'];

/** Metres east and north from a to b, near Taizhou (the inverse of `offset`, closely enough for building test lines). */
function metresBetween(a: LonLat, b: LonLat): [number, number] {
  const north = (b[1] - a[1]) * 111_195;
  const east = (b[0] - a[0]) * 111_195 * Math.cos((a[1] * Math.PI) / 180);
  return [east, north];
}

afterEach(() => useLocateShortcuts(true));

/** The search skips evaluations whose side the Lipschitz bound settles: every answer must keep every bit. */
describe('locating entry and exit with the Lipschitz shortcuts', () => {
  it('gives bit-identical crossings to the full search, on random, grazing and nearly tangent lines', () => {
    const index = new ZoneIndex();
    for (const z of ZONES) index.designate(z, T);
    const rnd = seededRandom(808);
    const lines: [LonLat, LonLat][] = [];
    const path = index.versionAt(segment.zoneId, T)!.path!;
    const buffer = segment.bufferM!;
    for (let n = 0; n < 1_500; n++) {
      // Random lines of 20 m – 3 km around a vertex of any zone.
      const z = ZONES[Math.floor(rnd() * ZONES.length)]!;
      const v = index.versionAt(z.zoneId, T)!;
      const pts = v.polygon ?? v.path!;
      const p = pts[Math.floor(rnd() * pts.length)]!;
      const around = offset(p, (rnd() - 0.5) * 2 * ((z.bufferM ?? 0) + 60), (rnd() - 0.5) * 2 * ((z.bufferM ?? 0) + 60));
      const heading = rnd() * 2 * Math.PI;
      const half = (20 + rnd() * 2980) / 2;
      lines.push([offset(around, -half * Math.cos(heading), -half * Math.sin(heading)), offset(around, half * Math.cos(heading), half * Math.sin(heading))]);
    }
    for (let n = 0; n < 1_500; n++) {
      // Lines along a corridor segment at the buffer's distance, from a metre inside to a micrometre
      // either side of tangency, and slightly tilted: the entry and exit brackets stay long and
      // shallow, where bounds from an end settle least and where a wrong one would show.
      const i = Math.floor(rnd() * (path.length - 1));
      const a = path[i]!, b = path[i + 1]!;
      const [east, north] = metresBetween(a, b);
      const len = Math.hypot(east, north);
      const ux = east / len, uy = north / len;
      const side = rnd() < 0.5 ? -1 : 1;
      const miss = [-1, -0.01, -1e-4, -1e-6, 0, 1e-6, 1e-4, 0.01, 1][n % 9]!;
      const d = side * (buffer + miss);
      const tilt = (rnd() - 0.5) * 0.02;
      const mid = offset(a, (east / 2) - uy * d, (north / 2) + ux * d);
      const half = 100 + rnd() * 400;
      const dx = ux + tilt * -uy, dy = uy + tilt * ux;
      lines.push([offset(mid, -half * dx, -half * dy), offset(mid, half * dx, half * dy)]);
    }
    for (let n = 0; n < 1_000; n++) {
      // Steep and shallow crossings of a corridor's axis at every angle.
      const i = Math.floor(rnd() * (path.length - 1));
      const p = path[i]!;
      const angle = rnd() * Math.PI;
      const half = 60 + rnd() * 600;
      const shift = (rnd() - 0.5) * half;
      const c = offset(p, shift * Math.cos(angle), shift * Math.sin(angle));
      lines.push([offset(c, -half * Math.cos(angle), -half * Math.sin(angle)), offset(c, half * Math.cos(angle), half * Math.sin(angle))]);
    }
    let crossings = 0;
    const failures: string[] = [];
    for (const [n, [a, b]] of lines.entries()) {
      for (const kind of KINDS) {
        useLocateShortcuts(false);
        const full = index.crossingsBetween(a[0], a[1], T, b[0], b[1], T + 60_000, kind, 10_000);
        useLocateShortcuts(true);
        const quick = index.crossingsBetween(a[0], a[1], T, b[0], b[1], T + 60_000, kind, 10_000);
        crossings += full.length;
        const same =
          full.length === quick.length &&
          full.every((c, k) => c.zoneId === quick[k]!.zoneId && Object.is(c.enter, quick[k]!.enter) && Object.is(c.exit, quick[k]!.exit));
        if (!same) failures.push(`line ${n} ${kind}: ${JSON.stringify(full)} became ${JSON.stringify(quick)}`);
      }
    }
    expect(failures.slice(0, 5)).toEqual([]);
    // Not vacuous: many lines cross, the tangent ones included.
    expect(crossings).toBeGreaterThan(1_500);
  }, 120_000);
});

/** The walk of a line spanning several crossing cells in both axes skips the cells it cannot pass. */
describe('lineMayPassCell', () => {
  const PER_DEGREE = 400;
  const SLACK = 1e-7;
  /** Every cell whose closed box holds the point (one, two on an edge, four on a corner). */
  function cellsHolding(lon: number, lat: number): [number, number][] {
    const out: [number, number][] = [];
    const xs = [Math.floor(lon * PER_DEGREE)], ys = [Math.floor(lat * PER_DEGREE)];
    if (Number.isInteger(lon * PER_DEGREE)) xs.push(lon * PER_DEGREE - 1);
    if (Number.isInteger(lat * PER_DEGREE)) ys.push(lat * PER_DEGREE - 1);
    for (const x of xs) for (const y of ys) out.push([x, y]);
    return out;
  }

  it('never rules out a cell holding a point of the line: through cell corners, along cell edges, and at random', () => {
    const rnd = seededRandom(400);
    const failures: string[] = [];
    let checked = 0;
    for (let n = 0; n < 6_000; n++) {
      const cx = Math.floor((121 + rnd() * 0.5) * PER_DEGREE), cy = Math.floor((28.5 + rnd() * 0.5) * PER_DEGREE);
      let a: LonLat, b: LonLat;
      const kind = n % 3;
      if (kind === 0) {
        // Through a cell corner, diagonally or at any angle: the line meets the two off-diagonal cells only at the corner.
        const corner: LonLat = [cx / PER_DEGREE, cy / PER_DEGREE];
        const angle = n % 2 === 0 ? Math.PI / 4 + (Math.floor(rnd() * 4) * Math.PI) / 2 : rnd() * 2 * Math.PI;
        const len = (0.5 + rnd() * 4) / PER_DEGREE;
        const t = rnd();
        a = [corner[0] - t * len * Math.cos(angle), corner[1] - t * len * Math.sin(angle)];
        b = [corner[0] + (1 - t) * len * Math.cos(angle), corner[1] + (1 - t) * len * Math.sin(angle)];
      } else if (kind === 1) {
        // Along a cell edge, with a tilt of a few ulps or none.
        const lat = cy / PER_DEGREE;
        const tilt = [0, 1e-15, -1e-15, 1e-12][n % 4]!;
        a = [cx / PER_DEGREE - rnd() * 0.005, lat];
        b = [cx / PER_DEGREE + rnd() * 0.005, lat + tilt];
        if (rnd() < 0.5) {
          a = [a[1] - 28.5 + 121, a[0] - 121 + 28.5];
          b = [b[1] - 28.5 + 121, b[0] - 121 + 28.5];
        }
      } else {
        a = [cx / PER_DEGREE + (rnd() - 0.5) * 0.01, cy / PER_DEGREE + (rnd() - 0.5) * 0.01];
        b = [a[0] + (rnd() - 0.5) * 0.01, a[1] + (rnd() - 0.5) * 0.01];
      }
      const samples = 400;
      for (let k = 0; k <= samples; k++) {
        const lon = alongLine(a[0], b[0], k / samples), lat = alongLine(a[1], b[1], k / samples);
        for (const [x, y] of cellsHolding(lon, lat)) {
          checked++;
          if (!lineMayPassCell(a[0], a[1], b[0], b[1], x, y, PER_DEGREE, SLACK)) failures.push(`line ${n} (${a} → ${b}) at t=${k / samples}: cell ${x},${y} ruled out`);
        }
      }
      // The exact corner of kind 0, if it is a point of the line.
      if (kind === 0) {
        for (const [x, y] of cellsHolding(cx / PER_DEGREE, cy / PER_DEGREE)) {
          checked++;
          if (!lineMayPassCell(a[0], a[1], b[0], b[1], x, y, PER_DEGREE, SLACK)) failures.push(`line ${n} through corner ${cx},${cy}: cell ${x},${y} ruled out`);
        }
      }
    }
    expect(failures.slice(0, 5)).toEqual([]);
    expect(checked).toBeGreaterThan(2_000_000);
  }, 60_000);

  it('rules out cells the line clearly misses (the walk saves their lookups)', () => {
    // A diagonal line across a 3 × 3 block of cells passes five of them (the diagonal and its corner neighbours) and misses two.
    const a: LonLat = [121 + 0.2 / 400, 28.5 + 0.2 / 400];
    const b: LonLat = [121 + 2.8 / 400, 28.5 + 2.8 / 400];
    const x0 = 121 * 400, y0 = 28.5 * 400;
    expect(lineMayPassCell(a[0], a[1], b[0], b[1], x0 + 2, y0, 400, 1e-7)).toBe(false);
    expect(lineMayPassCell(a[0], a[1], b[0], b[1], x0, y0 + 2, 400, 1e-7)).toBe(false);
    for (const [dx, dy] of [[0, 0], [1, 1], [2, 2], [0, 1], [1, 0], [1, 2], [2, 1]] as const) {
      expect(lineMayPassCell(a[0], a[1], b[0], b[1], x0 + dx, y0 + dy, 400, 1e-7)).toBe(true);
    }
  });
});
