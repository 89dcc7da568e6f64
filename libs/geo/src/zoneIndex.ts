import type { LonLat, ZoneKind, ZoneSpec, ZoneVersion } from './types.ts';
import type { PreparedPath, QueryPoint } from './pathDistance.ts';
import type { ZoneCover } from './zoneCover.ts';
import type { CoverCache } from './coverCache.ts';
import { bucketIndex, keyOf } from './bucketGrid.ts';
import { coverKey, sharedCoverCache } from './coverCache.ts';
import { ZoneIndexError } from './errors.ts';
import { DEFAULT_H3_RESOLUTION, cellOf } from './h3Cells.ts';
import { degreesOfArcToMetres, preparePath, preparedDistanceDeg, queryPoint } from './pathDistance.ts';
import { pointInPolygon } from './pointInPolygon.ts';
import { coverBuffer, coverPolygon } from './zoneCoverage.ts';
import { zoneGeometry } from './zoneGeometry.ts';

/** Shared answer for "no zone": the hot path returns it without allocating. */
const NONE: readonly string[] = Object.freeze([]);

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
  readonly cells: number;
  readonly boundaryCells: number;
  snapshot: ZoneVersion;
}

interface CellEntry {
  readonly version: VersionRecord;
  readonly interior: boolean;
  readonly segments: Int32Array | null;
}

/** A version's footprint within one coarse bucket: the union of its enlarged cell boxes there. */
interface BucketEntry {
  readonly version: VersionRecord;
  readonly minLon: number;
  readonly minLat: number;
  readonly maxLon: number;
  readonly maxLat: number;
}

interface KindIndex {
  readonly cells: Map<string, CellEntry[]>;
  readonly buckets: Map<number, BucketEntry[]>;
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
}

const OCCUPANCY_BITS = 22;
const COARSE_BITS = 16;
const COARSE_FACTOR = 10;

function hashBit(key: number, bits: number): number {
  return Math.imul(key, 0x9e3779b1) >>> (32 - bits);
}

function coarseKey(y: number, x: number): number {
  return keyOf(Math.floor(y / COARSE_FACTOR), Math.floor(x / COARSE_FACTOR));
}

function testBit(bitmap: Uint32Array, bit: number): boolean {
  return ((bitmap[bit >>> 5] as number) & (1 << (bit & 31))) !== 0;
}

function setBit(bitmap: Uint32Array, bit: number): void {
  bitmap[bit >>> 5] = (bitmap[bit >>> 5] as number) | (1 << (bit & 31));
}

function newKindIndex(): KindIndex {
  return {
    cells: new Map(),
    buckets: new Map(),
    occupied: new Uint32Array((1 << OCCUPANCY_BITS) >>> 5),
    occupiedCoarse: new Uint32Array((1 << COARSE_BITS) >>> 5),
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
  private readonly versionsById = new Map<string, VersionRecord[]>();
  private versionCount = 0;
  private cellCount = 0;
  private boundaryCellCount = 0;
  private readonly query: QueryPoint = { lon: 0, lat: 0, x: 0, y: 0, z: 0 };
  private readonly covers: CoverCache | null;

  /**
   * `covers`: where computed zone covers are memoised (default: the process-wide cache, so the same
   * zone designated again in any index costs a lookup); null computes every designation afresh.
   */
  constructor(options?: { resolution?: number; covers?: CoverCache | null }) {
    const res = options?.resolution ?? DEFAULT_H3_RESOLUTION;
    if (!Number.isInteger(res) || res < 0 || res > 15) {
      throw new ZoneIndexError('INVALID_RESOLUTION', `H3 resolution must be an integer 0–15, got ${res}`);
    }
    this.resolution = res;
    this.covers = options?.covers === undefined ? sharedCoverCache : options.covers;
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
    let bufferM = 0;
    switch (geometry.shape) {
      case 'polygon': {
        const polygon = geometry.polygon;
        ring = polygon;
        compute = () => coverPolygon(zone.zoneId, polygon, this.resolution);
        break;
      }
      case 'buffer': {
        const prepared = preparePath(geometry.path);
        const { path: points, bufferM: buffer } = geometry;
        path = prepared;
        bufferM = buffer;
        compute = () => coverBuffer(zone.zoneId, points, prepared, buffer, this.resolution);
        break;
      }
      default: {
        const never: never = geometry;
        throw new Error(`unreachable: ${String(never)}`);
      }
    }
    const cover = this.covers === null ? compute() : this.covers.get(coverKey(geometry, this.resolution), compute);

    this.supersede(zone.zoneId, fromMs);
    const boundaryCells = cover.boundaryCells;
    const version: VersionRecord = {
      zoneId: zone.zoneId,
      kind: zone.kind,
      fromMs,
      toMs: Infinity,
      ids: Object.freeze([zone.zoneId]),
      ring,
      path,
      bufferM,
      cells: cover.cells.length,
      boundaryCells,
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
    const history = this.versionsById.get(zone.zoneId);
    if (history) history.push(version);
    else this.versionsById.set(zone.zoneId, [version]);
    this.versionCount++;
    this.cellCount += cover.cells.length;
    this.boundaryCellCount += boundaryCells;
    this.addToIndex(version, cover);
  }

  /** Ends the active version of the zone at `atMs`; false (and no change) if none is active. */
  withdraw(zoneId: string, atMs: number): boolean {
    checkTime('atMs', atMs, false);
    const history = this.versionsById.get(zoneId);
    if (!history || !history.some((v) => v.toMs === Infinity)) return false;
    this.supersede(zoneId, atMs);
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
    const bucket = index.buckets.get(key);
    if (bucket === undefined) return NONE;
    let near = false;
    for (let i = 0; i < bucket.length; i++) {
      const b = bucket[i] as BucketEntry;
      if (lon >= b.minLon && lon <= b.maxLon && lat >= b.minLat && lat <= b.maxLat && isActive(b.version, tMs)) {
        near = true;
        break;
      }
    }
    if (!near) return NONE;
    const entries = index.cells.get(cellOf(lon, lat, this.resolution));
    if (entries === undefined) return NONE;

    let first: VersionRecord | undefined;
    let many: string[] | undefined;
    let queryReady = false;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i] as CellEntry;
      const v = entry.version;
      if (!isActive(v, tMs)) continue;
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
    if (many !== undefined) {
      many.sort(compareStrings);
      let n = 1;
      for (let i = 1; i < many.length; i++) if (many[i] !== many[n - 1]) many[n++] = many[i] as string;
      many.length = n;
      return n === 1 ? (first as VersionRecord).ids : Object.freeze(many);
    }
    return first === undefined ? NONE : first.ids;
  }

  inAny(lon: number, lat: number, tMs: number, kind: ZoneKind): boolean {
    return this.zonesAt(lon, lat, tMs, kind).length > 0;
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
      default: {
        const never: never = kind;
        throw new Error(`unreachable: ${String(never)}`);
      }
    }
  }

  /** Ends at `atMs` every version of the zone still applying after it (an empty interval if it had not begun). */
  private supersede(zoneId: string, atMs: number): void {
    for (const v of this.versionsById.get(zoneId) ?? []) {
      if (v.toMs > atMs) {
        v.toMs = Math.max(atMs, v.fromMs);
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
      const footprint: BucketEntry = {
        version,
        minLon: fb[4 * f] as number,
        minLat: fb[4 * f + 1] as number,
        maxLon: fb[4 * f + 2] as number,
        maxLat: fb[4 * f + 3] as number,
      };
      const bucket = index.buckets.get(key);
      if (bucket) bucket.push(footprint);
      else index.buckets.set(key, [footprint]);
    }
  }
}
