import { describe, expect, it } from 'vitest';
import type { LonLat, ZoneSpec } from '../src/index.ts';
import { ZoneIndex, alongLine, distanceM } from '../src/index.ts';
import { offset } from './taizhouZones.ts';

const T = Date.UTC(2026, 2, 2);
const MAX_M = 10_000;
const west: LonLat = [121.3, 28.6];
/** A 500 m tunnel running east, its corridor 20 m either side. */
const tunnel: ZoneSpec = { zoneId: 'seg-tunnel', kind: 'accident-segment', name: 'Tunnel', datum: 'WGS84', path: [west, offset(west, 500, 0)], bufferM: 20 };
const squareArea = (id: string, sw: LonLat, sideM: number): ZoneSpec => ({
  zoneId: id, kind: 'restricted-area', name: id, datum: 'WGS84',
  polygon: [sw, offset(sw, sideM, 0), offset(sw, sideM, sideM), offset(sw, 0, sideM)],
});

function indexOf(...zones: ZoneSpec[]): ZoneIndex {
  const index = new ZoneIndex();
  for (const z of zones) index.designate(z, T);
  return index;
}

describe('lines passing through a corridor between two fixes', () => {
  it('finds a 500 m tunnel passed at 80 km/h with 30 s fixes, neither of them inside, with plausible entry and exit', () => {
    const index = indexOf(tunnel);
    const step = (80 / 3.6) * 30; // 666.7 m
    const a = offset(west, -100, 0);
    const b = offset(west, -100 + step, 0);
    expect(index.zonesAt(a[0], a[1], T, 'accident-segment')).toEqual([]);
    expect(index.zonesAt(b[0], b[1], T, 'accident-segment')).toEqual([]);
    const [c] = index.crossingsBetween(a[0], a[1], T, b[0], b[1], T + 30_000, 'accident-segment', MAX_M);
    expect(c?.zoneId).toBe('seg-tunnel');
    // In at the round west end (20 m before the portal), out 20 m past the east portal.
    expect(((c?.enter ?? 0) * 30)).toBeCloseTo((80 / step) * 30, 1);
    expect(((c?.exit ?? 0) * 30)).toBeCloseTo((620 / step) * 30, 1);
  });

  it('finds a line that only grazes the round end cap, and not one that misses it by a metre', () => {
    const index = indexOf(tunnel);
    const end = offset(west, 500, 0);
    const pass = (eastM: number) => {
      const a = offset(end, eastM, -300);
      const b = offset(end, eastM, 300);
      return index.crossingsBetween(a[0], a[1], T, b[0], b[1], T + 30_000, 'accident-segment', MAX_M);
    };
    const grazing = pass(19.5);
    expect(grazing.map((c) => c.zoneId)).toEqual(['seg-tunnel']);
    // The chord of a 20 m cap at 19.5 m is ~8.9 m of a 600 m line, centred on the path's axis.
    const g = grazing[0]!;
    expect((g.exit - g.enter) * 600).toBeGreaterThan(7);
    expect((g.exit - g.enter) * 600).toBeLessThan(11);
    expect((g.enter + g.exit) / 2).toBeCloseTo(0.5, 3);
    const mid = (g.enter + g.exit) / 2;
    const p: LonLat = [alongLine(offset(end, 19.5, -300)[0], offset(end, 19.5, 300)[0], mid), alongLine(offset(end, 19.5, -300)[1], offset(end, 19.5, 300)[1], mid)];
    expect(index.zonesAt(p[0], p[1], T, 'accident-segment')).toEqual(['seg-tunnel']);
    expect(pass(21)).toEqual([]);
  });

  it('reports nothing when either fix is inside: that is an entry or exit at a fix', () => {
    const index = indexOf(tunnel);
    const inside = offset(west, 250, 5);
    const outside = offset(west, 250, 400);
    expect(index.crossingsBetween(inside[0], inside[1], T, outside[0], outside[1], T + 30_000, 'accident-segment', MAX_M)).toEqual([]);
    expect(index.crossingsBetween(outside[0], outside[1], T, inside[0], inside[1], T + 30_000, 'accident-segment', MAX_M)).toEqual([]);
  });

  it('counts only zone versions applying over the whole interval, skips listed ids, and ignores lines longer than the limit', () => {
    const a = offset(west, 250, -300);
    const b = offset(west, 250, 300);
    const later = indexOf();
    later.designate(tunnel, T + 10_000);
    expect(later.crossingsBetween(a[0], a[1], T, b[0], b[1], T + 30_000, 'accident-segment', MAX_M)).toEqual([]);
    expect(later.crossingsBetween(a[0], a[1], T + 10_000, b[0], b[1], T + 30_000, 'accident-segment', MAX_M)).toHaveLength(1);
    later.withdraw('seg-tunnel', T + 20_000);
    expect(later.crossingsBetween(a[0], a[1], T + 10_000, b[0], b[1], T + 30_000, 'accident-segment', MAX_M)).toEqual([]);

    const index = indexOf(tunnel);
    expect(index.crossingsBetween(a[0], a[1], T, b[0], b[1], T + 30_000, 'accident-segment', MAX_M, ['seg-tunnel'])).toEqual([]);
    expect(index.crossingsBetween(a[0], a[1], T, b[0], b[1], T + 30_000, 'accident-segment', 500)).toEqual([]);
    expect(index.crossingsBetween(a[0], a[1], T, b[0], b[1], T + 30_000, 'restricted-area', MAX_M)).toEqual([]);
  });

  it('returns one shared frozen empty answer for a line far from every zone', () => {
    const index = indexOf(tunnel);
    const none = index.crossingsBetween(121.0, 28.9, T, 121.001, 28.9, T + 15_000, 'accident-segment', MAX_M);
    expect(none).toEqual([]);
    expect(Object.isFrozen(none)).toBe(true);
    expect(index.crossingsBetween(121.0, 28.9, T, 121.002, 28.9, T + 15_000, 'accident-segment', MAX_M)).toBe(none);
  });
});

describe('lines passing through a restricted polygon between two fixes', () => {
  const sw = offset(west, 2000, 0);
  const area = squareArea('ra-square', sw, 200);
  const index = indexOf(area);
  const cross = (a: LonLat, b: LonLat) => index.crossingsBetween(a[0], a[1], T, b[0], b[1], T + 30_000, 'restricted-area', MAX_M);

  it('enters and leaves at the edges', () => {
    const [c] = cross(offset(sw, -100, 100), offset(sw, 300, 100));
    expect(c?.zoneId).toBe('ra-square');
    expect(c!.enter * 400).toBeCloseTo(100, 0);
    expect(c!.exit * 400).toBeCloseTo(300, 0);
  });

  it('counts a line through a corner only as a touch (the boundary is inside), and a line a metre off as a miss', () => {
    const corner = offset(sw, 200, 200);
    const [touch] = cross(offset(corner, -100, 100), offset(corner, 100, -100));
    expect(touch?.zoneId).toBe('ra-square');
    expect(touch!.exit - touch!.enter).toBeLessThan(1e-9);
    expect(cross(offset(corner, -99, 101), offset(corner, 101, -99))).toEqual([]);
  });

  it('reports nothing when a fix is inside', () => {
    expect(cross(offset(sw, 100, 100), offset(sw, 400, 100))).toEqual([]);
  });

  it('takes the first entry and the last exit of a line that leaves and re-enters a concave area', () => {
    // A U open to the north: the line runs west–east through both arms and across the gap.
    const u = { ...area, zoneId: 'ra-u', polygon: ([[0, 0], [300, 0], [300, 300], [200, 300], [200, 100], [100, 100], [100, 300], [0, 300]] as const).map(([e, n]) => offset(sw, e, n)) };
    const concave = indexOf(u);
    const a = offset(sw, -50, 200);
    const b = offset(sw, 350, 200);
    const [c] = concave.crossingsBetween(a[0], a[1], T, b[0], b[1], T + 30_000, 'restricted-area', MAX_M);
    expect(c!.enter * distanceM(a[0], a[1], b[0], b[1])).toBeCloseTo(50, 0);
    expect(c!.exit * distanceM(a[0], a[1], b[0], b[1])).toBeCloseTo(350, 0);
  });
});
