import { describe, expect, it } from 'vitest';
import type { LonLat, ZoneKind, ZoneSpec } from '../src/index.ts';
import { ZoneIndex, alongLine } from '../src/index.ts';
import { seededRandom } from './seededRandom.ts';
import { chemicalPark, offset, restrictedArea, segment, segmentGcj } from './taizhouZones.ts';

const T = Date.UTC(2025, 2, 1);
/** The park's concave outline as a restricted area too: lines can leave and re-enter its notch. */
const notched: ZoneSpec = { ...chemicalPark, zoneId: 'ra-notched', kind: 'restricted-area' };
const ZONES: readonly ZoneSpec[] = [segment, segmentGcj, restrictedArea, notched];
const SAMPLES = 100;

/** Distance in degrees from a point to the nearest ring edge (planar, as the polygon test is). */
function degreesToRing(lon: number, lat: number, ring: readonly LonLat[]): number {
  let best = Infinity;
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i] as LonLat;
    const b = ring[(i + 1) % ring.length] as LonLat;
    const dx = b[0] - a[0], dy = b[1] - a[1];
    const t = Math.max(0, Math.min(1, ((lon - a[0]) * dx + (lat - a[1]) * dy) / (dx * dx + dy * dy)));
    best = Math.min(best, Math.hypot(lon - (a[0] + t * dx), lat - (a[1] + t * dy)));
  }
  return best;
}

describe('crossings between fixes agree with the zone index along the line', () => {
  it('covers every sampled point the index calls inside, never reports a line with an inside end, and enters and leaves where the index says', () => {
    const index = new ZoneIndex();
    for (const z of ZONES) index.designate(z, T);
    const kindOf = new Map(ZONES.map((z) => [z.zoneId, z.kind] as const));
    const edgePoints = ZONES.flatMap((z) => {
      const version = index.versionAt(z.zoneId, T)!;
      return (version.polygon ?? version.path ?? []).map((p) => ({ p, z }));
    });
    const rnd = seededRandom(15);
    const failures: string[] = [];
    let crossings = 0;
    let withInsideSample = 0;
    let grazing = 0;
    let endInside = 0;
    const LINES = 3_000;
    for (let n = 0; n < LINES; n++) {
      const { p, z } = edgePoints[Math.floor(rnd() * edgePoints.length)]!;
      // Lines of 20 m – 3 km through the neighbourhood of a vertex, at the buffer's distance for corridors.
      const around = offset(p, (rnd() - 0.5) * 2 * ((z.bufferM ?? 0) + 60), (rnd() - 0.5) * 2 * ((z.bufferM ?? 0) + 60));
      const heading = rnd() * 2 * Math.PI;
      const half = (20 + rnd() * 2980) / 2;
      const a = offset(around, -half * Math.cos(heading), -half * Math.sin(heading));
      const b = offset(around, half * Math.cos(heading), half * Math.sin(heading));
      for (const kind of ['accident-segment', 'restricted-area'] as ZoneKind[]) {
        const found = new Map(index.crossingsBetween(a[0], a[1], T, b[0], b[1], T + 60_000, kind, 10_000).map((c) => [c.zoneId, c] as const));
        const insideAt = (t: number) => index.zonesAt(alongLine(a[0], b[0], t), alongLine(a[1], b[1], t), T, kind);
        const samples = Array.from({ length: SAMPLES + 1 }, (_, k) => insideAt(k / SAMPLES));
        for (const zone of ZONES.filter((x) => x.kind === kind)) {
          const id = zone.zoneId;
          const c = found.get(id);
          const insideT = samples.flatMap((ids, k) => (ids.includes(id) ? [k / SAMPLES] : []));
          if (insideT.includes(0) || insideT.includes(1)) {
            endInside++;
            if (c) failures.push(`line ${n} ${id}: reported though an end is inside`);
            continue;
          }
          if (insideT.length > 0) {
            withInsideSample++;
            if (!c) failures.push(`line ${n} ${id}: index inside at t=${insideT[0]} but no crossing`);
            else if (insideT.some((t) => t < c.enter - 1e-6 || t > c.exit + 1e-6)) failures.push(`line ${n} ${id}: sample outside [${c.enter}, ${c.exit}]`);
          }
          if (!c) continue;
          crossings++;
          if (insideT.length === 0) grazing++;
          if (!(0 < c.enter && c.enter <= c.exit && c.exit < 1)) failures.push(`line ${n} ${id}: bad span [${c.enter}, ${c.exit}]`);
          for (const t of [c.enter, c.exit]) {
            const lon = alongLine(a[0], b[0], t), lat = alongLine(a[1], b[1], t);
            if (kindOf.get(id) === 'accident-segment') {
              // Corridor entry and exit points are evaluated inside by the index's own distance.
              if (!index.zonesAt(lon, lat, T, kind).includes(id)) failures.push(`line ${n} ${id}: t=${t} not inside`);
            } else if (degreesToRing(lon, lat, index.versionAt(id, T)!.polygon!) > 1e-12) {
              failures.push(`line ${n} ${id}: t=${t} not on the boundary`);
            }
          }
        }
      }
    }
    console.log(`line crossings: ${LINES} lines, ${crossings} crossings (${withInsideSample} with a sampled point inside, ${grazing} between samples), ${endInside} zone/line pairs with an end inside; failures ${failures.length}`);
    expect(failures.slice(0, 10)).toEqual([]);
    expect(crossings).toBeGreaterThan(500);
    expect(endInside).toBeGreaterThan(200);
    expect(grazing).toBeGreaterThan(0);
  }, 120_000);
});
