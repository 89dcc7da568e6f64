import type { LonLat } from './types.ts';
import type { PreparedPath, QueryPoint } from './pathDistance.ts';
import { enlargeBox, greatCircleBulgeM } from './degreeMargins.ts';
import { EARTH_RADIUS_M } from './haversine.ts';
import { signOfDifferenceOfProducts } from './orientation.ts';
import { degreesOfArcToMetres, queryPoint, segmentDistanceDeg } from './pathDistance.ts';
import { pointInPolygon } from './pointInPolygon.ts';

// Where the straight line between two fixes passes through a zone (Tile38's `cross`): a short tunnel
// passed at 80 km/h between two 30 s reports has no fix inside it. The line is the one the rest of
// dgt draws, straight in lon/lat — P(t) = A + t·(B − A), t ∈ [0, 1] — and "inside" is the zone
// index's own exact definition at P(t), so a point of the line the index calls inside is always
// part of the crossing reported here:
// - polygons: the line meets the closed polygon iff it meets an edge (both ends are outside); the
//   decision uses the exact orientation sign, entry and exit are the first and last edge contacts;
// - corridors: f(t) = distance(P(t), path) − buffer with the index's Turf-identical distance. It is
//   Lipschitz in t (the distance is 1-Lipschitz, and P moves at most K metres per unit of t), so an
//   interval whose ends lie at f(a), f(b) > 0 holds no inside point when (f(a) + f(b) − K·(b − a)) / 2
//   > 0. Splitting the rest finds the first and last inside points, each one evaluated inside; only a
//   line within a micrometre of tangency can go unresolved (and then counts as a miss).

/** The part of the line inside a zone, as fractions of the way from A to B (0 < enter ≤ exit < 1). */
export interface CrossingSpan {
  enter: number;
  exit: number;
}

/** The point at fraction t of the line, in one fixed way (the ends are returned exactly). */
export function alongLine(a: number, b: number, t: number): number {
  return t === 1 ? b : a + t * (b - a);
}

/** Sign of the orientation of R relative to the directed line P→Q (the sign is exact for the rounded differences). */
function orient(px: number, py: number, qx: number, qy: number, rx: number, ry: number): number {
  return signOfDifferenceOfProducts(qx - px, ry - py, qy - py, rx - px);
}

/** Fraction of the way from A to B of the projection of R (R is on the line). */
function fractionOf(ax: number, ay: number, dx: number, dy: number, rx: number, ry: number): number {
  return Math.min(1, Math.max(0, ((rx - ax) * dx + (ry - ay) * dy) / (dx * dx + dy * dy)));
}

/**
 * What a zone version keeps for lines passing it: its parts (path segments of a corridor, edges of
 * a polygon) with a box around each, and per-query scratch naming the parts near the line at hand
 * (the zone index selects them from its coarse grid, so a long path or a many-sided area costs a
 * query only the parts near the line).
 */
export interface Crossable {
  /** Corridor: the prepared path and buffer; null for a polygon. */
  readonly path: PreparedPath | null;
  readonly bufferM: number;
  /** sin((bufferM + 1 m) / R): a segment whose great circle stays farther than this (as a dot product) from the line is out of reach. */
  readonly sinReach: number;
  /** Polygon: the ring as indexed; null for a corridor. */
  readonly ring: readonly LonLat[] | null;
  readonly parts: number;
  /** minLon, minLat, maxLon, maxLat per part: every zone point within reach of the part lies in its box. */
  readonly boxes: Float64Array;
  /**
   * ax, ay, bx, by per part: the segment or edge itself. Its box is the segment's own box grown by
   * a margin in each axis, so every zone point near the part lies within that margin (per axis) of
   * the segment: what the index uses to register a part only in the cells it really reaches.
   */
  readonly ends: Float64Array;
  /** Parts selected for the current query (`selectedCount` of them), and the stamp of the query that selected each. */
  readonly selected: Int32Array;
  readonly stamps: Uint32Array;
  selectedCount: number;
}

/** Per segment, the lon/lat box of its ends enlarged to hold every point within `bufferM` of the arc between them. */
export function corridorCrossable(points: readonly LonLat[], prepared: PreparedPath, bufferM: number, marginM: number): Crossable {
  const n = prepared.segments;
  const { boxes, ends, selected, stamps } = partArrays(n);
  for (let i = 0; i < n; i++) {
    const a = points[i] as LonLat;
    const b = points[i + 1] as LonLat;
    ends[4 * i] = a[0];
    ends[4 * i + 1] = a[1];
    ends[4 * i + 2] = b[0];
    ends[4 * i + 3] = b[1];
    const box = enlargeBox(
      { minLon: Math.min(a[0], b[0]), minLat: Math.min(a[1], b[1]), maxLon: Math.max(a[0], b[0]), maxLat: Math.max(a[1], b[1]) },
      bufferM + marginM + greatCircleBulgeM(b[0] - a[0]),
    );
    boxes[4 * i] = box.minLon;
    boxes[4 * i + 1] = box.minLat;
    boxes[4 * i + 2] = box.maxLon;
    boxes[4 * i + 3] = box.maxLat;
  }
  return { path: prepared, bufferM, sinReach: Math.sin((bufferM + REACH_SLACK_M) / EARTH_RADIUS_M), ring: null, parts: n, boxes, ends, selected, stamps, selectedCount: 0 };
}

/** A crossable's per-part arrays, as views of one buffer (one allocation instead of four). */
function partArrays(parts: number): { boxes: Float64Array; ends: Float64Array; selected: Int32Array; stamps: Uint32Array } {
  const buffer = new ArrayBuffer(72 * parts);
  return {
    boxes: new Float64Array(buffer, 0, 4 * parts),
    ends: new Float64Array(buffer, 32 * parts, 4 * parts),
    selected: new Int32Array(buffer, 64 * parts, parts),
    stamps: new Uint32Array(buffer, 68 * parts, parts),
  };
}

/** Per ring edge, its box (a hair larger, so rounding never drops an edge the line touches). */
export function polygonCrossable(polygon: readonly LonLat[]): Crossable {
  const n = polygon.length;
  const first = polygon[0] as LonLat;
  const last = polygon[n - 1] as LonLat;
  const edges = first[0] === last[0] && first[1] === last[1] ? n - 1 : n;
  const { boxes, ends, selected, stamps } = partArrays(edges);
  for (let i = 0; i < edges; i++) {
    const a = polygon[i] as LonLat;
    const b = polygon[i + 1 === n ? 0 : i + 1] as LonLat;
    ends[4 * i] = a[0];
    ends[4 * i + 1] = a[1];
    ends[4 * i + 2] = b[0];
    ends[4 * i + 3] = b[1];
    boxes[4 * i] = Math.min(a[0], b[0]) - EDGE_BOX_SLACK_DEG;
    boxes[4 * i + 1] = Math.min(a[1], b[1]) - EDGE_BOX_SLACK_DEG;
    boxes[4 * i + 2] = Math.max(a[0], b[0]) + EDGE_BOX_SLACK_DEG;
    boxes[4 * i + 3] = Math.max(a[1], b[1]) + EDGE_BOX_SLACK_DEG;
  }
  return { path: null, bufferM: 0, sinReach: 0, ring: polygon, parts: edges, boxes, ends, selected, stamps, selectedCount: 0 };
}

const EDGE_BOX_SLACK_DEG = 1e-9;
/** Covers the computed distance's rounding (nanometres) many times over. */
const REACH_SLACK_M = 1;

/** The span of the line A→B inside the zone, or false when it misses it or when A or B is itself inside. Reads `c.selected`. */
export function crossingOf(c: Crossable, ax: number, ay: number, bx: number, by: number, out: CrossingSpan): boolean {
  if (c.selectedCount === 0 || (ax === bx && ay === by)) return false;
  return c.ring !== null ? polygonCrossing(c, c.ring, ax, ay, bx, by, out) : corridorCrossing(c, ax, ay, bx, by, out);
}

/**
 * Polygons (planar in lon/lat, boundary inside, as pointInPolygon): a line with both ends outside
 * meets the polygon iff it meets an edge; entry and exit are the first and last edge contacts. Only
 * the selected edges can meet the line; the ends are tested on the whole ring, and only when it does.
 */
function polygonCrossing(c: Crossable, ring: readonly LonLat[], ax: number, ay: number, bx: number, by: number, out: CrossingSpan): boolean {
  const n = ring.length;
  const dx = bx - ax;
  const dy = by - ay;
  const minX = Math.min(ax, bx), maxX = Math.max(ax, bx), minY = Math.min(ay, by), maxY = Math.max(ay, by);
  let enter = Infinity;
  let exit = -Infinity;
  for (let k = 0; k < c.selectedCount; k++) {
    const i = c.selected[k] as number;
    const p = ring[i] as LonLat;
    const q = ring[i + 1 === n ? 0 : i + 1] as LonLat;
    const cx = p[0], cy = p[1], ex = q[0], ey = q[1];
    const o1 = orient(ax, ay, bx, by, cx, cy);
    const o2 = orient(ax, ay, bx, by, ex, ey);
    const o3 = orient(cx, cy, ex, ey, ax, ay);
    const o4 = orient(cx, cy, ex, ey, bx, by);
    let t: number;
    let t2 = NaN;
    if (o1 !== o2 && o3 !== o4) {
      // Crossing or touching at one point; not parallel, since C and D are not on one side of AB.
      const fx = ex - cx;
      const fy = ey - cy;
      t = Math.min(1, Math.max(0, ((cx - ax) * fy - (cy - ay) * fx) / (dx * fy - dy * fx)));
    } else if (o1 === 0 && o2 === 0) {
      // Collinear: the overlap, if any, runs between the projections of C and D clamped to AB.
      const useX = Math.abs(dx) >= Math.abs(dy);
      const lo = useX ? minX : minY, hi = useX ? maxX : maxY;
      const u = useX ? cx : cy, v = useX ? ex : ey;
      if (Math.max(u, v) < lo || Math.min(u, v) > hi) continue;
      t = fractionOf(ax, ay, dx, dy, cx, cy);
      t2 = fractionOf(ax, ay, dx, dy, ex, ey);
    } else {
      continue;
    }
    if (t < enter) enter = t;
    if (t > exit) exit = t;
    if (!Number.isNaN(t2)) {
      if (t2 < enter) enter = t2;
      if (t2 > exit) exit = t2;
    }
  }
  if (enter > exit || pointInPolygon(ax, ay, ring) || pointInPolygon(bx, by, ring)) return false;
  out.enter = enter;
  out.exit = exit;
  return true;
}

const METRES_PER_DEGREE = (EARTH_RADIUS_M * Math.PI) / 180;
/** Covers the second-order terms of the spherical metric over a few kilometres, and rounding. */
const LIPSCHITZ_SLACK = 1.01;
/** Computed distances are within nanometres of the exact ones: an interval is ruled out only beyond this. */
const NOISE_M = 1e-6;
/** A line that comes closer than this to touching without a point found inside is a miss. */
const DECIDE_M = 1e-6;
/** Entry and exit are located to this fraction of the line: ≤ 0.12 ms of a 120 s gap, ≤ 5 mm of 5 km. */
const LOCATE_T = 1e-6;

/**
 * The evaluation state of one corridor query, module-level so the search does not allocate (the
 * engine is single-threaded per index, and nothing here is re-entered).
 */
const q: QueryPoint = { lon: 0, lat: 0, x: 0, y: 0, z: 0 };
const qa: QueryPoint = { lon: 0, lat: 0, x: 0, y: 0, z: 0 };
const qb: QueryPoint = { lon: 0, lat: 0, x: 0, y: 0, z: 0 };
let candidates = new Int32Array(64);
let count = 0;
let path: PreparedPath | null = null;
const line = new Float64Array(6); // aLon, aLat, bLon, bLat, bufferM, K (metres per unit of t)

/** distance(P(t), path) − buffer, in metres; ≤ 0 exactly when the index counts P(t) inside. */
function f(t: number): number {
  queryPoint(alongLine(line[0] as number, line[2] as number, t), alongLine(line[1] as number, line[3] as number, t), q);
  const p = path as PreparedPath;
  let best = Infinity;
  for (let k = 0; k < count; k++) {
    const d = segmentDistanceDeg(p, candidates[k] as number, q);
    if (d < best) best = d;
  }
  return degreesOfArcToMetres(best) - (line[4] as number);
}

/** True when [a, b], both ends outside, provably holds no inside point (or only within DECIDE_M of tangency). */
function ruledOut(a: number, fa: number, b: number, fb: number): boolean {
  const reach = (line[5] as number) * (b - a);
  return (fa + fb - reach) / 2 > NOISE_M || reach <= DECIDE_M;
}

// Locating an entry or exit (firstIn, lastIn) halves a bracket [a, b] with one end outside and one
// inside about twenty times. Where the Lipschitz bound already settles the midpoint's side from the
// nearer end's value, f is not evaluated, and the search takes the very branch it would take with the
// value, so it returns the same point (the same bits): the value is replaced by a bound that holds for
// the computed value (within NOISE_M of the true one). Precisely, with K·(m − a) = reach from an end:
// - outside end fa with fa − reach > 2·NOISE_M: the computed f(m) ≥ lb = fa − reach − NOISE_M > NOISE_M,
//   so m is outside, and the check for an inside point between that end and m is ruled out at once
//   ((fa + f(m) − reach) / 2 ≥ (2·(fa − reach) − NOISE_M) / 2 > NOISE_M), as the search would find;
//   the search goes on with lb, a lower bound of the value it would have had;
// - inside end fi with fi + reach + NOISE_M ≤ 0: the computed f(m) ≤ fi + reach + NOISE_M ≤ 0, so m is
//   inside; an inside end's value is only ever used for this test, as an upper bound.
// Outside values are only used by ruledOut, where a lower bound can only rule out less, and an
// interval it no longer rules out still holds no inside point, so searching it returns −1 as before.

let shortcuts = true;

/** For tests: turns the shortcuts above off (and on again), to check that they change no bit of any answer. */
export function useLocateShortcuts(on: boolean): void {
  shortcuts = on;
}

/** First inside point of [a, b] (a outside, b inside), within LOCATE_T of the boundary. fa: a lower bound of f(a); fb: an upper bound of f(b) (≤ 0). */
function firstIn(a: number, fa: number, b: number, fb: number): number {
  if (b - a <= LOCATE_T) return b;
  const m = (a + b) / 2;
  const k = shortcuts ? (line[5] as number) : Infinity;
  const fromOutside = fa - k * (m - a);
  if (fromOutside > 2 * NOISE_M) return firstIn(m, fromOutside - NOISE_M, b, fb);
  const fromInside = fb + k * (b - m) + NOISE_M;
  if (fromInside <= 0) return firstIn(a, fa, m, fromInside);
  const fm = f(m);
  if (fm <= 0) return firstIn(a, fa, m, fm);
  const early = firstInBetween(a, fa, m, fm);
  return early >= 0 ? early : firstIn(m, fm, b, fb);
}

/** First inside point of [a, b] with both ends outside (fa, fb: lower bounds of their values), or −1. */
function firstInBetween(a: number, fa: number, b: number, fb: number): number {
  if (ruledOut(a, fa, b, fb)) return -1;
  const m = (a + b) / 2;
  const fm = f(m);
  if (fm <= 0) return firstIn(a, fa, m, fm);
  const early = firstInBetween(a, fa, m, fm);
  return early >= 0 ? early : firstInBetween(m, fm, b, fb);
}

/** Last inside point of [a, b] (a inside, b outside), within LOCATE_T of the boundary. fa: an upper bound of f(a) (≤ 0); fb: a lower bound of f(b). */
function lastIn(a: number, fa: number, b: number, fb: number): number {
  if (b - a <= LOCATE_T) return a;
  const m = (a + b) / 2;
  const k = shortcuts ? (line[5] as number) : Infinity;
  const fromOutside = fb - k * (b - m);
  if (fromOutside > 2 * NOISE_M) return lastIn(a, fa, m, fromOutside - NOISE_M);
  const fromInside = fa + k * (m - a) + NOISE_M;
  if (fromInside <= 0) return lastIn(m, fromInside, b, fb);
  const fm = f(m);
  if (fm <= 0) return lastIn(m, fm, b, fb);
  const late = lastInBetween(m, fm, b, fb);
  return late >= 0 ? late : lastIn(a, fa, m, fm);
}

/** Last inside point of [a, b] with both ends outside (fa, fb: lower bounds of their values), or −1. */
function lastInBetween(a: number, fa: number, b: number, fb: number): number {
  if (ruledOut(a, fa, b, fb)) return -1;
  const m = (a + b) / 2;
  const fm = f(m);
  if (fm <= 0) return lastIn(m, fm, b, fb);
  const late = lastInBetween(m, fm, b, fb);
  return late >= 0 ? late : lastInBetween(a, fa, m, fm);
}

/**
 * Corridors (great-circle distance to the path ≤ buffer, round ends). Selected segments whose great
 * circle the line stays clear of are dropped first, with a dot product and no trigonometry: the
 * line deviates from the great circle through its ends by at most its bulge, and the great circle
 * through A and B stays on the side of a segment's great circle where both ends are, no nearer to
 * it than the nearer end. The rest are searched as described at the top of this file.
 */
function corridorCrossing(c: Crossable, ax: number, ay: number, bx: number, by: number, out: CrossingSpan): boolean {
  queryPoint(ax, ay, qa);
  queryPoint(bx, by, qb);
  const p = c.path as PreparedPath;
  const axisNorm = p.axisNorm;
  const slack = greatCircleBulgeM(bx - ax) / EARTH_RADIUS_M;
  if (candidates.length < c.selectedCount) candidates = new Int32Array(c.parts);
  count = 0;
  for (let k = 0; k < c.selectedCount; k++) {
    const i = c.selected[k] as number;
    const n0 = axisNorm[3 * i] as number, n1 = axisNorm[3 * i + 1] as number, n2 = axisNorm[3 * i + 2] as number;
    const sa = qa.x * n0 + qa.y * n1 + qa.z * n2;
    const sb = qb.x * n0 + qb.y * n1 + qb.z * n2;
    if ((sa > 0) === (sb > 0) && Math.min(Math.abs(sa), Math.abs(sb)) - slack > c.sinReach) continue;
    candidates[count++] = i;
  }
  if (count === 0) return false;
  path = p;
  // Metres per degree of longitude are largest at the lowest |latitude| the line reaches.
  const lowestAbsLat = (ay < 0) !== (by < 0) ? 0 : Math.min(Math.abs(ay), Math.abs(by));
  const dLat = by - ay;
  const dLon = (bx - ax) * Math.cos((lowestAbsLat * Math.PI) / 180);
  line[0] = ax;
  line[1] = ay;
  line[2] = bx;
  line[3] = by;
  line[4] = c.bufferM;
  line[5] = LIPSCHITZ_SLACK * METRES_PER_DEGREE * Math.sqrt(dLat * dLat + dLon * dLon);
  const fa = f(0);
  const fb = f(1);
  let found = false;
  if (fa > 0 && fb > 0) {
    const enter = firstInBetween(0, fa, 1, fb);
    if (enter >= 0) {
      out.enter = enter;
      // The entry is inside: its computed value is at most 0.
      out.exit = lastIn(enter, 0, 1, fb);
      found = true;
    }
  }
  path = null;
  return found;
}

