import type { LonLat, ZoneSpec } from '../src/index.ts';

// Real-sized zones around Taizhou, Zhejiang (28.1–29.2 N, 120.7–121.8 E).

const M_PER_DEG = 111_195;

/** A point `east`/`north` metres from an origin (local flat approximation, fine for building fixtures). */
export function offset(origin: LonLat, east: number, north: number): [number, number] {
  return [origin[0] + east / (M_PER_DEG * Math.cos((origin[1] * Math.PI) / 180)), origin[1] + north / M_PER_DEG];
}

function rotatedRect(centre: LonLat, w: number, h: number, angleDeg: number): [number, number][] {
  const a = (angleDeg * Math.PI) / 180;
  return [[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]].map(([x, y]) =>
    offset(centre, (x as number) * Math.cos(a) - (y as number) * Math.sin(a), (x as number) * Math.sin(a) + (y as number) * Math.cos(a)),
  );
}

/** A 320 × 180 m lot, open ring. */
export const lotA: ZoneSpec = {
  zoneId: 'lot-a', kind: 'parking-lot', name: 'Jiaojiang freight lot', datum: 'WGS84',
  polygon: rotatedRect([121.4321, 28.6812], 320, 180, 23),
};

/** Overlaps lot A; closed ring. */
const lotCRing = rotatedRect([121.4338, 28.6818], 200, 150, -10);
export const lotC: ZoneSpec = {
  zoneId: 'lot-c', kind: 'parking-lot', name: 'Jiaojiang overflow lot', datum: 'WGS84',
  polygon: [...lotCRing, lotCRing[0] as [number, number]],
};

/** A lot drawn on a GCJ-02 map (pentagon ~250 m across). */
export const lotGcj: ZoneSpec = {
  zoneId: 'lot-gcj', kind: 'parking-lot', name: 'Huangyan depot (GCJ-02)', datum: 'GCJ02',
  polygon: [0, 72, 144, 216, 288].map((deg) => {
    const a = (deg * Math.PI) / 180;
    return offset([121.2655, 28.6499], 125 * Math.cos(a), 125 * Math.sin(a));
  }),
};

/** A ~3 × 2.2 km chemical park with a deep concave notch cut into its north side. */
export const chemicalPark: ZoneSpec = {
  zoneId: 'park-1', kind: 'chemical-park', name: 'Toumengang chemical park', datum: 'WGS84',
  polygon: ([
    [0, 0], [3000, 0], [3000, 2200], [1900, 2200], [1700, 900], [1300, 900], [1100, 2200], [0, 2200], [-300, 1100],
  ] as const).map(([e, n]) => offset([121.4602, 28.7055], e, n)),
};

/** A ~7 km curved road segment (60 vertices along a bend and an S-curve) with a 50 m buffer. */
export function curvedPath(origin: LonLat, lengthM: number, points: number, shiftNorthM = 0): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < points; i++) {
    const s = (i / (points - 1)) * lengthM;
    out.push(offset(origin, s, 900 * Math.sin(s / 1400) + 0.00002 * s * s + shiftNorthM));
  }
  return out;
}

export const segmentPath = curvedPath([121.3502, 28.6003], 7000, 60);
export const segment: ZoneSpec = {
  zoneId: 'seg-1', kind: 'accident-segment', name: 'G15 Jiaojiang bend', datum: 'WGS84', path: segmentPath, bufferM: 50,
};

/** Re-designated in April: moved 30 m north and widened to 80 m. */
export const segmentApril: ZoneSpec = { ...segment, path: curvedPath([121.3502, 28.6003], 7000, 60, 30), bufferM: 80 };

/** A 1.6 km segment drawn in GCJ-02 that crosses seg-1, 30 m buffer. */
export const segmentGcj: ZoneSpec = {
  zoneId: 'seg-gcj', kind: 'accident-segment', name: 'S325 crossing (GCJ-02)', datum: 'GCJ02',
  path: [offset([121.3802, 28.5975], 0, 0), offset([121.3802, 28.5975], 500, 600), offset([121.3802, 28.5975], 700, 1500)],
  bufferM: 30,
};

/** A ~1.2 km restricted area (禁行区) drawn on a GCJ-02 map, concave (an L-shape), near Jiaojiang city hall. */
export const restrictedArea: ZoneSpec = {
  zoneId: 'ra-1', kind: 'restricted-area', name: 'Jiaojiang old town (GCJ-02)', datum: 'GCJ02',
  polygon: ([[0, 0], [1200, 0], [1200, 500], [500, 500], [500, 1100], [0, 1100]] as const).map(([e, n]) => offset([121.4255, 28.6605], e, n)),
};

/**
 * A ~2.5 km water-source protection area with a wavy shore of 180 vertices: more than the index
 * tests directly, so points near it are decided through its H3 cells.
 */
export const waterSource: ZoneSpec = {
  zoneId: 'ra-water', kind: 'restricted-area', name: 'Changtan reservoir protection area', datum: 'WGS84',
  polygon: Array.from({ length: 180 }, (_, i) => {
    const a = (i / 180) * 2 * Math.PI;
    const r = 1200 + 150 * Math.sin(7 * a) + 60 * Math.cos(19 * a);
    return offset([121.2105, 28.6302], r * Math.cos(a), r * Math.sin(a));
  }),
};
