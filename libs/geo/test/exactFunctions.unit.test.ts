import { describe, expect, it } from 'vitest';
import { distance as turfDistance } from '@turf/distance';
import { EARTH_RADIUS_M, distanceM, distanceToPathM, pointInPolygon } from '../src/index.ts';
import { offset } from './taizhouZones.ts';

describe('distanceM (haversine, R = 6371008.8 m)', () => {
  it('gives one degree of latitude as R·π/180 and a quarter meridian as R·π/2', () => {
    expect(distanceM(121, 28, 121, 29)).toBeCloseTo((EARTH_RADIUS_M * Math.PI) / 180, 6);
    expect(distanceM(0, 0, 0, 90)).toBeCloseTo((EARTH_RADIUS_M * Math.PI) / 2, 4);
  });

  it('gives one degree of longitude on the equator as R·π/180, and cos(lat) times that at small spans', () => {
    expect(distanceM(0, 0, 1, 0)).toBeCloseTo((EARTH_RADIUS_M * Math.PI) / 180, 6);
    const small = distanceM(121, 28.66, 121.001, 28.66);
    expect(small / ((0.001 * EARTH_RADIUS_M * Math.PI) / 180)).toBeCloseTo(Math.cos((28.66 * Math.PI) / 180), 6);
  });

  it("matches the textbook Land's End → John o' Groats distance (968.9 km, Movable Type haversine example)", () => {
    const d = distanceM(-(5 + 42 / 60 + 53 / 3600), 50 + 3 / 60 + 59 / 3600, -(3 + 4 / 60 + 12 / 3600), 58 + 38 / 60 + 38 / 3600);
    expect(d / 1000).toBeCloseTo(968.9, 1);
  });

  it('equals @turf/distance in metres', () => {
    const pairs = [[121.42, 28.66, 121.1, 29.1], [120.7, 28.1, 121.8, 29.2], [121.4, 28.6, 121.4001, 28.6001]] as const;
    for (const [lon1, lat1, lon2, lat2] of pairs) {
      expect(distanceM(lon1, lat1, lon2, lat2)).toBe(turfDistance([lon1, lat1], [lon2, lat2], { units: 'meters' }));
    }
  });

  it('is symmetric and zero for the same point', () => {
    expect(distanceM(121.4, 28.6, 121.41, 28.61)).toBeCloseTo(distanceM(121.41, 28.61, 121.4, 28.6), 9);
    expect(distanceM(121.4, 28.6, 121.4, 28.6)).toBe(0);
  });
});

describe('pointInPolygon', () => {
  const square = [[121, 28], [121.01, 28], [121.01, 28.01], [121, 28.01]] as const;

  it('treats open and closed rings alike', () => {
    const closedRing = [...square, square[0]];
    for (const [lon, lat] of [[121.005, 28.005], [121.02, 28.005], [120.999, 28.0001]] as const) {
      expect(pointInPolygon(lon, lat, square)).toBe(pointInPolygon(lon, lat, closedRing));
    }
    expect(pointInPolygon(121.005, 28.005, square)).toBe(true);
    expect(pointInPolygon(121.02, 28.005, square)).toBe(false);
  });

  it('counts points on edges and vertices as inside (as Turf does)', () => {
    expect(pointInPolygon(121.005, 28, square)).toBe(true);
    expect(pointInPolygon(121.01, 28.003, square)).toBe(true);
    expect(pointInPolygon(121, 28, square)).toBe(true);
  });

  it('excludes the concave notch of a polygon', () => {
    const notched = [[0, 0], [3000, 0], [3000, 2200], [1900, 2200], [1700, 900], [1300, 900], [1100, 2200], [0, 2200]].map(([e, n]) =>
      offset([121.46, 28.7], e as number, n as number),
    );
    const inNotch = offset([121.46, 28.7], 1500, 1500);
    const belowNotch = offset([121.46, 28.7], 1500, 500);
    expect(pointInPolygon(inNotch[0], inNotch[1], notched)).toBe(false);
    expect(pointInPolygon(belowNotch[0], belowNotch[1], notched)).toBe(true);
  });
});

describe('distanceToPathM', () => {
  const a = [121.4, 28.6] as const;
  const b = offset(a, 1000, 0);
  const path = [a, b];

  it('measures perpendicular distance to the middle of a segment', () => {
    const p = offset(a, 500, 40);
    expect(distanceToPathM(p[0], p[1], path)).toBeCloseTo(40, 1);
  });

  it('measures to the nearest end beyond it, so buffers have rounded ends', () => {
    const p = offset(a, -30, 40);
    expect(distanceToPathM(p[0], p[1], path)).toBeCloseTo(50, 1);
    expect(distanceToPathM(p[0], p[1], path)).toBeCloseTo(distanceM(p[0], p[1], a[0], a[1]), 9);
  });

  it('is zero on a vertex and takes the minimum over segments', () => {
    const c = offset(b, 0, 1000);
    expect(distanceToPathM(b[0], b[1], [a, b, c])).toBe(0);
    const p = offset(b, -20, 500);
    expect(distanceToPathM(p[0], p[1], [a, b, c])).toBeCloseTo(20, 1);
  });
});
