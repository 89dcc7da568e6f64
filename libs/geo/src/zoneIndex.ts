import type { LonLat, ZoneKind, ZoneSpec, ZoneVersion } from './types.ts';
import type { PreparedPath, QueryPoint } from './pathDistance.ts';
import type { ZoneCover } from './zoneCover.ts';
import type { CoverCache } from './coverCache.ts';
import { BUCKETS_PER_DEGREE, bucketIndex, keyOf } from './bucketGrid.ts';
import { BoundaryTimes } from './boundaryTimes.ts';
import { CellSet } from './cellSet.ts';
import { type Box, enlargeBox } from './degreeMargins.ts';
import { coverKey, sharedCoverCache } from './coverCache.ts';
import { ZoneIndexError } from './errors.ts';
import { DEFAULT_H3_RESOLUTION, cellOf } from './h3Cells.ts';
import type { Crossable, CrossingSpan } from './lineCrossing.ts';
import { EARTH_RADIUS_M } from './haversine.ts';
import { lineMayPassCell, lineMayTouchBox } from './lineBox.ts';
import { corridorCrossable, crossingOf, polygonCrossable } from './lineCrossing.ts';
import { degreesOfArcToMetres, preparePath, preparedDistanceDeg, queryPoint, segmentDistanceDeg } from './pathDistance.ts';
import { pointInPolygon } from './pointInPolygon.ts';
import { SAFETY_MARGIN_M, boxOf, coverBuffer, coverPolygon, mayExceedCellLimit } from './zoneCoverage.ts';
import { zoneGeometry } from './zoneGeometry.ts';
import { CrossingCells, ENTRY_FIELDS, PART_FIELDS } from './crossingCells.ts';
import { CORNER, DISTANCE_MASK, EAST, FINE_LEVEL_CELLS, fineSlot, hashBit, newFineClearance, NORTH, SOUTH, stampFineClearance, WEST } from './fineClearance.ts';

/** Shared answer for "no zone": the hot path returns it without allocating. */
const NONE: readonly string[] = Object.freeze([]);

/** A zone passed between two fixes: the line from A to B is inside it from fraction `enter` to `exit`. */
export interface ZoneCrossing {
  readonly zoneId: string;
  /** 0 < enter ≤ exit < 1, of the way from A to B (straight in lon/lat). */
  readonly enter: number;
  readonly exit: number;
}

const NO_CROSSINGS: readonly ZoneCrossing[] = Object.freeze([]);

/**
 * How `zonesAt` decides whether a point its prefilter finds near a version is inside. The H3 cover
 * answers interior cells at once and runs the exact test in boundary cells; for most zones the
 * exact test itself is cheaper than finding the point's H3 cell (≈ 1 µs in h3-js), so it runs
 * directly, with the same answer:
 * - DIRECT_POLYGON: a ring of at most DIRECT_RING_MAX vertices, tested with pointInPolygon, the
 *   exact definition.
 * - DIRECT_CORRIDOR: a buffer zone, its distance taken over the path segments registered in the
 *   point's crossing cell whose box holds the point. Every segment within the buffer of the point
 *   is among them (a part's box holds every point within buffer + margin of it, and the part is
 *   registered in every crossing cell the box reaches), so when the point is inside, the nearest
 *   segment is too, and the minimum is the same number as over the whole path; when it is not,
 *   every segment is farther than the buffer.
 * - BY_CELL: larger rings, through their H3 cells.
 */
type Direct = 0 | 1 | 2;
const BY_CELL = 0;
const DIRECT_POLYGON = 1;
const DIRECT_CORRIDOR = 2;
const DIRECT_RING_MAX = 64;
const METRES_PER_DEGREE = (EARTH_RADIUS_M * Math.PI) / 180;

interface VersionRecord {
  readonly zoneId: string;
  readonly kind: ZoneKind;
  readonly fromMs: number;
  toMs: number;
  /** Frozen [zoneId], returned as is for the common single-zone answer. */
  readonly ids: readonly string[];
  readonly ring: readonly LonLat[] | null;
  readonly path: PreparedPath | null;
  readonly bufferM: number;
  /** Its parts with their boxes, for lines passing between fixes. */
  readonly cross: Crossable;
  /** Its place in the index's list of versions (what crossing cells name it by). */
  readonly number: number;
  /** How `zonesAt` decides a point near it: exactly, by its own test (see DIRECT_*), or by its H3 cell. */
  readonly direct: Direct;
  /**
   * Its H3 cover, when left uncomputed (`coversOnDemand`, a zone answered by its own exact test):
   * computed only for `stats()`, which counts its cells.
   */
  pendingCover: (() => ZoneCover) | null;
  snapshot: ZoneVersion;
  /** Stamp of the last crossing query that met a part of this version (dedupes across cells), and whether that query skips it. */
  crossedBy: number;
  crossSkipped: boolean;
}

interface CellEntry {
  readonly version: VersionRecord;
  readonly interior: boolean;
  readonly segments: Int32Array | null;
}


interface KindIndex {
  readonly cells: Map<string, CellEntry[]>;
  /**
   * Prefilter bucket → each version's footprint there (the union of its enlarged H3 cell boxes in
   * the bucket), as box-only entries of a cell table: flat numbers, no object per footprint.
   */
  readonly buckets: CrossingCells;
  /**
   * One bit per hashed bucket key, set for every bucket that ever held a footprint. A clear bit
   * answers "no zone here" in a few nanoseconds; a set bit (or a hash collision) goes on to the map.
   */
  readonly occupied: Uint32Array;
  /**
   * The same at 10 × 10 buckets (≈ 1 km), small enough (8 KiB) to stay in the CPU cache: positions
   * arrive from all over the map, so a large bitmap would cost a cache miss per position.
   */
  readonly occupiedCoarse: Uint32Array;
  /**
   * Crossing cell (0.0025°, ≈ 250 m) → the parts of each zone that reach into it: what a line
   * between two fixes is checked against. A zone's interior holds no parts, so lines inside a large
   * area cost nothing.
   */
  readonly crossing: CrossingCells;
  /**
   * How far points are from every point where a line can meet a zone of the kind (see
   * `clearanceIn`): the cheap test that lets nearly every line between two fixes skip the cell walk
   * (see `crossingsBetween`), and what a caller can carry from fix to fix (`crossingClearance`).
   * Null until the kind has parts.
   */
  clearance: ClearanceMaps | null;
}

/**
 * Two maps of a byte per cell, each tiling the plane (cells a tile apart share a slot; see fineSlot):
 * the Chebyshev distance in cells to the nearest cell a part
 * reaches into (capped at CLEAR_CELLS; in the fine map, a level of FINE_LEVEL_CELLS instead), and in
 * the fine map a bit per edge neighbour so reached and one for any corner neighbour; the least
 * distance and all bits of the cells sharing a slot, so that every cell reads at most its own
 * distance and at least its own neighbours. The coarse map (≈ 1 km
 * cells, 64 KiB) stays in the CPU cache and answers most points away from zones; the fine one
 * (≈ 125 m cells, 1 MiB) narrows the band next to a zone where points have no clearance.
 */
interface ClearanceMaps {
  readonly coarse: Uint8Array;
  readonly fine: Uint8Array;
}

const OCCUPANCY_BITS = 22;
const COARSE_BITS = 16;
const COARSE_FACTOR = 10;
/**
 * Crossing cells per degree: a line between 15–30 s fixes (100–700 m) spans one to three of them, and
 * a corridor's parts reach few cells beyond its own, so the walk of a line near a zone stays short.
 */
const CROSSING_PER_DEGREE = 400;
/**
 * Clearance cells per degree (≈ 125 m): finer than crossing cells, so that the band around a zone
 * where fixes have no clearance is narrow, while a byte a cell keeps the map small.
 */
const CLEAR_PER_DEGREE = 800;
/** How far the coarse clearance map looks (its cells); the distance takes three bits of a byte. */
const CLEAR_CELLS = 7;
/**
 * Clearance in degrees of a point whose cell is d cells (Chebyshev) from every cell a part reaches
 * into: the point may lie anywhere in its cell, so d − 1 cells, and a hair under that, so that float
 * rounding putting the point in a neighbouring cell can never matter.
 */
const CLEAR_DEG = Float64Array.from(FINE_LEVEL_CELLS, (d) => (Math.max(0, d - 1) * 0.999) / CLEAR_PER_DEGREE);
/** The coarse clearance map: cells per degree (≈ 1 km), hash bits (64 KiB), and clearance by distance as above. */
const COARSE_CLEAR_PER_DEGREE = 100;
const COARSE_CLEAR_BITS = 16;
const COARSE_CLEAR_DEG = Float64Array.from({ length: CLEAR_CELLS + 1 }, (_, d) => (Math.max(0, d - 1) * 0.999) / COARSE_CLEAR_PER_DEGREE);
const MAX_CLEAR_DEG = COARSE_CLEAR_DEG[CLEAR_CELLS] as number;
/** The coarse map's slot of a cell: tiled like the fine map's (see fineSlot), 2.56° a side. */
function coarseClearSlot(y: number, x: number): number {
  return ((y & 0xff) << (COARSE_CLEAR_BITS / 2)) | (x & 0xff);
}

/** addFootprints' grid of footprint numbers, reused from zone to zone (designating is synchronous). */
let footprintScratch = new Int32Array(1 << 14);

/** How far beyond its bucket a footprint is kept: a point's bucket index is never off by more. */
const BUCKET_SLACK_DEG = 1e-7;


function coarseKey(y: number, x: number): number {
  return keyOf(Math.floor(y / COARSE_FACTOR), Math.floor(x / COARSE_FACTOR));
}

function crossingIndex(deg: number): number {
  return Math.floor(deg * CROSSING_PER_DEGREE);
}

function clearIndex(deg: number): number {
  return Math.floor(deg * CLEAR_PER_DEGREE);
}

/** Slack on a cell's edges when deciding which cells a part reaches: far above float rounding. */
const CELL_SLACK_DEG = 1e-7;

/**
 * Whether the segment A–B meets the box (Liang–Barsky clipping); exact enough with CELL_SLACK_DEG
 * around it. The four clipping steps (left, right, bottom, top edge) are written out: it runs for
 * every cell a part's box reaches, and arrays of them would be garbage by the million.
 */
function segmentMeetsBox(ax: number, ay: number, bx: number, by: number, x0: number, y0: number, x1: number, y1: number): boolean {
  const dx = bx - ax, dy = by - ay;
  let t0 = 0, t1 = 1;
  let p = -dx, q = ax - x0;
  if (p === 0) {
    if (q < 0) return false;
  } else if (p < 0) {
    const r = q / p;
    if (r > t1) return false;
    if (r > t0) t0 = r;
  } else {
    const r = q / p;
    if (r < t0) return false;
    if (r < t1) t1 = r;
  }
  p = dx;
  q = x1 - ax;
  if (p === 0) {
    if (q < 0) return false;
  } else if (p < 0) {
    const r = q / p;
    if (r > t1) return false;
    if (r > t0) t0 = r;
  } else {
    const r = q / p;
    if (r < t0) return false;
    if (r < t1) t1 = r;
  }
  p = -dy;
  q = ay - y0;
  if (p === 0) {
    if (q < 0) return false;
  } else if (p < 0) {
    const r = q / p;
    if (r > t1) return false;
    if (r > t0) t0 = r;
  } else {
    const r = q / p;
    if (r < t0) return false;
    if (r < t1) t1 = r;
  }
  p = dy;
  q = y1 - ay;
  if (p === 0) return !(q < 0);
  const r = q / p;
  return p < 0 ? !(r > t1) : !(r < t0);
}

function testBit(bitmap: Uint32Array, bit: number): boolean {
  return ((bitmap[bit >>> 5] as number) & (1 << (bit & 31))) !== 0;
}

function setBit(bitmap: Uint32Array, bit: number): void {
  bitmap[bit >>> 5] = (bitmap[bit >>> 5] as number) | (1 << (bit & 31));
}

/**
 * The clearance (degrees) of a finite point in a kind's clearance map. Next to a cell holding parts
 * (distance 1) it is the point's own distance to the nearest such neighbour, within its cell (to
 * the nearest corner, when any corner holds parts): cells beyond the neighbours are at least a cell
 * away. A computed cell index can be one off for a point within rounding of a cell's edge; the
 * point is then within that rounding of where it is taken to be, which the 0.999 and the 1e-9
 * cell cover.
 */
function clearanceIn(clearance: ClearanceMaps, lon: number, lat: number): number {
  // Two coarse cells away (0.01°) is already about as much as the fine map can tell (0.0137°).
  const coarse = (clearance.coarse[coarseClearSlot(Math.floor(lat * COARSE_CLEAR_PER_DEGREE), Math.floor(lon * COARSE_CLEAR_PER_DEGREE))] as number) & DISTANCE_MASK;
  if (coarse > 1) return COARSE_CLEAR_DEG[coarse] as number;
  const x = clearIndex(lon), y = clearIndex(lat);
  const byte = clearance.fine[fineSlot(y, x)] as number;
  const level = byte & DISTANCE_MASK;
  if (level !== 1) return CLEAR_DEG[level] as number;
  const fx = lon * CLEAR_PER_DEGREE - x, fy = lat * CLEAR_PER_DEGREE - y;
  let cells = 1;
  if ((byte & WEST) !== 0) cells = Math.min(cells, fx);
  if ((byte & EAST) !== 0) cells = Math.min(cells, 1 - fx);
  if ((byte & SOUTH) !== 0) cells = Math.min(cells, fy);
  if ((byte & NORTH) !== 0) cells = Math.min(cells, 1 - fy);
  if ((byte & CORNER) !== 0) cells = Math.min(cells, Math.max(Math.min(fx, 1 - fx), Math.min(fy, 1 - fy)));
  return (Math.max(0, cells - 1e-9) * 0.999) / CLEAR_PER_DEGREE;
}

function newKindIndex(): KindIndex {
  return {
    cells: new Map(),
    buckets: new CrossingCells(),
    occupied: new Uint32Array((1 << OCCUPANCY_BITS) >>> 5),
    occupiedCoarse: new Uint32Array((1 << COARSE_BITS) >>> 5),
    crossing: new CrossingCells(),
    clearance: null,
  };
}

function isActive(v: VersionRecord, tMs: number): boolean {
  return v.fromMs <= tMs && tMs < v.toMs;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function checkTime(name: string, ms: number, allowInfinity: boolean): void {
  if (Number.isNaN(ms) || (!allowInfinity && !Number.isFinite(ms))) {
    throw new ZoneIndexError('INVALID_TIME', `${name} must be a finite epoch-ms number, got ${ms}`);
  }
}

/**
 * Time-versioned zones indexed on H3 cells at one resolution: interior cells answer at once, boundary
 * cells run the exact test (pointInPolygon / distanceToPathM ≤ bufferM), so answers equal the exact
 * definitions on every point. Deterministic: the same designations give the same answers.
 */
export class ZoneIndex {
  private readonly resolution: number;
  private readonly lots = newKindIndex();
  private readonly segments = newKindIndex();
  private readonly parks = newKindIndex();
  private readonly restricted = newKindIndex();
  private readonly versionsById = new Map<string, VersionRecord[]>();
  private versionCount = 0;
  private cellCount = 0;
  private boundaryCellCount = 0;
  private readonly query: QueryPoint = { lon: 0, lat: 0, x: 0, y: 0, z: 0 };
  private readonly covers: CoverCache | null;
  private readonly coversOnDemand: boolean;
  /**
   * The last point's H3 cell: the engine asks about one fix for several kinds in a row, and the
   * cell lookup is the expensive part. A memo of a pure function, not state.
   */
  private memoLon = Number.NaN;
  private memoLat = Number.NaN;
  private memoCell = '';
  private crossStamp = 0;
  private readonly crossCandidates: VersionRecord[] = [];
  private readonly versionRecords: VersionRecord[] = [];
  private readonly span: CrossingSpan = { enter: 0, exit: 0 };
  /**
   * Changes with every designation and every withdrawal: a `crossingClearance` answer, and a
   * `stableUntil` answer, hold for as long as this stays the same.
   */
  private generation = 0;
  /** Every finite start and end of a version, kept sorted as versions are added and ended. */
  private readonly boundaryTimes = new BoundaryTimes();

  /**
   * `covers`: where computed zone covers are memoised (default: the process-wide cache, so the same
   * zone designated again in any index costs a lookup); null computes every designation afresh.
   * `coversOnDemand`: a zone that `zonesAt` answers by its own exact test (see Direct) never reads
   * its H3 cells, so they are not computed at designation (its prefilter footprint comes from its
   * geometry instead), only if `stats()` asks for their count; the answers are the same. What a
   * run designating hundreds of zones once (`dgt detect`) wants; off, every cover is computed (and
   * cached) as the zone is designated.
   */
  constructor(options?: { resolution?: number; covers?: CoverCache | null; coversOnDemand?: boolean }) {
    const res = options?.resolution ?? DEFAULT_H3_RESOLUTION;
    if (!Number.isInteger(res) || res < 0 || res > 15) {
      throw new ZoneIndexError('INVALID_RESOLUTION', `H3 resolution must be an integer 0–15, got ${res}`);
    }
    this.resolution = res;
    this.covers = options?.covers === undefined ? sharedCoverCache : options.covers;
    this.coversOnDemand = options?.coversOnDemand ?? false;
  }

  /**
   * Adds a version of `zone` applying from `fromMs`. A designation supersedes the zone from `fromMs`
   * on: the active version (and, if designations arrive out of time order, any later one) ends at
   * `fromMs`. Throws ZoneGeometryError (nothing changed) when the geometry is unusable.
   */
  designate(zone: ZoneSpec, fromMs: number): void {
    checkTime('fromMs', fromMs, false);
    const geometry = zoneGeometry(zone);
    let compute: () => ZoneCover;
    let ring: readonly LonLat[] | null = null;
    let path: PreparedPath | null = null;
    let cross: Crossable;
    let bufferM = 0;
    switch (geometry.shape) {
      case 'polygon': {
        const polygon = geometry.polygon;
        ring = polygon;
        cross = polygonCrossable(polygon);
        compute = () => coverPolygon(zone.zoneId, polygon, this.resolution);
        break;
      }
      case 'buffer': {
        const prepared = preparePath(geometry.path);
        const { path: points, bufferM: buffer } = geometry;
        path = prepared;
        bufferM = buffer;
        cross = corridorCrossable(points, prepared, buffer, SAFETY_MARGIN_M);
        compute = () => coverBuffer(zone.zoneId, points, prepared, buffer, this.resolution);
        break;
      }
      default: {
        const never: never = geometry;
        throw new Error(`unreachable: ${String(never)}`);
      }
    }
    const direct: Direct = path !== null ? DIRECT_CORRIDOR : ring !== null && ring.length <= DIRECT_RING_MAX ? DIRECT_POLYGON : BY_CELL;
    const covers = this.covers;
    // The key (a string of every coordinate) only when a cover is computed: most on-demand covers never are.
    const computeCover = (): ZoneCover => (covers === null ? compute() : covers.get(coverKey(geometry, this.resolution), compute));
    const reach = ring !== null ? boxOf(ring) : boxOf(geometry.shape === 'buffer' ? geometry.path : []);
    const onDemand = this.coversOnDemand && direct !== BY_CELL && !mayExceedCellLimit(reach, bufferM, this.resolution);
    const cover = onDemand ? null : computeCover();

    this.supersede(zone.zoneId, fromMs);
    const version: VersionRecord = {
      zoneId: zone.zoneId,
      kind: zone.kind,
      fromMs,
      toMs: Infinity,
      ids: Object.freeze([zone.zoneId]),
      ring,
      path,
      bufferM,
      cross,
      number: this.versionRecords.length,
      direct,
      pendingCover: cover === null ? computeCover : null,
      crossedBy: 0,
      crossSkipped: false,
      snapshot: Object.freeze({
        zoneId: zone.zoneId,
        kind: zone.kind,
        name: zone.name,
        fromMs,
        toMs: Infinity,
        datum: zone.datum,
        ...(geometry.shape === 'polygon' ? { polygon: geometry.polygon } : { path: geometry.path, bufferM: geometry.bufferM }),
      }),
    };
    this.versionRecords.push(version);
    this.boundaryTimes.add(fromMs);
    const history = this.versionsById.get(zone.zoneId);
    if (history) history.push(version);
    else this.versionsById.set(zone.zoneId, [version]);
    this.versionCount++;
    this.changed();
    if (cover !== null) {
      this.cellCount += cover.cells.length;
      this.boundaryCellCount += cover.boundaryCells;
      this.addToIndex(version, cover);
    } else {
      this.addFootprints(version, reach);
    }
  }

  /** Ends the active version of the zone at `atMs`; false (and no change) if none is active. */
  withdraw(zoneId: string, atMs: number): boolean {
    checkTime('atMs', atMs, false);
    const history = this.versionsById.get(zoneId);
    if (!history || !history.some((v) => v.toMs === Infinity)) return false;
    this.supersede(zoneId, atMs);
    this.changed();
    return true;
  }

  /** Ids of zones of `kind` containing the WGS-84 point at `tMs`, sorted and deduplicated. */
  zonesAt(lon: number, lat: number, tMs: number, kind: ZoneKind): readonly string[] {
    const index = this.indexOf(kind);
    const y = bucketIndex(lat);
    const x = bucketIndex(lon);
    if (!testBit(index.occupiedCoarse, hashBit(coarseKey(y, x), COARSE_BITS))) return NONE;
    const key = keyOf(y, x);
    if (!testBit(index.occupied, hashBit(key, OCCUPANCY_BITS))) return NONE;
    // Versions whose footprint holds the point: most are decided here by their exact test (see
    // Direct); the others, if any, through the point's H3 cell.
    let first: VersionRecord | undefined;
    let many: string[] | undefined;
    let queryReady = false;
    let byCell = false;
    const buckets = index.buckets;
    const r = buckets.records;
    for (let o = buckets.head(key) - 1; o >= 0; o = (r[o + 5] as number) - 1) {
      if (!(lon >= (r[o] as number) && lon <= (r[o + 2] as number) && lat >= (r[o + 1] as number) && lat <= (r[o + 3] as number))) continue;
      const v = this.versionRecords[r[o + 4] as number] as VersionRecord;
      if (!isActive(v, tMs)) continue;
      if (v.direct === DIRECT_POLYGON) {
        if (!pointInPolygon(lon, lat, v.ring as readonly LonLat[])) continue;
      } else if (v.direct === DIRECT_CORRIDOR) {
        if (!queryReady) {
          queryPoint(lon, lat, this.query);
          queryReady = true;
        }
        if (!this.inCorridor(index, v, lon, lat)) continue;
      } else {
        byCell = true;
        continue;
      }
      if (first === undefined) first = v;
      else if (many === undefined) many = [first.zoneId, v.zoneId];
      else many.push(v.zoneId);
    }
    const entries = byCell ? index.cells.get(this.cellAt(lon, lat)) : undefined;
    if (entries !== undefined) {
      for (let i = 0; i < entries.length; i++) {
        const entry = entries[i] as CellEntry;
        const v = entry.version;
        if (v.direct !== BY_CELL || !isActive(v, tMs)) continue;
        if (!entry.interior) {
          if (v.ring !== null) {
            if (!pointInPolygon(lon, lat, v.ring)) continue;
          } else if (v.path !== null) {
            if (!queryReady) {
              queryPoint(lon, lat, this.query);
              queryReady = true;
            }
            if (!(degreesOfArcToMetres(preparedDistanceDeg(v.path, this.query, entry.segments)) <= v.bufferM)) continue;
          }
        }
        if (first === undefined) first = v;
        else if (many === undefined) many = [first.zoneId, v.zoneId];
        else many.push(v.zoneId);
      }
    }
    if (many !== undefined) {
      many.sort(compareStrings);
      let n = 1;
      for (let i = 1; i < many.length; i++) if (many[i] !== many[n - 1]) many[n++] = many[i] as string;
      many.length = n;
      return n === 1 ? (first as VersionRecord).ids : Object.freeze(many);
    }
    return first === undefined ? NONE : first.ids;
  }

  /**
   * Whether the point (already in `this.query`) is within the buffer of the corridor version `v`:
   * its distance over the segments registered in the point's crossing cell whose box holds it
   * (see DIRECT_CORRIDOR).
   */
  private inCorridor(index: KindIndex, v: VersionRecord, lon: number, lat: number): boolean {
    const cells = index.crossing;
    const r = cells.records;
    const path = v.path as PreparedPath;
    let best = Infinity;
    for (let o = cells.head(keyOf(crossingIndex(lat), crossingIndex(lon))) - 1; o >= 0; o = (r[o + 5] as number) - 1) {
      if (r[o + 4] !== v.number) continue;
      if (!(lon >= (r[o] as number) && lon <= (r[o + 2] as number) && lat >= (r[o + 1] as number) && lat <= (r[o + 3] as number))) return false;
      const end = o + ENTRY_FIELDS + PART_FIELDS * (r[o + 6] as number);
      for (let q = o + ENTRY_FIELDS; q < end; q += PART_FIELDS) {
        if (!(lon >= (r[q + 1] as number) && lon <= (r[q + 3] as number) && lat >= (r[q + 2] as number) && lat <= (r[q + 4] as number))) continue;
        const d = segmentDistanceDeg(path, r[q] as number, this.query);
        if (d < best) best = d;
      }
      // A version has one entry per cell.
      break;
    }
    return degreesOfArcToMetres(best) <= v.bufferM;
  }

  inAny(lon: number, lat: number, tMs: number, kind: ZoneKind): boolean {
    return this.zonesAt(lon, lat, tMs, kind).length > 0;
  }

  /**
   * Zones of `kind` that the straight line (in lon/lat) from A, reported at `aMs`, to B, at `bMs`,
   * passes through while neither A nor B is inside them — a short tunnel or bridge passed between
   * two fixes — with the fractions of the line where it enters and leaves each, sorted by zoneId.
   * Only versions applying over the whole interval count. "Inside" is exactly `zonesAt`'s answer
   * along the line (see lineCrossing.ts). `skip` and `skipAlso` list ids not to consider: those the
   * caller knows contain B or A (a line from inside a zone is no passage through it, so skipping
   * them changes no answer and saves their exact tests). Lines longer than `maxLengthM` are not
   * considered (GNSS jumps). `clearanceTried`: the caller has already found that the ends'
   * `crossingClearance` do not settle the line, so they are not looked up again (the answer is the
   * same either way).
   * Costs a lookup or two in the clearance maps, and no allocation, when no zone is near the line.
   */
  crossingsBetween(
    aLon: number, aLat: number, aMs: number,
    bLon: number, bLat: number, bMs: number,
    kind: ZoneKind, maxLengthM: number, skip: readonly string[] = NONE, skipAlso: readonly string[] = NONE, clearanceTried = false,
  ): readonly ZoneCrossing[] {
    if (!(aMs <= bMs) || !Number.isFinite(aLon + aLat + bLon + bLat)) return NO_CROSSINGS;
    const minLat = Math.min(aLat, bLat), maxLat = Math.max(aLat, bLat);
    const minLon = Math.min(aLon, bLon), maxLon = Math.max(aLon, bLon);
    // Cheap lower bounds of the line's length keep the bucket walk below bounded.
    if ((maxLat - minLat) * METRES_PER_DEGREE > maxLengthM) return NO_CROSSINGS;
    if ((maxLon - minLon) * METRES_PER_DEGREE * 0.63 > maxLengthM) {
      const maxAbsLat = Math.min(89, Math.max(Math.abs(minLat), Math.abs(maxLat)));
      if ((maxLon - minLon) * METRES_PER_DEGREE * 0.63 * Math.cos((maxAbsLat * Math.PI) / 180) > maxLengthM) return NO_CROSSINGS;
    }
    const index = this.indexOf(kind);
    // A fix at clearance c from every cell holding parts can only be reached by the line beyond c:
    // along a straight line the Chebyshev distances from its ends add up to its length, so a line
    // shorter than the two ends' clearances meets no such cell, and so no zone (see addCrossing).
    // This settles nearly every line (a 30 s step at 80 km/h is ~0.007°) with two lookups.
    const reach = Math.max(maxLat - minLat, maxLon - minLon);
    const clearance = index.clearance;
    if (clearance === null) return NO_CROSSINGS;
    if (!clearanceTried && reach < 2 * MAX_CLEAR_DEG && reach < clearanceIn(clearance, aLon, aLat) + clearanceIn(clearance, bLon, bLat)) return NO_CROSSINGS;
    return this.crossingsNear(index, aLon, aLat, aMs, bLon, bLat, bMs, minLon, minLat, maxLon, maxLat, skip, skipAlso);
  }

  /**
   * Changes with every designation and withdrawal. What a caller derives from `crossingClearance`,
   * `stableUntil` and `zonesAt` for later points holds while it stays the same (see `stableUntil`).
   */
  get crossingGeneration(): number {
    return this.generation;
  }

  /**
   * The first time after `tMs` at which a zone version starts or ends (Infinity if none): until then
   * the versions applying are those applying at `tMs`. With `crossingClearance` this lets a caller
   * following a vehicle reuse the zones containing one fix for the next: a straight line from A
   * shorter (Chebyshev, degrees) than A's clearance for a kind meets no zone boundary of that kind,
   * so B, reported before `stableUntil(A's time)` and while `crossingGeneration` is unchanged, lies in
   * exactly the zones of that kind that A lies in (`zonesAt` gives the same answer).
   */
  stableUntil(tMs: number): number {
    return this.boundaryTimes.after(tMs);
  }

  /**
   * A lower bound, in degrees, on the Chebyshev lon/lat distance (the larger of |Δlon| and |Δlat|)
   * from the point to every point where a line between two fixes can meet a zone of `kind`, of any
   * time, valid while `crossingGeneration` is unchanged. A line from A to B whose Chebyshev length is
   * less than A's clearance plus B's can pass through no zone, so a caller following a vehicle can
   * carry A's clearance, less the line's length, to B and ask `crossingsBetween` only when that and
   * B's own clearance no longer settle the line. At most 0.06° (Infinity while the kind has no
   * zone); 0 next to a zone.
   */
  crossingClearance(lon: number, lat: number, kind: ZoneKind): number {
    const clearance = this.indexOf(kind).clearance;
    if (clearance === null) return Infinity;
    return Number.isFinite(lon + lat) ? clearanceIn(clearance, lon, lat) : 0;
  }

  /** `crossingsBetween` for a line that may come near a part: the cell walk and exact tests, kept apart so the common early answer stays small. */
  private crossingsNear(
    index: KindIndex,
    aLon: number, aLat: number, aMs: number,
    bLon: number, bLat: number, bMs: number,
    minLon: number, minLat: number, maxLon: number, maxLat: number,
    skip: readonly string[], skipAlso: readonly string[],
  ): readonly ZoneCrossing[] {
    // Every point of a zone near a part lies in a crossing cell the part is registered in (see
    // addCrossing), so the cells the line passes name every part it can meet. Only a part whose
    // box the line may touch is selected; a version is checked (applying over the whole interval,
    // not skipped) once per query, when the first of its entries the line may touch is met, so the
    // parts of a skipped zone (one the vehicle is in) are never looked at.
    const cells = index.crossing;
    const r = cells.records;
    const versions = this.versionRecords;
    const my0 = crossingIndex(minLat), my1 = crossingIndex(maxLat);
    const mx0 = crossingIndex(minLon), mx1 = crossingIndex(maxLon);
    // A line spanning several cells in both axes passes only some of its box's cells: the others
    // are not looked up (each lookup is a likely cache miss).
    const diagonal = my1 > my0 && mx1 > mx0;
    let stamp = 0;
    const candidates = this.crossCandidates;
    for (let my = my0; my <= my1; my++) {
      for (let mx = mx0; mx <= mx1; mx++) {
        if (diagonal && !lineMayPassCell(aLon, aLat, bLon, bLat, mx, my, CROSSING_PER_DEGREE, CELL_SLACK_DEG)) continue;
        for (let o = cells.head(keyOf(my, mx)) - 1; o >= 0; o = (r[o + 5] as number) - 1) {
          if (!lineMayTouchBox(aLon, aLat, bLon, bLat, r[o] as number, r[o + 1] as number, r[o + 2] as number, r[o + 3] as number)) continue;
          if (stamp === 0) stamp = this.nextCrossStamp();
          const v = versions[r[o + 4] as number] as VersionRecord;
          if (v.crossedBy !== stamp) {
            v.crossedBy = stamp;
            v.crossSkipped =
              !isActive(v, aMs) || !(bMs < v.toMs) || (skip.length > 0 && skip.includes(v.zoneId)) || (skipAlso.length > 0 && skipAlso.includes(v.zoneId));
            if (!v.crossSkipped) {
              // A candidate none of whose parts ends up selected is no crossing (crossingOf).
              v.cross.selectedCount = 0;
              candidates.push(v);
            }
          }
          // The entry's parts are all the version's.
          if (v.crossSkipped) continue;
          const c = v.cross;
          const end = o + ENTRY_FIELDS + PART_FIELDS * (r[o + 6] as number);
          for (let q = o + ENTRY_FIELDS; q < end; q += PART_FIELDS) {
            if (!lineMayTouchBox(aLon, aLat, bLon, bLat, r[q + 1] as number, r[q + 2] as number, r[q + 3] as number, r[q + 4] as number)) continue;
            const p = r[q] as number;
            if (c.stamps[p] === stamp) continue;
            c.stamps[p] = stamp;
            c.selected[c.selectedCount++] = p;
          }
        }
      }
    }
    if (candidates.length === 0) return NO_CROSSINGS;

    let out: ZoneCrossing[] | null = null;
    const span = this.span;
    for (let i = 0; i < candidates.length; i++) {
      const v = candidates[i] as VersionRecord;
      if (crossingOf(v.cross, aLon, aLat, bLon, bLat, span)) (out ??= []).push(Object.freeze({ zoneId: v.zoneId, enter: span.enter, exit: span.exit }));
    }
    candidates.length = 0;
    if (out === null) return NO_CROSSINGS;
    out.sort((p, q) => compareStrings(p.zoneId, q.zoneId));
    return Object.freeze(out);
  }

  /** `fromMs` of the version of the zone applying at `tMs` (what a caller keys per-version data by), or undefined. */
  activeSince(zoneId: string, tMs: number): number | undefined {
    const history = this.versionsById.get(zoneId);
    if (history === undefined) return undefined;
    for (let i = 0; i < history.length; i++) {
      const v = history[i] as VersionRecord;
      if (isActive(v, tMs)) return v.fromMs;
    }
    return undefined;
  }

  versionAt(zoneId: string, tMs: number): ZoneVersion | undefined {
    return this.versionsById.get(zoneId)?.find((v) => isActive(v, tMs))?.snapshot;
  }

  /** Every version active at `tMs`, sorted by zoneId. */
  activeAt(tMs: number): ZoneVersion[] {
    const out: ZoneVersion[] = [];
    for (const history of this.versionsById.values()) {
      const v = history.find((h) => isActive(h, tMs));
      if (v) out.push(v.snapshot);
    }
    return out.sort((a, b) => compareStrings(a.zoneId, b.zoneId));
  }

  /** Versions ever designated, and the H3 cells indexed for them (all, and those needing an exact test). */
  stats(): { versions: number; cells: number; boundaryCells: number } {
    for (const v of this.versionRecords) {
      if (v.pendingCover === null) continue;
      const cover = v.pendingCover();
      v.pendingCover = null;
      this.cellCount += cover.cells.length;
      this.boundaryCellCount += cover.boundaryCells;
    }
    return { versions: this.versionCount, cells: this.cellCount, boundaryCells: this.boundaryCellCount };
  }

  // A switch, not a keyed lookup: this runs for every position.
  private indexOf(kind: ZoneKind): KindIndex {
    switch (kind) {
      case 'accident-segment':
        return this.segments;
      case 'parking-lot':
        return this.lots;
      case 'chemical-park':
        return this.parks;
      case 'restricted-area':
        return this.restricted;
      default: {
        const never: never = kind;
        throw new Error(`unreachable: ${String(never)}`);
      }
    }
  }

  /** Any designation or withdrawal: answers derived for later points (see `stableUntil`) no longer hold. */
  private changed(): void {
    this.generation++;
  }

  /** A fresh stamp for a crossing query; when the counter would wrap, every stamp is cleared first. */
  private nextCrossStamp(): number {
    if (this.crossStamp === 0xffffffff) {
      for (const v of this.versionRecords) {
        v.crossedBy = 0;
        v.cross.stamps.fill(0);
      }
      this.crossStamp = 0;
    }
    return ++this.crossStamp;
  }

  private cellAt(lon: number, lat: number): string {
    if (lon !== this.memoLon || lat !== this.memoLat) {
      this.memoCell = cellOf(lon, lat, this.resolution);
      this.memoLon = lon;
      this.memoLat = lat;
    }
    return this.memoCell;
  }

  /** Ends at `atMs` every version of the zone still applying after it (an empty interval if it had not begun). */
  private supersede(zoneId: string, atMs: number): void {
    for (const v of this.versionsById.get(zoneId) ?? []) {
      if (v.toMs > atMs) {
        if (Number.isFinite(v.toMs)) this.boundaryTimes.remove(v.toMs);
        v.toMs = Math.max(atMs, v.fromMs);
        this.boundaryTimes.add(v.toMs);
        v.snapshot = Object.freeze({ ...v.snapshot, toMs: v.toMs });
      }
    }
  }

  private addToIndex(version: VersionRecord, cover: ZoneCover): void {
    const index = this.indexOf(version.kind);
    const { cells, interior, segments, bucketYX, footprintBoxes: fb } = cover;
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i] as string;
      const entry: CellEntry = { version, interior: interior[i] === 1, segments: segments[i] ?? null };
      const list = index.cells.get(cell);
      if (list) list.push(entry);
      else index.cells.set(cell, [entry]);
    }
    for (let f = 0; f < bucketYX.length / 2; f++) {
      const y = bucketYX[2 * f] as number;
      const x = bucketYX[2 * f + 1] as number;
      const key = keyOf(y, x);
      setBit(index.occupiedCoarse, hashBit(coarseKey(y, x), COARSE_BITS));
      setBit(index.occupied, hashBit(key, OCCUPANCY_BITS));
      index.buckets.addBox(key, version.number, fb[4 * f] as number, fb[4 * f + 1] as number, fb[4 * f + 2] as number, fb[4 * f + 3] as number);
    }
    this.addCrossing(index, version, this.versionRecords.length - 1);
  }

  /**
   * `addToIndex` for a version answered by its own exact test, without its H3 cells: its footprint
   * in each prefilter bucket is the union of boxes holding every point of it there, clipped to the
   * bucket (a hair beyond it, far above float rounding). A polygon's points lie in its ring's box
   * (ray casting finds no crossing, and no edge, outside it); a corridor's in its parts' boxes
   * (each holds every point within the buffer and margin of its segment, see corridorCrossable).
   */
  private addFootprints(version: VersionRecord, ringBox: Box): void {
    const index = this.indexOf(version.kind);
    if (version.ring !== null) {
      // One box: each bucket it reaches is met once.
      const { minLon, minLat, maxLon, maxLat } = enlargeBox(ringBox, SAFETY_MARGIN_M);
      const y1 = bucketIndex(maxLat), x1 = bucketIndex(maxLon);
      for (let y = bucketIndex(minLat); y <= y1; y++) {
        const bMinLat = Math.max(minLat, y / BUCKETS_PER_DEGREE - BUCKET_SLACK_DEG), bMaxLat = Math.min(maxLat, (y + 1) / BUCKETS_PER_DEGREE + BUCKET_SLACK_DEG);
        for (let x = bucketIndex(minLon); x <= x1; x++) {
          const bMinLon = Math.max(minLon, x / BUCKETS_PER_DEGREE - BUCKET_SLACK_DEG), bMaxLon = Math.min(maxLon, (x + 1) / BUCKETS_PER_DEGREE + BUCKET_SLACK_DEG);
          const key = keyOf(y, x);
          setBit(index.occupiedCoarse, hashBit(coarseKey(y, x), COARSE_BITS));
          setBit(index.occupied, hashBit(key, OCCUPANCY_BITS));
          index.buckets.addBox(key, version.number, bMinLon, bMinLat, bMaxLon, bMaxLat);
        }
      }
      this.addCrossing(index, version, this.versionRecords.length - 1);
      return;
    }
    const boxes = version.cross.boxes;
    // Buckets are numbered within the parts' extent, on a grid of footprint numbers (+1) when that
    // is small enough (a corridor of tens of km: a few hundred thousand slots), else in a Map.
    let yMin = Infinity, yMax = -Infinity, xMin = Infinity, xMax = -Infinity;
    for (let p = 0; p < boxes.length; p += 4) {
      yMin = Math.min(yMin, bucketIndex(boxes[p + 1] as number));
      yMax = Math.max(yMax, bucketIndex(boxes[p + 3] as number));
      xMin = Math.min(xMin, bucketIndex(boxes[p] as number));
      xMax = Math.max(xMax, bucketIndex(boxes[p + 2] as number));
    }
    const columns = xMax - xMin + 1;
    const slots = (yMax - yMin + 1) * columns;
    if (slots <= 4_000_000 && slots > footprintScratch.length) footprintScratch = new Int32Array(slots);
    const grid = slots <= 4_000_000 ? footprintScratch.subarray(0, slots).fill(0) : null;
    const footprintOf = grid === null ? new Map<number, number>() : null;
    const yx: number[] = [];
    const fb: number[] = [];
    for (let p = 0; p < boxes.length; p += 4) {
      const minLon = boxes[p] as number, minLat = boxes[p + 1] as number, maxLon = boxes[p + 2] as number, maxLat = boxes[p + 3] as number;
      const y1 = bucketIndex(maxLat), x1 = bucketIndex(maxLon);
      for (let y = bucketIndex(minLat); y <= y1; y++) {
        const bMinLat = Math.max(minLat, y / BUCKETS_PER_DEGREE - BUCKET_SLACK_DEG), bMaxLat = Math.min(maxLat, (y + 1) / BUCKETS_PER_DEGREE + BUCKET_SLACK_DEG);
        for (let x = bucketIndex(minLon); x <= x1; x++) {
          const bMinLon = Math.max(minLon, x / BUCKETS_PER_DEGREE - BUCKET_SLACK_DEG), bMaxLon = Math.min(maxLon, (x + 1) / BUCKETS_PER_DEGREE + BUCKET_SLACK_DEG);
          const slot = (y - yMin) * columns + (x - xMin);
          const f = grid !== null ? (grid[slot] as number) - 1 : (footprintOf?.get(slot) ?? -1);
          if (f < 0) {
            if (grid !== null) grid[slot] = yx.length / 2 + 1;
            else footprintOf?.set(slot, yx.length / 2);
            yx.push(y, x);
            fb.push(bMinLon, bMinLat, bMaxLon, bMaxLat);
          } else {
            fb[4 * f] = Math.min(fb[4 * f] as number, bMinLon);
            fb[4 * f + 1] = Math.min(fb[4 * f + 1] as number, bMinLat);
            fb[4 * f + 2] = Math.max(fb[4 * f + 2] as number, bMaxLon);
            fb[4 * f + 3] = Math.max(fb[4 * f + 3] as number, bMaxLat);
          }
        }
      }
    }
    for (let f = 0; f < yx.length / 2; f++) {
      const y = yx[2 * f] as number;
      const x = yx[2 * f + 1] as number;
      const key = keyOf(y, x);
      setBit(index.occupiedCoarse, hashBit(coarseKey(y, x), COARSE_BITS));
      setBit(index.occupied, hashBit(key, OCCUPANCY_BITS));
      index.buckets.addBox(key, version.number, fb[4 * f] as number, fb[4 * f + 1] as number, fb[4 * f + 2] as number, fb[4 * f + 3] as number);
    }
    this.addCrossing(index, version, this.versionRecords.length - 1);
  }

  /**
   * Registers each part of the version in every crossing cell it reaches into, and the cells it
   * reaches into in the clearance maps.
   */
  private addCrossing(index: KindIndex, version: VersionRecord, versionNumber: number): void {
    const { boxes, ends, parts } = version.cross;
    if (parts === 0) return;
    const clearance = (index.clearance ??= {
      coarse: new Uint8Array(1 << COARSE_CLEAR_BITS).fill(CLEAR_CELLS),
      fine: newFineClearance(),
    });
    const byKey = new Map<number, number[]>();
    const reachedY: number[] = [];
    const reachedX: number[] = [];
    // Cells already met, at clearance and coarse clearance cells: a bit per cell of the parts' extent.
    let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
    for (let p = 0; p < parts; p++) {
      minLon = Math.min(minLon, boxes[4 * p] as number);
      minLat = Math.min(minLat, boxes[4 * p + 1] as number);
      maxLon = Math.max(maxLon, boxes[4 * p + 2] as number);
      maxLat = Math.max(maxLat, boxes[4 * p + 3] as number);
    }
    const cleared = new CellSet(clearIndex(minLat), clearIndex(minLon), clearIndex(maxLat), clearIndex(maxLon), 0);
    const coarseCleared = new CellSet(
      Math.floor(minLat * COARSE_CLEAR_PER_DEGREE), Math.floor(minLon * COARSE_CLEAR_PER_DEGREE),
      Math.floor(maxLat * COARSE_CLEAR_PER_DEGREE), Math.floor(maxLon * COARSE_CLEAR_PER_DEGREE), 1,
    );
    for (let p = 0; p < parts; p++) {
      const ax = ends[4 * p] as number, ay = ends[4 * p + 1] as number, bx = ends[4 * p + 2] as number, by = ends[4 * p + 3] as number;
      // The part's box is its segment's box grown by a margin per axis; every zone point near the
      // part lies within that margin of the segment, so only cells the grown segment meets hold it
      // (a long diagonal part's box would otherwise claim cells far from the road).
      const rx = Math.max(Math.min(ax, bx) - (boxes[4 * p] as number), (boxes[4 * p + 2] as number) - Math.max(ax, bx)) + CELL_SLACK_DEG;
      const ry = Math.max(Math.min(ay, by) - (boxes[4 * p + 1] as number), (boxes[4 * p + 3] as number) - Math.max(ay, by)) + CELL_SLACK_DEG;
      const y1 = crossingIndex(boxes[4 * p + 3] as number), x1 = crossingIndex(boxes[4 * p + 2] as number);
      for (let y = crossingIndex(boxes[4 * p + 1] as number); y <= y1; y++) {
        for (let x = crossingIndex(boxes[4 * p] as number); x <= x1; x++) {
          if (!segmentMeetsBox(ax, ay, bx, by, x / CROSSING_PER_DEGREE - rx, y / CROSSING_PER_DEGREE - ry, (x + 1) / CROSSING_PER_DEGREE + rx, (y + 1) / CROSSING_PER_DEGREE + ry)) continue;
          const key = keyOf(y, x);
          const list = byKey.get(key);
          if (list) list.push(p);
          else byKey.set(key, [p]);
        }
      }
      // The same at clearance cells: every zone point near the part lies in one of these.
      const cy1 = clearIndex(boxes[4 * p + 3] as number), cx1 = clearIndex(boxes[4 * p + 2] as number);
      for (let y = clearIndex(boxes[4 * p + 1] as number); y <= cy1; y++) {
        for (let x = clearIndex(boxes[4 * p] as number); x <= cx1; x++) {
          if (cleared.has(y, x)) continue;
          if (!segmentMeetsBox(ax, ay, bx, by, x / CLEAR_PER_DEGREE - rx, y / CLEAR_PER_DEGREE - ry, (x + 1) / CLEAR_PER_DEGREE + rx, (y + 1) / CLEAR_PER_DEGREE + ry)) continue;
          cleared.add(y, x);
          reachedY.push(y);
          reachedX.push(x);
        }
      }
      // And at coarse clearance cells, distances only.
      const ky1 = Math.floor((boxes[4 * p + 3] as number) * COARSE_CLEAR_PER_DEGREE), kx1 = Math.floor((boxes[4 * p + 2] as number) * COARSE_CLEAR_PER_DEGREE);
      for (let y = Math.floor((boxes[4 * p + 1] as number) * COARSE_CLEAR_PER_DEGREE); y <= ky1; y++) {
        for (let x = Math.floor((boxes[4 * p] as number) * COARSE_CLEAR_PER_DEGREE); x <= kx1; x++) {
          if (!segmentMeetsBox(ax, ay, bx, by, x / COARSE_CLEAR_PER_DEGREE - rx, y / COARSE_CLEAR_PER_DEGREE - ry, (x + 1) / COARSE_CLEAR_PER_DEGREE + rx, (y + 1) / COARSE_CLEAR_PER_DEGREE + ry)) continue;
          if (coarseCleared.has(y, x)) continue;
          coarseCleared.add(y, x);
          for (let dy = -CLEAR_CELLS; dy <= CLEAR_CELLS; dy++) {
            for (let dx = -CLEAR_CELLS; dx <= CLEAR_CELLS; dx++) {
              const slot = coarseClearSlot(y + dy, x + dx);
              clearance.coarse[slot] = Math.min(clearance.coarse[slot] as number, Math.max(Math.abs(dy), Math.abs(dx)));
            }
          }
        }
      }
    }
    stampFineClearance(clearance.fine, reachedY, reachedX);
    for (const [key, list] of byKey) index.crossing.add(key, versionNumber, list, boxes);
  }
}
