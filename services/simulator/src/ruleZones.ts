import type { BannedHours, ZoneRules } from '@dgt/events';
import type { LonLat } from './geography.ts';
import { PlanarPath, PlanarPolygon } from './planar.ts';
import { restrictedAreas, segments } from './zoneSpecs.ts';

/*
 * The zones a drive can enter, in the package's own planar geometry (not @dgt/geo: the truth must
 * not be computed by the code it checks), and the rules' definitions from issue #15 as plain
 * functions: the Beijing-time window, the hazard-class match, the limit in force at a point.
 */

export type PlanarZoneKind = 'accident-segment' | 'restricted-area';

export interface PlanarZone {
  readonly zoneId: string;
  readonly kind: PlanarZoneKind;
  readonly rules: ZoneRules | undefined;
  contains(x: number, y: number): boolean;
  /** Metres outside the zone (≤ 0 inside): how far a point is from changing its answer. */
  clearanceM(x: number, y: number): number;
  /** True if the point is surely farther than `m` from the zone (bounding-box test). */
  farFrom(x: number, y: number, m: number): boolean;
  /** A lower bound of the distance to the zone: to its bounding box (0 inside the box). */
  boxDistanceM(x: number, y: number): number;
}

class Corridor implements PlanarZone {
  readonly kind = 'accident-segment';
  private readonly path: PlanarPath;

  constructor(
    readonly zoneId: string,
    points: LonLat[],
    private readonly bufferM: number,
    readonly rules: ZoneRules | undefined,
  ) {
    this.path = new PlanarPath(points);
  }

  contains(x: number, y: number): boolean {
    return !this.path.farFromBox(x, y, this.bufferM) && this.path.distanceM(x, y) <= this.bufferM;
  }

  clearanceM(x: number, y: number): number {
    return this.path.distanceM(x, y) - this.bufferM;
  }

  farFrom(x: number, y: number, m: number): boolean {
    return this.path.farFromBox(x, y, this.bufferM + m);
  }

  boxDistanceM(x: number, y: number): number {
    return Math.max(0, this.path.boxDistanceM(x, y) - this.bufferM);
  }
}

class Area implements PlanarZone {
  readonly kind = 'restricted-area';
  private readonly polygon: PlanarPolygon;

  constructor(
    readonly zoneId: string,
    ring: LonLat[],
    readonly rules: ZoneRules | undefined,
  ) {
    this.polygon = new PlanarPolygon(ring);
  }

  contains(x: number, y: number): boolean {
    return this.polygon.contains(x, y);
  }

  clearanceM(x: number, y: number): number {
    const d = this.polygon.boundaryDistanceM(x, y);
    return this.polygon.contains(x, y) ? -d : d;
  }

  farFrom(x: number, y: number, m: number): boolean {
    return this.polygon.edges.farFromBox(x, y, m);
  }

  boxDistanceM(x: number, y: number): number {
    return this.polygon.edges.boxDistanceM(x, y);
  }
}

/** Every accident-prone segment's corridor and every restricted area, WGS-84 as designed. */
export const planarZones: readonly PlanarZone[] = [
  ...segments.map((s) => new Corridor(s.zoneId, [...s.path], s.bufferM, s.rules)),
  ...restrictedAreas.map((a) => new Area(a.zoneId, [...a.polygon], a.rules)),
];

/** The zones whose rules a vehicle can break (bans or a speed limit). */
export const ruledZones: readonly PlanarZone[] = planarZones.filter((z) => z.rules !== undefined);

export function zoneById(zoneId: string): PlanarZone {
  const z = planarZones.find((x) => x.zoneId === zoneId);
  if (z === undefined) throw new RangeError(`no zone ${zoneId}`);
  return z;
}

const MINUTE_MS = 60_000;
const DAY_MINUTES = 1_440;
const BEIJING_OFFSET_MIN = 8 * 60;

/** Minute of the day in Beijing time (UTC+8, no daylight saving) of an instant. */
export function beijingMinuteOfDay(ms: number): number {
  const m = Math.floor(ms / MINUTE_MS) + BEIJING_OFFSET_MIN;
  return ((m % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES;
}

function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** `from` inclusive, `to` exclusive; a window whose `to` is earlier than its `from` wraps midnight. */
export function inBannedHours(windows: readonly BannedHours[], ms: number): boolean {
  const m = beijingMinuteOfDay(ms);
  return windows.some((w) => {
    const from = minutesOf(w.from);
    const to = minutesOf(w.to);
    return from < to ? m >= from && m < to : m >= from || m < to;
  });
}

/** A listed class without a division ("2") covers its divisions ("2.1"); absent list = every class. */
export function classesMatch(listed: readonly string[] | undefined, carried: readonly string[]): boolean {
  if (listed === undefined) return true;
  return carried.some((c) => listed.some((l) => c === l || c.startsWith(`${l}.`)));
}

export type BrokenRule = 'laden-banned' | 'banned-hours';

/** Which rule a vehicle laden with `classes` breaks in a zone at `ms` (laden-banned wins), or null. */
export function brokenRule(rules: ZoneRules | undefined, classes: readonly string[] | null, ms: number): BrokenRule | null {
  if (rules === undefined || classes === null || !classesMatch(rules.hazardClasses, classes)) return null;
  if (rules.ladenBanned === true) return 'laden-banned';
  if (rules.bannedHours !== undefined && inBannedHours(rules.bannedHours, ms)) return 'banned-hours';
  return null;
}

/** The limit in force at a point: the lowest of the general limit and every containing zone's. */
export function limitAt(x: number, y: number, generalKmh: number): { limitKmh: number; zoneId: string | null } {
  let limitKmh = generalKmh;
  let zoneId: string | null = null;
  for (const z of ruledZones) {
    const lim = z.rules!.speedLimitKmh;
    if (lim === undefined || lim >= limitKmh || !z.contains(x, y)) continue;
    limitKmh = lim;
    zoneId = z.zoneId;
  }
  return { limitKmh, zoneId };
}

/**
 * Where the straight line from (x0, y0) to (x1, y1) first runs through a zone: the fractions of
 * the line at which it enters and leaves, to ~1 cm, or null. Sampled every metre, then bisected.
 */
export function chordCrossing(zone: PlanarZone, x0: number, y0: number, x1: number, y1: number): { enter: number; leave: number } | null {
  const len = Math.hypot(x1 - x0, y1 - y0);
  if (len === 0) return null;
  // Every point of the line is within len/2 of its middle.
  if (zone.farFrom((x0 + x1) / 2, (y0 + y1) / 2, len / 2)) return null;
  const inside = (u: number) => zone.contains(x0 + u * (x1 - x0), y0 + u * (y1 - y0));
  const steps = Math.max(2, Math.ceil(len));
  let enter: number | null = null;
  let prev = 0;
  let prevIn = inside(0);
  for (let k = 1; k <= steps; k++) {
    const u = k / steps;
    const isIn = inside(u);
    if (isIn !== prevIn) {
      const edge = bisect(inside, prev, u, prevIn);
      if (isIn) enter = edge;
      else if (enter !== null) return { enter, leave: edge };
    }
    prev = u;
    prevIn = isIn;
  }
  return enter === null ? null : { enter, leave: 1 };
}

function bisect(inside: (u: number) => boolean, lo: number, hi: number, loIn: boolean): number {
  for (let i = 0; i < 30; i++) {
    const mid = (lo + hi) / 2;
    if (inside(mid) === loIn) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
