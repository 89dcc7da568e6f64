import { describe, expect, it } from 'vitest';
import type { LonLat, ZoneKind, ZoneSpec } from '../src/index.ts';
import { ZoneIndex } from '../src/index.ts';
import { seededRandom } from './seededRandom.ts';
import { chemicalPark, offset, restrictedArea, segment, segmentGcj } from './taizhouZones.ts';

const T = Date.UTC(2025, 2, 1);
const notched: ZoneSpec = { ...chemicalPark, zoneId: 'ra-notched', kind: 'restricted-area' };
const ZONES: readonly ZoneSpec[] = [segment, segmentGcj, restrictedArea, notched];

/** The engine carries a fix's clearance to the next fix and skips the lines it settles: a wrong bound would lose passages. */
describe('crossing clearance', () => {
  it('is a lower bound on the lon/lat distance to every point where a line can meet a zone', () => {
    const index = new ZoneIndex();
    for (const z of ZONES) index.designate(z, T);
    const rnd = seededRandom(21);
    // Points where a line can meet a zone: any point of a corridor, the edges of an area.
    const targets: { kind: ZoneKind; p: LonLat }[] = [];
    for (const z of ZONES) {
      const v = index.versionAt(z.zoneId, T)!;
      if (v.path !== undefined) {
        for (let n = 0; n < 4_000; n++) {
          const q = v.path[Math.floor(rnd() * v.path.length)] as LonLat;
          const p = offset(q, (rnd() - 0.5) * 2 * (v.bufferM ?? 0), (rnd() - 0.5) * 2 * (v.bufferM ?? 0));
          if (index.zonesAt(p[0], p[1], T, z.kind).includes(z.zoneId)) targets.push({ kind: z.kind, p });
        }
      } else {
        const ring = v.polygon!;
        for (let n = 0; n < 4_000; n++) {
          const i = Math.floor(rnd() * ring.length);
          const a = ring[i] as LonLat;
          const b = ring[(i + 1) % ring.length] as LonLat;
          const t = rnd();
          targets.push({ kind: z.kind, p: [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])] });
        }
      }
    }
    expect(targets.length).toBeGreaterThan(8_000);
    let positive = 0;
    const failures: string[] = [];
    for (let n = 0; n < 20_000; n++) {
      // Points from on top of a zone to a few kilometres away.
      const { p: near } = targets[Math.floor(rnd() * targets.length)]!;
      const p = offset(near, (rnd() - 0.5) * 2 * 3_000 * rnd() ** 2, (rnd() - 0.5) * 2 * 3_000 * rnd() ** 2);
      for (const kind of ['accident-segment', 'restricted-area'] as ZoneKind[]) {
        const clearance = index.crossingClearance(p[0], p[1], kind);
        if (clearance > 0) positive++;
        for (const t of targets) {
          if (t.kind !== kind) continue;
          const d = Math.max(Math.abs(t.p[0] - p[0]), Math.abs(t.p[1] - p[1]));
          if (d < clearance) failures.push(`${kind} at ${p.join(',')}: clearance ${clearance} but ${d} from ${t.p.join(',')}`);
        }
      }
    }
    expect(failures.slice(0, 5)).toEqual([]);
    // Not vacuous: most points away from the zones have some clearance.
    expect(positive).toBeGreaterThan(10_000);
  }, 60_000);

  it('changes generation with every designation and withdrawal, and is Infinity for a kind without zones', () => {
    const index = new ZoneIndex();
    expect(index.crossingClearance(121.35, 28.6, 'accident-segment')).toBe(Infinity);
    const g0 = index.crossingGeneration;
    index.designate(segment, T);
    const g1 = index.crossingGeneration;
    expect(g1).not.toBe(g0);
    expect(index.crossingClearance(121.35, 28.6, 'restricted-area')).toBe(Infinity);
    index.withdraw(segment.zoneId, T + 1000);
    const g2 = index.crossingGeneration;
    expect(g2).not.toBe(g1);
    // A withdrawal of a zone not applying changes nothing.
    expect(index.withdraw(segment.zoneId, T + 1500)).toBe(false);
    expect(index.crossingGeneration).toBe(g2);
    index.designate(segment, T + 2000);
    expect(index.crossingGeneration).not.toBe(g2);
    expect(index.crossingClearance(Number.NaN, 28.6, 'accident-segment')).toBe(0);
  });
});
